// Navigations in the inspected tab, in the real DevTools panel: with preserve log (the default) the
// previous page's connections stay and the navigation is marked; with it off, a navigation starts
// the capture over. The notes say since when each live source has been capturing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, rememberLab, readPanel, waitForPanel, type ExtensionBrowser, type PanelView } from './harness.ts';

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
const STRIPPED = 'WEBSOCKET failed → XHR connected';
const HEALTHY = 'WEBSOCKET connected';

async function run(page: Parameters<ExtensionBrowser['openPanel']>[0], id: string): Promise<string> {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
  return s.pageUrl;
}

const navRows = (panel: Awaited<ReturnType<ExtensionBrowser['openPanel']>>['panel']) =>
  panel.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="nav-row"]')].map((r) => r.textContent || '')`);

test('preserve log keeps the previous page with a navigation marker; turned off, a navigation clears', async () => {
  const page = await browser.lab.context.newPage();
  try {
    const { panel } = await browser.openPanel(page);
    // the notes say since when each live source has been capturing
    const start = await waitForPanel(panel, 'the source notes', (v) => /Capturing from devtools since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(v.text));
    // Chrome has no webRequest source: the permission alone would slow every page (see npm run bench)
    assert.doesNotMatch(start.text, /Capturing from webRequest/);
    assert.equal(await panel.evaluate<boolean>(`document.querySelector('[data-testid="preserve-log"]').checked`), true);

    const first = await run(page, 'websocket-stripped-upgrade');
    await waitForPanel(panel, 'the first page\'s cascade', (v) => v.rows.some((r) => cascade(r) === STRIPPED));
    const second = await run(page, 'healthy-websocket');
    const both = await waitForPanel(panel, 'both pages\' connections', (v) => v.rows.some((r) => cascade(r) === HEALTHY) && v.rows.some((r) => cascade(r) === STRIPPED));
    assert.match(both.text, /Capturing from hook since/);
    const markers = await navRows(panel);
    assert.ok(markers.some((m) => m.includes(new URL(second).pathname)), `no marker for ${second}: ${JSON.stringify(markers)}`);
    assert.ok(markers.length >= 1 && first !== second);

    // preserve log off: the next navigation starts over with only the new page's connection
    await panel.evaluate(`document.querySelector('[data-testid="preserve-log"]').click()`);
    assert.equal(await panel.evaluate<boolean>(`document.querySelector('[data-testid="preserve-log"]').checked`), false);
    await run(page, 'websocket-stripped-upgrade');
    const cleared = await waitForPanel(panel, 'only the new page\'s connection', (v) => v.rows.length > 0 && v.rows.every((r) => cascade(r) === STRIPPED));
    assert.equal(cleared.rows.length, 1, JSON.stringify(cleared.rows));
    // what the previous page did is gone for good: give late events a moment, then look again
    await new Promise((r) => setTimeout(r, 500));
    const settled = await readPanel(panel);
    assert.ok(!settled.rows.some((r) => cascade(r) === HEALTHY), JSON.stringify(settled.rows));
  } finally {
    await page.close();
  }
});
