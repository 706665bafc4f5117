// Every scenario runs headless in real Chromium against the lab and reaches "done" within its bound,
// with each step of the application doing what the scenario data says (connected, failed with a
// given close reason, reconnected, closed by the server). One browser is shared by all scenarios.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startLab, type Lab } from '../lab.ts';
import { launchChromium, runScenarioPage, type LabBrowser } from '../browser.ts';
import { scenarios } from './catalogue.ts';

let lab: Lab;
let browser: LabBrowser;
let page: Page;

before(async () => {
  lab = await startLab();
  browser = await launchChromium();
  page = await browser.context.newPage();
});
after(async () => {
  await browser?.close();
  await lab?.close();
});

test('the index page lists every scenario with its story, as text', async () => {
  await page.goto(lab.indexUrl);
  const items = await page.locator('#scenarios li').allInnerTexts();
  assert.equal(items.length, scenarios.length);
  for (const s of scenarios) assert.ok(items.some((t) => t.includes(s.story)), s.id);
});

for (const s of scenarios) {
  test(`scenario ${s.id}`, async () => {
    const r = lab.scenarios.get(s.id);
    assert.ok(r);
    // runScenarioPage gives up after the scenario's bound: finishing at all means finishing in time.
    const run = await runScenarioPage(page, r.pageUrl, s.boundMs);
    assert.equal(run.state, 'done', run.log);
    assert.equal(run.results.length, s.steps.length, run.log);
    for (const step of s.steps) {
      const got = run.results.find((x) => x.label === step.label);
      assert.ok(got, `${step.label} ran`);
      assert.equal(got.result, step.outcome.result, `${step.label}\n${run.log}`);
      if (step.outcome.closeReasonId !== undefined) assert.equal(got.closeReasonId, step.outcome.closeReasonId, `${step.label}\n${run.log}`);
      if (step.outcome.reconnects !== undefined) assert.equal(got.reconnects > 0, step.outcome.reconnects, `${step.label}\n${run.log}`);
      if (step.outcome.closedBy) assert.equal(got.closedBy, step.outcome.closedBy, `${step.label}\n${run.log}`);
      if (step.onFailure && step.outcome.result === 'failed') assert.equal(got.attempts, step.onFailure.retries + 1, 'the application retried');
    }
  });
}
