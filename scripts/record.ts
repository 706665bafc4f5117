// npm run record [-- --browser firefox] [-- <scenario-id> ...]: captures every scenario (or the given
// ones) through DevTools' own HAR — in real Chromium into e2e/fixtures/chromium/, or in real Firefox
// ESR into e2e/fixtures/firefox/ — with each scenario's expected rules and verdict beside it.
// --expect-only rewrites the expectations of captures already recorded from the catalogue, recording nothing.
import { relative } from 'node:path';
import { FIXTURES as CHROMIUM_FIXTURES, recordScenarios as recordChromium } from '../e2e/recorder/record.ts';
import { FIXTURES as FIREFOX_FIXTURES, recordScenarios as recordFirefox } from '../e2e/firefox/record.ts';
import { refreshExpectations } from '../e2e/recorder/expectations.ts';
import { scenarios } from '../e2e/lab/scenarios/catalogue.ts';

const args = process.argv.slice(2);
const at = args.indexOf('--browser');
const browser = at >= 0 ? args[at + 1] : (args.find((a) => a.startsWith('--browser='))?.slice('--browser='.length) ?? 'chromium');
if (browser !== 'chromium' && browser !== 'firefox') {
  console.error(`unknown browser ${browser}: chromium or firefox`);
  process.exit(2);
}
const only = args.filter((a, n) => !a.startsWith('-') && !(at >= 0 && n === at + 1));
if (args.includes('--expect-only')) {
  const unknown = only.filter((id) => !scenarios.some((s) => s.id === id));
  if (unknown.length) { console.error(`unknown scenario ${unknown.join(', ')}`); process.exit(2); }
  const chosen = scenarios.filter((s) => !only.length || only.includes(s.id));
  const r = refreshExpectations(browser === 'firefox' ? FIREFOX_FIXTURES : CHROMIUM_FIXTURES, browser, chosen);
  for (const id of r.updated) console.log(`updated ${id}`);
  for (const id of r.missing) console.log(`not recorded yet in ${browser}: ${id}`);
  console.log(`${r.updated.length} expectations updated in ${browser}, ${r.missing.length} scenarios not recorded`);
  process.exit(0);
}
// Ctrl-C ends the browsers and the lab's proxies through the exit handlers instead of leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
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
