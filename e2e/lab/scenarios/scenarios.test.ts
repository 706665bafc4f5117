// Every scenario runs headless in real Chromium against the lab and reaches "done" within its bound,
// with each step of the application doing what the scenario data says (connected, failed with a
// given close reason, reconnected, closed by the server); a scenario behind real nginx or HAProxy shows
// their configuration on its page and their own logs show the story. One browser is shared by all scenarios.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { readFileSync } from 'node:fs';
import { startLab, type Lab, type RunningScenario } from '../lab.ts';
import type { RealProxy } from '../proxies/proxies.ts';
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

test('the index page lists every scenario with its story, its verdict and its real proxies, as text', async () => {
  await page.goto(lab.indexUrl);
  const items = await page.locator('#scenarios li').allInnerTexts();
  assert.equal(items.length, scenarios.length);
  for (const s of scenarios) {
    const item = items.find((t) => t.includes(s.story));
    assert.ok(item, s.id);
    assert.ok(item.includes(s.expect.verdict ? `verdict: ${s.expect.verdict}` : 'verdict: none (healthy)'), item);
    const kinds = Object.values(s.endpoints).map((e) => e.kind);
    if (kinds.includes('nginx')) assert.match(item, /through real nginx 1\.22/);
    if (kinds.includes('haproxy')) assert.match(item, /through real HAProxy 2\.6/);
  }
});

/** Bounded wait for a real proxy's log to show what the scenario says (HAProxy logs a request when it ends). */
async function proxyLogShows(r: RunningScenario, name: string, pattern: string): Promise<string> {
  const proxy = r.endpoints.get(name)?.server as RealProxy | undefined;
  assert.ok(proxy && 'logText' in proxy, `${name} is a running real proxy`);
  for (let i = 0; i < 40 && !new RegExp(pattern).test(proxy.logText()); i++) await new Promise((res) => setTimeout(res, 50));
  return proxy.logText();
}

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
    // Real proxies: the page shows each configuration exactly as the running process read it, and its log shows the story.
    const shown = await page.locator('pre.config').allTextContents();
    const proxies = [...r.endpoints.values()].filter((e) => e.kind === 'nginx' || e.kind === 'haproxy');
    assert.deepEqual(shown, proxies.map((e) => readFileSync((e.server as RealProxy).file, 'utf8')));
    for (const [name, pattern] of Object.entries(s.proxyLog ?? {})) assert.match(await proxyLogShows(r, name, pattern), new RegExp(pattern));
  });
}
