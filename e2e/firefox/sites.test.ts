// Firefox runs the hook only on sites where Diffusion was used: on a site the extension does not know
// none of its content scripts matches the page (Firefox's own content-script list, read through BiDi's
// privileged scope) and the panel has nothing from the hook; its "Capture from page start" button
// remembers the site and reloads the page, whose cascade the hook then captures from the page's
// start; and after Firefox restarts on the same profile (the add-on installed for good, as a user has
// it) the site is still known before any DevTools opens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/lab.ts';
import { buildExtension, cascade, EXTENSION, GECKO_ID, launchWithExtension, root, siteKnown, waitFor, waitForPanel, type FirefoxWithExtension } from './harness.ts';
import { chromeEval, clickInPanel, closeToolbox } from './toolbox.ts';

let lab: Lab;
let profile = '';
let xpi = '';
let firefox: FirefoxWithExtension | undefined;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['websocket-stripped-upgrade'] });
  mkdirSync(join(root, 'e2e/.profiles'), { recursive: true });
  profile = mkdtempSync(join(root, 'e2e/.profiles/firefox-restart-'));
  // A permanent install takes a packed add-on.
  xpi = join(mkdtempSync(join(root, 'e2e/.profiles/firefox-xpi-')), 'dci.xpi');
  const zipped = spawnSync('zip', ['-qr', xpi, '.'], { cwd: EXTENSION, encoding: 'utf8', timeout: 60_000 });
  if (zipped.status !== 0) throw new Error(`zip failed: ${zipped.stderr || zipped.error?.message}`);
});

after(async () => {
  await firefox?.close();
  await lab?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (xpi) rmSync(join(xpi, '..'), { recursive: true, force: true });
});

const STRIPPED = 'WEBSOCKET failed → XHR connected';

function scenario() {
  const s = lab.scenarios.get('websocket-stripped-upgrade');
  if (!s) throw new Error('websocket-stripped-upgrade is not running');
  s.reset();
  return s;
}

/** How many of the extension's content scripts Firefox would run in a page at `url`. */
const matching = (ff: FirefoxWithExtension, url: string) => chromeEval<number>(ff.bidi, `(() => {
  const uri = Services.io.newURI(${JSON.stringify(url)});
  return WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).contentScripts.filter((s) => s.matchesURI(uri)).length;
})()`);

test('an unknown site gets no content script; the panel\'s button captures it from page start', async () => {
  firefox = await launchWithExtension({ profile, permanent: true, extension: xpi });
  const ff = firefox;
  const s = scenario();
  const tab = await ff.newTab();
  try {
    assert.equal(await matching(ff, s.pageUrl), 0);
    await ff.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
    const panel = await ff.openPanel();
    await waitFor('the note on the unknown site', async () => (await siteKnown(ff.bidi, panel)) === 'false');
    const before = await waitForPanel(ff.bidi, panel, 'the panel', (v) => v.text.includes('Nothing runs on'));
    assert.doesNotMatch(before.text, /Capturing from hook/);

    scenario();
    await clickInPanel(ff.bidi, panel, '[data-testid="capture-from-start"]');
    const view = await waitForPanel(ff.bidi, panel, 'the cascade captured by the hook after the reload', (v) =>
      /Capturing from hook/.test(v.text) && v.rows.some((r) => cascade(r) === STRIPPED) && v.rules.includes('websocket-unavailable'), 30_000);
    assert.match(view.text, /The hook captures every page of [a-z.]+ from its start/);
    assert.equal(await matching(ff, s.pageUrl), 2, 'the hook and the relay');
    await closeToolbox(ff.bidi).catch(() => undefined);
  } finally {
    await ff.closeTab(tab);
  }
  // A user's quit, so the profile is written as Firefox leaves it.
  await chromeEval(ff.bidi, `(() => { setTimeout(() => Services.startup.quit(Ci.nsIAppStartup.eAttemptQuit), 100); return null; })()`).catch(() => undefined);
  await waitFor('Firefox to exit', () => ff.firefox.proc.exitCode !== null || ff.firefox.proc.signalCode !== null, 30_000);
  await ff.close();
  firefox = undefined;
});

test('after a restart on the same profile the site is captured from page start before DevTools opens', async () => {
  firefox = await launchWithExtension({ profile, installed: true });
  const ff = firefox;
  const s = scenario();
  await waitFor('the add-on to start', () => chromeEval<boolean>(ff.bidi, `!!WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)})`));
  const tab = await ff.newTab();
  try {
    await ff.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
    const panel = await ff.openPanel();
    await waitForPanel(ff.bidi, panel, 'the cascade from before DevTools was opened', (v) =>
      /Capturing from hook/.test(v.text) && v.rows.some((r) => cascade(r) === STRIPPED) && v.rules.includes('websocket-unavailable'));
    assert.equal(await siteKnown(ff.bidi, panel), 'true');
  } finally {
    await ff.closeTab(tab);
  }
});
