// More of the lab in the real DevTools panel: each misconfiguration raises its rules, the lab's
// password never reaches the panel's DOM, and a screenshot of DevTools with the panel is kept in
// e2e/.out/ for a look.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { LAB_PASSWORD } from '../lab/scenarios/catalogue.ts';
import { encodePlainCredential } from '../../src/core/diffusion/credentials.ts';
import { buildExtension, launchWithExtension, rememberLab, root, waitForPanel, type ExtensionBrowser } from './harness.ts';

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab();
  browser = await launchWithExtension();
  await rememberLab(browser, lab.indexUrl);
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

async function runWithPanel(id: string) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  const page = await browser.lab.context.newPage();
  const opened = await browser.openPanel(page);
  await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
  return { page, ...opened, expect: s.scenario.expect };
}


for (const id of ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected-authentication', 'cors-preflight-failed', 'secure-to-insecure-cascade']) {
  test(`${id}: the panel raises the scenario's rules and none of its false alarms`, async () => {
    const { page, panel, expect } = await runWithPanel(id);
    try {
      const view = await waitForPanel(panel, `rules ${expect.raise.join(', ')}`, (v) => v.rows.length > 0 && expect.raise.every((r) => v.rules.includes(r)));
      // the page is done: give late events a moment, then check for false alarms
      await new Promise((r) => setTimeout(r, 500));
      const settled = await waitForPanel(panel, 'the panel', () => true);
      for (const r of expect.notRaise ?? []) assert.ok(!settled.rules.includes(r), `${id}: ${r} is a false alarm (${settled.rules.join(', ')})`);
      assert.ok(view.rows.length > 0);
    } finally {
      await page.close();
    }
  });
}

test('credentials-over-websocket: the password and its encodings never reach the panel; a screenshot of the panel', async () => {
  const { page, panel, devtools, expect } = await runWithPanel('credentials-over-websocket');
  try {
    const view = await waitForPanel(panel, `rules ${expect.raise.join(', ')}`, (v) => expect.raise.every((r) => v.rules.includes(r)));
    const tunnel = encodePlainCredential(LAB_PASSWORD);
    for (const secret of [LAB_PASSWORD, tunnel, encodeURIComponent(tunnel)]) {
      assert.ok(!view.html.includes(secret) && !view.text.includes(secret), `the panel shows ${secret}`);
    }
    const shot = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    mkdirSync(join(root, 'e2e/.out'), { recursive: true });
    writeFileSync(join(root, 'e2e/.out/chrome-panel-credentials-over-websocket.png'), Buffer.from(shot.data, 'base64'));
  } finally {
    await page.close();
  }
});
