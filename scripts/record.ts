// npm run record [-- <scenario-id> ...]: captures every scenario (or the given ones) in real Chromium
// through DevTools' own HAR into e2e/fixtures/chromium/, with each scenario's expected rules beside it.
import { relative } from 'node:path';
import { recordScenarios } from '../e2e/recorder/record.ts';

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results = await recordScenarios({
  ...(only.length ? { only } : {}),
  onRecorded: (r) => console.log(`${r.state === 'done' ? 'ok  ' : 'FAIL'} ${r.id.padEnd(36)} ${String(r.entries).padStart(3)} entries  ${r.ms} ms  ${relative(process.cwd(), r.file)}`),
});
const failed = results.filter((r) => r.state !== 'done');
console.log(`${results.length} recorded, ${failed.length} did not reach done`);
process.exit(failed.length ? 1 : 0);
