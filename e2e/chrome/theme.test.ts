// The panel follows DevTools' theme in real DevTools: the user picks the dark theme in DevTools'
// settings, DevTools tells extensions, and the open panel turns dark (and back). A screenshot of the
// dark panel, for the README, goes to e2e/.out/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, rememberLab, screenshot, waitFor, waitForPanel, type ExtensionBrowser, type TargetSession } from './harness.ts';

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['healthy-reconnect-after-drop'] });
  browser = await launchWithExtension();
  await rememberLab(browser, lab.indexUrl);
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

const look = (panel: TargetSession) => panel.evaluate<{ theme: string; bg: string }>(`(() => {
  const el = document.querySelector('[data-testid="panel"]');
  return { theme: el.getAttribute('data-theme'), bg: getComputedStyle(el).backgroundColor };
})()`);

/** What Settings → Preferences → Theme does in DevTools' own front-end. */
async function setDevToolsTheme(devtools: TargetSession, theme: 'dark' | 'default'): Promise<unknown> {
  // DevTools' own colours follow the colour scheme of its document as well
  await devtools.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: theme === 'dark' ? 'dark' : 'light' }] });
  return devtools.evaluate(`import('./core/common/common.js').then((m) => { m.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(theme)}); return true; })`);
}

test('DevTools switching to dark switches the panel to dark, and back', async () => {
  const s = lab.scenarios.get('healthy-reconnect-after-drop');
  if (!s) throw new Error('scenario not running');
  s.reset();
  const page = await browser.lab.context.newPage();
  try {
    const opened = await browser.openPanel(page);
    const { panel, devtools } = opened;
    await browser.undock(opened, 1200, 720);
    await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
    await waitForPanel(panel, 'the reconnect', (v) => v.html.includes('data-testid="reconnect-row"'));
    assert.deepEqual(await look(panel), { theme: 'light', bg: 'rgb(255, 255, 255)' });

    await setDevToolsTheme(devtools, 'dark');
    await waitFor('the panel to turn dark', async () => (await look(panel)).theme === 'dark');
    assert.deepEqual(await look(panel), { theme: 'dark', bg: 'rgb(32, 33, 36)' });
    await panel.evaluate(`document.querySelector('[data-testid="connection-row"]').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`);
    await waitForPanel(panel, 'the details', (v) => v.html.includes('data-testid="attempt-detail"'));
    // the panel alone: DevTools' own tab strip keeps its light colours until DevTools restarts
    await screenshot(devtools, 'chrome-panel-dark-healthy-reconnect-after-drop.png', { x: 0, y: 27, width: 1200, height: 693 });

    await setDevToolsTheme(devtools, 'default');
    await waitFor('the panel to turn light again', async () => (await look(panel)).theme === 'light');
  } finally {
    await page.close();
  }
});
