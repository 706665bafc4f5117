// What the extension's Firefox tests share: build dist/firefox, launch Firefox ESR with it installed
// as a temporary add-on over BiDi, run lab scenario pages in fresh tabs, open the real DevTools
// toolbox on the "Diffusion" panel and read the panel's DOM (same data-testid selectors as Chrome's).
import { join } from 'node:path';
import { GECKO_ID } from '../../scripts/firefox-manifest.ts';
import { Bidi } from './bidi.ts';
import { launchFirefox, type Firefox } from './launch.ts';
import { clickInPanel, closeToolbox, evalInPanel, openPanel, selectedTabId } from './toolbox.ts';
import { buildExtension, panelViewExpression, root, waitFor, type PanelView } from '../support.ts';

export { buildExtension, root, waitFor };
export type { PanelView };
export const EXTENSION = join(root, 'dist/firefox');
export { GECKO_ID };

export interface PageRun { state: string; log: string }

export interface FirefoxWithExtension {
  firefox: Firefox;
  bidi: Bidi;
  version: string;
  /** Opens a new selected tab; returns its BiDi context id. */
  newTab(): Promise<string>;
  closeTab(context: string): Promise<void>;
  /** Loads a scenario page in the tab and waits (bounded) until the page marks itself done. */
  runScenarioPage(context: string, url: string, boundMs: number): Promise<PageRun>;
  /** Opens the toolbox of the selected tab on the Diffusion panel; returns the panel's id. */
  openPanel(): Promise<string>;
  tabId(): Promise<number>;
  close(): Promise<void>;
}

/**
 * `profile` keeps the profile for a restart; `permanent` installs the extension as a normal add-on
 * (a temporary one is gone when Firefox closes; unsigned, so the profile must allow that), and
 * `installed` starts Firefox with the add-on already in the profile.
 */
export async function launchWithExtension(opts: { prefs?: Record<string, string | number | boolean>; extension?: string; profile?: string; permanent?: boolean; installed?: boolean } = {}): Promise<FirefoxWithExtension> {
  const prefs = { ...opts.prefs, ...(opts.permanent || opts.installed ? { 'xpinstall.signatures.required': false } : {}) };
  const firefox = await launchFirefox({ prefs, ...(opts.profile ? { profile: opts.profile } : {}) });
  let bidi: Bidi | undefined;
  try {
    bidi = await Bidi.connect(firefox.bidiUrl);
    const b = bidi;
    // The lab's certificate is self-signed.
    // A busy machine can keep a starting Firefox from answering for tens of seconds.
    const session = await b.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } }, 120_000);
    if (!opts.installed) {
      const { extension } = await b.send<{ extension: string }>('webExtension.install', { extensionData: { type: opts.extension?.endsWith('.xpi') ? 'archivePath' : 'path', path: opts.extension ?? EXTENSION }, ...(opts.permanent ? { 'moz:permanent': true } : {}) });
      if (extension !== GECKO_ID) throw new Error(`installed as ${extension}, expected ${GECKO_ID}`);
    }
    return {
      firefox,
      bidi: b,
      version: session.capabilities.browserVersion,
      async newTab() {
        const { context } = await b.send<{ context: string }>('browsingContext.create', { type: 'tab' });
        await b.send('browsingContext.activate', { context });
        return context;
      },
      async closeTab(context) {
        await b.send('browsingContext.close', { context }).catch(() => undefined);
      },
      async runScenarioPage(context, url, boundMs) {
        await b.send('browsingContext.navigate', { context, url, wait: 'interactive' }, 15_000);
        return waitFor('the scenario page to finish', async () => {
          const v = await b.evaluate<PageRun>(context, `({ state: document.body?.dataset.state ?? '', log: document.getElementById('log')?.textContent ?? '' })`);
          return v.state && v.state !== 'running' ? v : undefined;
        }, boundMs + 5000);
      },
      openPanel: () => openPanel(b, 'Diffusion'),
      tabId: () => selectedTabId(b),
      async close() {
        await b.send('session.end', {}, 5000).catch(() => undefined);
        b.close();
        await firefox.close();
      },
    };
  } catch (e) {
    bidi?.close();
    await firefox.close();
    throw e;
  }
}

/** The panel's note on the inspected site: "true" once the hook runs there, "false" before, null without a note. */
export function siteKnown(b: Bidi, panelId: string): Promise<string | null> {
  return evalInPanel<string | null>(b, panelId, `doc.querySelector('[data-testid="site-note"]')?.getAttribute('data-known') ?? null`);
}

/**
 * Makes the site of `url` known as a user does: open the page in a new tab, open the Diffusion
 * panel, press "Capture from page start" (which remembers the site and reloads the page), and wait
 * until the panel says the site is known. The toolbox and the tab are closed afterwards.
 */
export async function rememberSite(ff: FirefoxWithExtension, url: string): Promise<void> {
  const tab = await ff.newTab();
  try {
    await ff.bidi.send('browsingContext.navigate', { context: tab, url, wait: 'complete' }, 15_000);
    const panel = await ff.openPanel();
    await waitFor(`the panel to say ${new URL(url).hostname} is not known yet`, async () => (await siteKnown(ff.bidi, panel)) === 'false');
    await clickInPanel(ff.bidi, panel, '[data-testid="capture-from-start"]');
    await waitFor('the panel to say the site is known', async () => (await siteKnown(ff.bidi, panel)) === 'true');
    await closeToolbox(ff.bidi).catch(() => undefined);
  } finally {
    await ff.closeTab(tab);
  }
}

/** The lab's two sites (scenario pages live on app.lab.test and api.lab.test), made known through the panel. */
export async function rememberLab(ff: FirefoxWithExtension, indexUrl: string): Promise<void> {
  for (const host of ['app', 'api']) {
    const u = new URL(indexUrl);
    u.hostname = `${host}.${u.hostname.split('.').slice(1).join('.')}`;
    await rememberSite(ff, u.href);
  }
}

/** What the panel shows: connection rows with their cascades, the findings' rule ids, all text. */
export function readPanel(b: Bidi, panelId: string): Promise<PanelView> {
  return evalInPanel<PanelView>(b, panelId, panelViewExpression('doc'));
}

/** Waits (bounded) until the panel shows what `ok` looks for. */
export function waitForPanel(b: Bidi, panelId: string, what: string, ok: (v: PanelView) => boolean, ms = 15_000): Promise<PanelView> {
  let last: PanelView | undefined;
  return waitFor(what, async () => {
    const v = await readPanel(b, panelId);
    last = v;
    return ok(v) ? v : undefined;
  }, ms).catch((e: Error) => {
    throw new Error(`${e.message}\npanel rows: ${JSON.stringify(last?.rows)}\nrules: ${JSON.stringify(last?.rules)}`);
  });
}

export const cascade = (row: PanelView['rows'][number] | undefined) => row?.steps.map((s) => `${s.transport} ${s.result}`).join(' → ');
