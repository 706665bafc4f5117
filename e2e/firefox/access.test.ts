// Firefox's opt-in host access: with access withheld (extensions.originControls.grantByDefault false)
// the panel shows the access banner; its button opens the extension's access page, whose button asks
// Firefox for access (real clicks; the test profile turns the permission prompt off, since a headless
// prompt cannot be clicked); the panel's banner goes, and its "Capture from page start" button then
// remembers the site and reloads the page, whose traffic the hook captures from the page's start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { buildExtension, cascade, GECKO_ID, launchWithExtension, siteKnown, waitFor, waitForPanel, type FirefoxWithExtension } from './harness.ts';
import { chromeEval, clickInPanel, evalInPanel } from './toolbox.ts';

let lab: Lab;
let firefox: FirefoxWithExtension;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['healthy-websocket'] });
  firefox = await launchWithExtension({
    prefs: { 'extensions.originControls.grantByDefault': false, 'extensions.webextOptionalPermissionPrompts': false },
  });
});

after(async () => {
  await firefox?.close();
  await lab?.close();
});

const grantedOrigins = () => chromeEval<string[]>(firefox.bidi, `(async () => {
  const { ExtensionPermissions } = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
  return (await ExtensionPermissions.get(${JSON.stringify(GECKO_ID)})).origins;
})()`);

/** A user's click (BiDi input actions) at the middle of an element of a content page. */
async function clickButton(context: string, selector: string): Promise<void> {
  const at = await waitFor(selector, () => firefox.bidi.evaluate<{ x: number; y: number } | null>(context,
    `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; const r = e.getBoundingClientRect(); return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) }; })()`));
  await firefox.bidi.send('browsingContext.activate', { context });
  await firefox.bidi.send('input.performActions', { context, actions: [{ type: 'pointer', id: 'mouse', actions: [
    { type: 'pointerMove', x: at.x, y: at.y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 },
  ] }] });
}

const banner = (panel: string) => evalInPanel<boolean>(firefox.bidi, panel, `!!doc.querySelector('[data-testid="access-banner"]')`);

test('without host access the panel offers a button; after the click access is granted, the banner goes and the page is captured from its start', async () => {
  assert.deepEqual(await grantedOrigins(), []);
  const s = lab.scenarios.get('healthy-websocket');
  if (!s) throw new Error('healthy-websocket is not running');
  s.reset();
  const tab = await firefox.newTab();
  try {
    await firefox.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
    const panel = await firefox.openPanel();
    await waitFor('the access banner', () => banner(panel));

    await clickInPanel(firefox.bidi, panel, '[data-testid="access-request"]');
    const page = await waitFor('the access page', async () => {
      const { contexts } = await firefox.bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {});
      return contexts.find((c) => c.url.endsWith('/access.html'))?.context;
    });
    await clickButton(page, '[data-testid="access-allow"]');
    await waitFor('access to be granted', async () => (await grantedOrigins()).includes('<all_urls>'));
    await firefox.bidi.send('browsingContext.close', { context: page }).catch(() => undefined);
    await firefox.bidi.send('browsingContext.activate', { context: tab });
    await waitFor('the banner to go', async () => !(await banner(panel)));

    // The site is not known yet: the panel offers to capture it from page start, which reloads the page.
    await waitFor('the note on the unknown site', async () => (await siteKnown(firefox.bidi, panel)) === 'false');
    s.reset();
    await clickInPanel(firefox.bidi, panel, '[data-testid="capture-from-start"]');
    const view = await waitForPanel(firefox.bidi, panel, 'the connection captured by the hook after the reload', (v) =>
      /Capturing from hook/.test(v.text) && v.rows.some((r) => cascade(r) === 'WEBSOCKET connected'));
    assert.match(view.text, /The hook captures every page of [a-z.]+ from its start/);
  } finally {
    await firefox.closeTab(tab);
  }
});
