// The extension runs its hook only on sites where Diffusion was used: a site it does not know gets
// no content script at all (the Debugger lists every script a frame ran), the panel reads DevTools'
// network log there and remembers the site once it shows Diffusion traffic, its "Capture from page
// start" button remembers the site and reloads the page, whose cascade is then captured from the
// page's start; a remembered site is still known after the browser restarts on the same profile,
// and "Forget site" takes the hook off it again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, extensionScripts, launchWithExtension, root, siteKnown, waitFor, waitForPanel, type ExtensionBrowser, type PanelView } from './harness.ts';

let lab: Lab;
let profileDir = '';
const open = new Set<ExtensionBrowser>();

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['websocket-stripped-upgrade', 'healthy-websocket'] });
  mkdirSync(join(root, 'e2e/.profiles'), { recursive: true });
  profileDir = mkdtempSync(join(root, 'e2e/.profiles/chromium-restart-'));
});

after(async () => {
  for (const b of open) await b.close();
  await lab?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

async function launch(): Promise<ExtensionBrowser> {
  const b = await launchWithExtension({ profileDir });
  open.add(b);
  return b;
}

function scenario(id: string) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  return s;
}

const cascade = (row: PanelView['rows'][number]) => row.steps.map((s) => `${s.transport} ${s.result}`).join(' → ');
const STRIPPED = 'WEBSOCKET failed → XHR connected';

async function registered(b: ExtensionBrowser): Promise<string[]> {
  const sw = b.lab.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${b.extensionId}/`))
    ?? await b.lab.context.waitForEvent('serviceworker', { timeout: 10_000 });
  return sw.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []));
}

test('an unknown site gets no content script; the panel remembers it on Diffusion traffic, and its button captures from page start', async () => {
  const browser = await launch();
  const stripped = scenario('websocket-stripped-upgrade');
  const site = new URL(stripped.pageUrl).hostname;
  const page = await browser.lab.context.newPage();
  try {
    // A Diffusion page on a site the extension has never seen: nothing of the extension runs in it.
    const run = await runScenarioPage(page, stripped.pageUrl, stripped.scenario.boundMs);
    assert.equal(run.state, 'done');
    assert.deepEqual(await extensionScripts(page), []);
    assert.deepEqual(await registered(browser), []);

    const { panel } = await browser.openPanel(page);
    const unknown = await waitForPanel(panel, 'the note on the unknown site', (v) => v.text.includes(`Nothing runs on ${site}`));
    assert.doesNotMatch(unknown.text, /Capturing from hook/);
    assert.equal(await siteKnown(panel), 'false');

    // "Capture from page start": the site is remembered and the page reloaded; the hook sees the
    // whole cascade from the page's first script.
    stripped.reset();
    const reloaded = page.waitForEvent('load', { timeout: 15_000 });
    await panel.evaluate(`document.querySelector('[data-testid="capture-from-start"]').click()`);
    await reloaded;
    const view = await waitForPanel(panel, 'the cascade captured by the hook after the reload', (v) =>
      /Capturing from hook/.test(v.text) && v.rows.some((r) => cascade(r) === STRIPPED) && v.rules.includes('websocket-unavailable'));
    assert.match(view.text, new RegExp(`The hook captures every page of ${site.replace(/\./g, '\\.')} from its start`));
    const scripts = await extensionScripts(page);
    assert.ok(scripts.some((u) => u === `chrome-extension://${browser.extensionId}/hook.js`), JSON.stringify(scripts));
    assert.ok(scripts.some((u) => u === `chrome-extension://${browser.extensionId}/relay.js`), JSON.stringify(scripts));
    assert.deepEqual(await registered(browser), [`*://${site}/*`, `*://${site}/*`]);

    // Another unknown site, the panel already open: Diffusion traffic in DevTools' network log is
    // enough for the extension to remember it (from the next load on).
    const healthy = scenario('healthy-websocket');
    const other = new URL(healthy.pageUrl);
    other.hostname = site === 'app.lab.test' ? 'api.lab.test' : 'app.lab.test';
    await runScenarioPage(page, other.href, healthy.scenario.boundMs);
    await waitForPanel(panel, 'the other site\'s connection from the network log', (v) => v.rows.some((r) => r.outcome === 'connected' && cascade(r) === 'WEBSOCKET connected'));
    await waitFor('the other site to be remembered', async () => (await registered(browser)).includes(`*://${other.hostname}/*`));
    await waitForPanel(panel, 'the note on the newly remembered site', (v) => v.text.includes(`${other.hostname} is remembered`));
  } finally {
    await page.close();
  }
  await browser.close();
  open.delete(browser);
});

test('a remembered site is still captured from page start after the browser restarts', async () => {
  const browser = await launch();
  const stripped = scenario('websocket-stripped-upgrade');
  const site = new URL(stripped.pageUrl).hostname;
  // The registration comes back as Chrome loads the extension (persisted, or registered again from
  // the remembered list when the worker starts): a page opened before that runs without it, as
  // before any extension has started.
  await waitFor('the remembered site\'s registration after the restart', async () => (await registered(browser)).includes(`*://${site}/*`));
  const page = await browser.lab.context.newPage();
  try {
    await runScenarioPage(page, stripped.pageUrl, stripped.scenario.boundMs);
    const scripts = await extensionScripts(page);
    assert.ok(scripts.includes(`chrome-extension://${browser.extensionId}/hook.js`), `the hook ran in the first page after the restart (extension scripts: ${JSON.stringify(scripts)}; registered: ${JSON.stringify(await registered(browser))})`);
    const { panel } = await browser.openPanel(page);
    await waitForPanel(panel, 'the cascade from before DevTools was opened', (v) => v.rows.some((r) => cascade(r) === STRIPPED) && v.rules.includes('websocket-unavailable'));
    assert.equal(await siteKnown(panel), 'true');

    // "Forget site" takes the hook off the site again.
    await panel.evaluate(`document.querySelector('[data-testid="forget-site"]').click()`);
    await waitFor('the site to be forgotten', async () => !(await registered(browser)).includes(`*://${site}/*`));
    await waitForPanel(panel, 'the note on the forgotten site', (v) => v.text.includes(`Nothing runs on ${site}`));
  } finally {
    await page.close();
  }
});
