// Screenshots for the README, taken in real DevTools (undocked, 1200 × 720) with the Diffusion
// panel showing a lab scenario and its finding selected: e2e/.out/chrome-devtools-<scenario>.png.
// Each waits for what it shows, so a panel that stops showing it fails here too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, rememberLab, screenshot, waitForPanel, type ExtensionBrowser } from './harness.ts';

const SHOTS: { id: string; cascade: string; rule: string }[] = [
  { id: 'websocket-stripped-upgrade', cascade: 'WEBSOCKET failed → XHR connected', rule: 'websocket-unavailable' },
  { id: 'connection-rejected-authentication', cascade: 'WEBSOCKET rejected', rule: 'connection-rejected' },
];

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab({ only: SHOTS.map((s) => s.id) });
  browser = await launchWithExtension();
  await rememberLab(browser, lab.indexUrl);
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

for (const shot of SHOTS) {
  test(`${shot.id}: DevTools with the panel, the finding selected`, async () => {
    const s = lab.scenarios.get(shot.id);
    if (!s) throw new Error(`scenario ${shot.id} is not running`);
    s.reset();
    const page = await browser.lab.context.newPage();
    try {
      const opened = await browser.openPanel(page);
      const { panel, devtools } = opened;
      await browser.undock(opened, 1200, 720);
      await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
      await waitForPanel(panel, `${shot.cascade} and ${shot.rule}`, (v) =>
        v.rows.some((r) => r.steps.map((x) => `${x.transport} ${x.result}`).join(' → ') === shot.cascade) && v.rules.includes(shot.rule));
      // selecting the finding highlights its attempts and opens the connection's details
      await panel.evaluate(`document.querySelector('[data-testid="finding"][data-rule=${JSON.stringify(shot.rule)}]').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`);
      const view = await waitForPanel(panel, 'the finding selected with its details', (v) => v.html.includes('data-testid="finding-detail"') && v.html.includes('data-testid="attempt-detail"'));
      assert.ok(view.rows.length > 0);
      await screenshot(devtools, `chrome-devtools-${shot.id}.png`);
    } finally {
      await page.close();
    }
  });
}
