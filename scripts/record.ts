// npm run record [-- --browser firefox] [-- <scenario-id> ...]: captures every scenario (or the given
// ones) through DevTools' own HAR — in real Chromium into e2e/fixtures/chromium/, or in real Firefox
// ESR into e2e/fixtures/firefox/ — with each scenario's expected rules beside it.
import { relative } from 'node:path';
import { recordScenarios as recordChromium } from '../e2e/recorder/record.ts';
import { recordScenarios as recordFirefox } from '../e2e/firefox/record.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--browser');
const browser = at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--browser='))?.slice('--browser='.length) ?? 'chromium');
if (browser !== 'chromium' && browser !== 'firefox') {
  console.error(`unknown browser ${browser}: chromium or firefox`);
  process.exit(2);
}
const only = args.filter((a, n) => !a.startsWith('-') && !(at >= 0 && n === at + 1));
const record = browser === 'firefox' ? recordFirefox : recordChromium;
// A scenario page ends "done", unless the browser is known to end it otherwise (see e2e/firefox/expectations.ts).
function expected(r: { state: string; expectedState?: string }): string {
  return r.expectedState ?? 'done';
}
const results = await record({
  ...(only.length ? { only } : {}),
  onRecorded: (r) => console.log(`${r.state === expected(r) ? 'ok  ' : 'FAIL'} ${r.id.padEnd(36)} ${String(r.entries).padStart(3)} entries  ${r.ms} ms  ${relative(process.cwd(), r.file)}`),
});
const failed = results.filter((r) => r.state !== expected(r));
console.log(`${results.length} recorded in ${browser}, ${failed.length} did not end as expected`);
process.exit(failed.length ? 1 : 0);
