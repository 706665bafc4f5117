// What the extension's Firefox tests share: build dist/firefox, launch Firefox ESR with it installed
// as a temporary add-on over BiDi, run lab scenario pages in fresh tabs, open the real DevTools
// toolbox on the "Diffusion" panel and read the panel's DOM (same data-testid selectors as Chrome's).
import { join } from 'node:path';
import { GECKO_ID } from '../../scripts/firefox-manifest.ts';
import { Bidi } from './bidi.ts';
import { launchFirefox, type Firefox } from './launch.ts';
import { evalInPanel, openPanel, selectedTabId } from './toolbox.ts';
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

export async function launchWithExtension(opts: { prefs?: Record<string, string | number | boolean>; extension?: string } = {}): Promise<FirefoxWithExtension> {
  const firefox = await launchFirefox(opts.prefs ? { prefs: opts.prefs } : {});
  let bidi: Bidi | undefined;
  try {
    bidi = await Bidi.connect(firefox.bidiUrl);
    const b = bidi;
    // The lab's certificate is self-signed.
    const session = await b.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    const { extension } = await b.send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: opts.extension ?? EXTENSION } });
    if (extension !== GECKO_ID) throw new Error(`installed as ${extension}, expected ${GECKO_ID}`);
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
