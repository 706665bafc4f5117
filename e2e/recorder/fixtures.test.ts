// The committed captures match the catalogue: one HAR and one expectation file per scenario, with the
// same expected rules and verdict, each HAR holding the scenario's Diffusion traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarios } from '../lab/scenarios/catalogue.ts';
import { FIXTURES } from './record.ts';
import { isDiffusionEntry, type Har } from './trim.ts';

for (const s of scenarios) {
  test(`fixture ${s.id}`, () => {
    const harFile = join(FIXTURES, `${s.id}.har`);
    const expectFile = join(FIXTURES, `${s.id}.expect.json`);
    assert.ok(existsSync(harFile) && existsSync(expectFile), 'run npm run record');
    const expected = JSON.parse(readFileSync(expectFile, 'utf8')) as { scenario: string; raise: string[]; notRaise: string[]; verdict?: string | null; pageState: string };
    assert.equal(expected.scenario, s.id);
    assert.deepEqual(expected.raise, s.expect.raise, 'expectations changed since recording: run npm run record');
    assert.deepEqual(expected.notRaise, s.expect.notRaise, 'expectations changed since recording: run npm run record');
    assert.equal(expected.verdict, s.expect.verdict, 'the verdict changed since recording: run npm run record -- --expect-only');
    assert.equal(expected.pageState, 'done');
    const har = JSON.parse(readFileSync(harFile, 'utf8')) as Har;
    // A session run in a SharedWorker leaves only the worker's script in the page's capture.
    if (s.steps.every((st) => st.worker)) assert.ok(har.log.entries.some((e) => e.request.url.endsWith('/diffusion-worker.js')), 'the capture shows the worker script');
    else assert.ok(har.log.entries.some(isDiffusionEntry), 'the capture holds Diffusion traffic');
    assert.ok(readFileSync(harFile).length < 400_000, 'fixture stays small');
  });
}
