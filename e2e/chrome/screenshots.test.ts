// The panel at the sizes people dock DevTools: a 550 × 800 window (Chrome's default right dock) and a
// 1280 × 300 one (docked at the bottom), in real DevTools with a lab scenario and its finding
// selected. At each size the regions do not overlap, nothing scrolls sideways, and every
// connection's outcome and cause can be read whole. The screenshots are the README's:
// e2e/.out/chrome-devtools-<scenario>-<size>.png (copied to docs/screenshots/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, rememberLab, screenshot, waitForPanel, type ExtensionBrowser } from './harness.ts';
import { layoutProblems, panelLayoutExpression, type PanelLayout } from '../support.ts';

const SHOTS: { id: string; cascade: string; rule: string; headline: RegExp }[] = [
  { id: 'websocket-stripped-upgrade', cascade: 'WEBSOCKET failed → XHR connected', rule: 'websocket-unavailable', headline: /answered 200 instead of 101/ },
  { id: 'connection-rejected-authentication', cascade: 'WEBSOCKET rejected', rule: 'connection-rejected', headline: /116 AUTHENTICATION_FAILED/ },
];
const SIZES = [{ width: 550, height: 800, dock: 'right' }, { width: 1280, height: 300, dock: 'bottom' }];

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
  test(`${shot.id}: docked right (550 × 800) and at the bottom (1280 × 300), outcome and cause readable`, async () => {
    const s = lab.scenarios.get(shot.id);
    if (!s) throw new Error(`scenario ${shot.id} is not running`);
    s.reset();
    const page = await browser.lab.context.newPage();
    try {
      const opened = await browser.openPanel(page);
      const { panel, devtools } = opened;
      await browser.undock(opened, SIZES[0]!.width, SIZES[0]!.height);
      await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
      await waitForPanel(panel, `${shot.cascade} and ${shot.rule}`, (v) =>
        v.rows.some((r) => r.steps.map((x) => `${x.transport} ${x.result}`).join(' → ') === shot.cascade) && v.rules.includes(shot.rule));
      // Picking the finding highlights its attempts and opens the connection's details.
      await panel.evaluate(`document.querySelector('[data-rule=${JSON.stringify(shot.rule)}]').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`);
      await waitForPanel(panel, 'the finding selected with its details', (v) => v.html.includes('aria-selected="true" class="issue') && v.html.includes('data-testid="attempt-detail"'));
      for (const size of SIZES) {
        await browser.undock(opened, size.width, size.height);
        await new Promise((r) => setTimeout(r, 300)); // one resize observer round
        const l = await panel.evaluate<PanelLayout>(panelLayoutExpression('document'));
        const where = `at ${size.width} × ${size.height}: ${JSON.stringify(l)}`;
        assert.deepEqual(layoutProblems(l), [], where);
        const main = l.rows.find((r) => shot.headline.test(r.headline));
        assert.ok(main, `no row says ${shot.headline} ${where}`);
        await screenshot(devtools, `chrome-devtools-${shot.id}-${size.width}x${size.height}.png`);
      }
    } finally {
      await page.close();
    }
  });
}
