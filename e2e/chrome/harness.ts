// What the extension's Chromium tests share: build dist/chrome, launch Debian Chromium with it on the
// lab's loopback hosts, open the real DevTools for a tab, show the "Diffusion" panel and read its DOM
// through CDP (the panel is an iframe target chrome-extension://<id>/panel.html inside DevTools).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright';
import { launchChromium, type LabBrowser } from '../lab/browser.ts';
import { scriptUrls } from '../bench/page-overhead.ts';
import { buildExtension, panelViewExpression, root, waitFor, type PanelView } from '../support.ts';

export { buildExtension, root, waitFor };
export type { PanelView };
export const EXTENSION = join(root, 'dist/chrome');

interface TargetInfo { targetId: string; type: string; url: string; parentFrameId?: string }

export interface TargetSession {
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
  evaluate<T>(expression: string): Promise<T>;
}

export interface OpenedPanel {
  devtools: TargetSession;
  panel: TargetSession;
  devtoolsTargetId: string;
}

export interface ExtensionBrowser {
  lab: LabBrowser;
  extensionId: string;
  targets(): Promise<TargetInfo[]>;
  attach(targetId: string): Promise<TargetSession>;
  /** Opens DevTools for the page and shows the Diffusion panel; returns sessions in both. */
  openPanel(page: Page): Promise<OpenedPanel>;
  /** Undocks DevTools into its own window of this size (docked, the panel gets a narrow strip). */
  undock(opened: OpenedPanel, width: number, height: number): Promise<void>;
  /** The browser-level CDP session (downloads, permissions). */
  browserSession(): CDPSession;
  /** Stops the extension's service worker, as the browser does when it is idle. */
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchWithExtension(opts: { profileDir?: string } = {}): Promise<ExtensionBrowser> {
  const lab = await launchChromium({ extensions: [EXTENSION], ...opts });
  try {
    const sw = lab.context.serviceWorkers()[0] ?? await lab.context.waitForEvent('serviceworker', { timeout: 10_000 });
    const extensionId = new URL(sw.url()).host;
    const browser = lab.context.browser();
    if (!browser) throw new Error('no browser behind the context');
    const bs: CDPSession = await browser.newBrowserCDPSession();
    // Child sessions through Target.sendMessageToTarget: Playwright's CDPSession cannot address flat session ids.
    let seq = 0;
    const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    bs.on('Target.receivedMessageFromTarget', ({ sessionId, message }: { sessionId: string; message: string }) => {
      const m = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } };
      const p = pending.get(`${sessionId}:${m.id}`);
      if (!p) return;
      pending.delete(`${sessionId}:${m.id}`);
      if (m.error) p.reject(new Error(m.error.message));
      else p.resolve(m.result);
    });
    const targets = async () => ((await bs.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos;
    const attach = async (targetId: string): Promise<TargetSession> => {
      const { sessionId } = (await bs.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
      const send = <T>(method: string, params: Record<string, unknown> = {}) => new Promise<T>((resolve, reject) => {
        const id = ++seq;
        pending.set(`${sessionId}:${id}`, { resolve: resolve as (v: unknown) => void, reject });
        bs.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
      return {
        send,
        async evaluate<T>(expression: string): Promise<T> {
          const r = await send<{ result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
          return r.result.value;
        },
      };
    };
    return {
      lab,
      extensionId,
      targets,
      attach,
      async openPanel(page) {
        const s = await lab.context.newCDPSession(page);
        const { targetInfo } = (await s.send('Target.getTargetInfo')) as { targetInfo: TargetInfo };
        await s.detach();
        const { targetId: dtId } = (await bs.send('Target.openDevTools' as never, { targetId: targetInfo.targetId } as never)) as { targetId: string };
        const devtools = await attach(dtId);
        // DevTools names an extension panel by the extension origin and the title without spaces.
        const panelId = `chrome-extension://${extensionId}Diffusion`;
        const panelUrl = `chrome-extension://${extensionId}/panel.html`;
        const t = await waitFor('the Diffusion panel iframe', async () => {
          await devtools.evaluate(`typeof DevToolsAPI === 'object' && DevToolsAPI.showPanel(${JSON.stringify(panelId)})`);
          return (await targets()).find((x) => x.type === 'iframe' && x.url === panelUrl && x.parentFrameId === dtId);
        });
        const panel = await attach(t.targetId);
        await waitFor('the panel to render', () => panel.evaluate<boolean>(`document.readyState === 'complete' && !!document.querySelector('#root *')`));
        return { devtools, panel, devtoolsTargetId: dtId };
      },
      async undock(opened, width, height) {
        // DevTools' own dock controller, as its "Dock side" menu uses it.
        await opened.devtools.evaluate(`import('./ui/legacy/legacy.js').then((m) => m.DockController.DockController.instance().setDockSide('undocked'))`);
        const { windowId } = (await bs.send('Browser.getWindowForTarget', { targetId: opened.devtoolsTargetId })) as { windowId: number };
        await bs.send('Browser.setWindowBounds', { windowId, bounds: { width, height } });
        await waitFor('the undocked DevTools window', async () => (await opened.devtools.evaluate<number>('innerWidth')) === width);
      },
      browserSession: () => bs,
      async stopWorker() {
        const ours = async () => (await targets()).find((x) => x.type === 'service_worker' && x.url.startsWith(`chrome-extension://${extensionId}/`));
        const worker = await ours();
        if (!worker) throw new Error('no service worker target');
        // A page's hook events can start a new worker at once, under the same target id: a mark
        // set in this one tells it from its successor.
        const mark = `stop-${Date.now()}`;
        await (await attach(worker.targetId)).evaluate(`self.dciStopMark = ${JSON.stringify(mark)}`);
        await bs.send('Target.closeTarget', { targetId: worker.targetId });
        await waitFor('the worker to stop', async () => {
          const now = await ours();
          if (!now) return true;
          return (await attach(now.targetId)).evaluate<boolean>(`self.dciStopMark !== ${JSON.stringify(mark)}`);
        }, 5_000);
      },
      async close() {
        await bs.detach().catch(() => undefined);
        await lab.close();
      },
    };
  } catch (e) {
    await lab.close();
    throw e;
  }
}

/** URLs of the extension's scripts that ran in the page's frames (the Debugger lists content scripts too). */
export async function extensionScripts(page: Page): Promise<string[]> {
  return (await scriptUrls(page)).filter((u) => u.startsWith('chrome-extension://'));
}

/** The panel's note on the inspected site: "true" once the hook runs there, "false" before, null without a note. */
export function siteKnown(panel: TargetSession): Promise<string | null> {
  return panel.evaluate<string | null>(`document.querySelector('[data-testid="site-note"]')?.getAttribute('data-known') ?? null`);
}

/**
 * Makes the site of `url` known as a user does: open the page, open the Diffusion panel, press
 * "Capture from page start" (which remembers the site and reloads the page), and wait until the
 * reloaded page runs the hook. The tab (and its DevTools) is closed afterwards.
 */
export async function rememberSite(browser: ExtensionBrowser, url: string): Promise<void> {
  const page = await browser.lab.context.newPage();
  try {
    await page.goto(url, { waitUntil: 'load' });
    const { panel } = await browser.openPanel(page);
    await waitFor(`the panel to say ${new URL(url).hostname} is not known yet`, async () => (await siteKnown(panel)) === 'false');
    const reloaded = page.waitForEvent('load', { timeout: 15_000 });
    await panel.evaluate(`document.querySelector('[data-testid="capture-from-start"]').click()`);
    await reloaded;
    await waitFor('the hook in the reloaded page', async () => (await extensionScripts(page)).some((u) => u.endsWith('/hook.js')));
    await waitFor('the panel to say the site is known', async () => (await siteKnown(panel)) === 'true');
  } finally {
    await page.close();
  }
}

/** The lab's two sites (scenario pages live on app.lab.test and api.lab.test), made known through the panel. */
export async function rememberLab(browser: ExtensionBrowser, indexUrl: string): Promise<void> {
  for (const host of ['app', 'api']) {
    const u = new URL(indexUrl);
    u.hostname = `${host}.${u.hostname.split('.').slice(1).join('.')}`;
    await rememberSite(browser, u.href);
  }
}

/** What the panel shows: connection rows with their cascades, the findings' rule ids, all text. */
export function readPanel(panel: TargetSession): Promise<PanelView> {
  return panel.evaluate<PanelView>(`(() => (${panelViewExpression('document')}))()`);
}

/** A PNG of the DevTools window (the panel included), or of `clip` within it, in e2e/.out/. */
export async function screenshot(devtools: TargetSession, name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
  const shot = await devtools.send<{ data: string }>('Page.captureScreenshot', { format: 'png', ...(clip ? { clip: { ...clip, scale: 1 } } : {}) });
  mkdirSync(join(root, 'e2e/.out'), { recursive: true });
  const path = join(root, 'e2e/.out', name);
  writeFileSync(path, Buffer.from(shot.data, 'base64'));
  return path;
}

/** Sets the files of the panel's <input type=file> as the user's file picker would. */
export async function pickFile(panel: TargetSession, selector: string, path: string): Promise<void> {
  const { root: doc } = await panel.send<{ root: { nodeId: number } }>('DOM.getDocument', { depth: 0 });
  const { nodeId } = await panel.send<{ nodeId: number }>('DOM.querySelector', { nodeId: doc.nodeId, selector });
  if (!nodeId) throw new Error(`no ${selector} in the panel`);
  await panel.send('DOM.setFileInputFiles', { nodeId, files: [path] });
}

/** Waits (bounded) until the panel shows what `ok` looks for. */
export function waitForPanel(panel: TargetSession, what: string, ok: (v: PanelView) => boolean, ms = 15_000): Promise<PanelView> {
  return waitFor(what, async () => {
    const v = await readPanel(panel);
    return ok(v) ? v : undefined;
  }, ms);
}
