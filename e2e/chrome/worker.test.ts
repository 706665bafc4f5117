// The background worker is stopped when idle (here: closed through CDP, as the browser would):
// what it captured is in storage.session, so the panel still shows all of it, and capture goes on
// once the panel has reconnected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, rememberLab, readPanel, waitFor, waitForPanel, type ExtensionBrowser, type PanelView } from './harness.ts';

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['websocket-stripped-upgrade', 'healthy-websocket'] });
  browser = await launchWithExtension();
  await rememberLab(browser, lab.indexUrl);
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

const cascade = (row: PanelView['rows'][number]) => row.steps.map((s) => `${s.transport} ${s.result}`).join(' → ');

function scenario(id: string) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  return s;
}

test('stopping the service worker loses nothing: before DevTools opens, and while the panel is open', async () => {
  const page = await browser.lab.context.newPage();
  try {
    const stripped = scenario('websocket-stripped-upgrade');
    await runScenarioPage(page, stripped.pageUrl, stripped.scenario.boundMs);
    await new Promise((r) => setTimeout(r, 500));
    await browser.stopWorker();

    const { panel } = await browser.openPanel(page);
    await waitForPanel(panel, 'the cascade captured by the stopped worker', (v) => v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));

    await browser.stopWorker();
    // the panel reconnects and re-reads the snapshot: nothing doubles, nothing goes
    await new Promise((r) => setTimeout(r, 1000));
    const after = await readPanel(panel);
    assert.equal(after.rows.filter((r) => cascade(r) === 'WEBSOCKET failed → XHR connected').length, 1, JSON.stringify(after.rows));

    // capture goes on: a new page in the same tab reaches the panel through a new worker
    const healthy = scenario('healthy-websocket');
    await runScenarioPage(page, healthy.pageUrl, healthy.scenario.boundMs);
    await waitForPanel(panel, 'the new connection after the restart', (v) => v.rows.some((r) => r.outcome === 'connected' && cascade(r) === 'WEBSOCKET connected'));
    await waitFor('a running worker again', async () => (await browser.targets()).some((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${browser.extensionId}/`)));
  } finally {
    await page.close();
  }
});
