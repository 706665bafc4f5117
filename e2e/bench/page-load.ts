// Part of `npm run bench`: what being installed costs a page's load, whether or not the page uses
// Diffusion. A loopback server serves a plain page and a page with 20 same-origin iframes under two
// host names (both mapped to 127.0.0.1 by the lab's resolver rule): one the extension knows (a site
// where Diffusion was used, so its hook and relay run in every frame) and one it does not. One
// browser installs and uninstalls the extension between blocks of loads (over CDP), so both sides
// share every process, cache and core; the load time is read by the page itself (navigation start
// to the load event, which waits for every iframe).
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright';
import { LAB_DOMAIN, labHostName } from '../lab/lab.ts';
import { launchToggled, type ToggledBrowser } from './page-overhead.ts';

export const FRAMES = 20;
/** The site the extension has been told about (Diffusion traffic seen there), and one it never saw. */
export const KNOWN_HOST = labHostName('app');
export const UNKNOWN_HOST = `news.${LAB_DOMAIN}`;

const PLAIN = `<!doctype html><html><head><meta charset="utf-8"><title>plain</title></head><body><h1>A page</h1><p>${'Some text. '.repeat(50)}</p><script>document.title = 'plain ' + document.body.childElementCount;</script></body></html>`;
const FRAME = `<!doctype html><html><head><meta charset="utf-8"><title>widget</title></head><body><p>widget</p><script>document.body.dataset.ready = '1';</script></body></html>`;
const WITH_FRAMES = `<!doctype html><html><head><meta charset="utf-8"><title>frames</title></head><body><h1>A page with widgets</h1>${
  Array.from({ length: FRAMES }, (_, i) => `<iframe src="/frame.html?i=${i}" width="120" height="60"></iframe>`).join('')}</body></html>`;

export interface LoadServer {
  port: number;
  url(host: string, page: 'plain' | 'frames'): string;
  close(): Promise<void>;
}

export async function startLoadServer(): Promise<LoadServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path === '/plain.html' ? PLAIN : path === '/frames.html' ? WITH_FRAMES : path === '/frame.html' ? FRAME : null;
    // no-store: every load fetches every document, on both sides alike
    if (body === null) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  const port = address.port;
  return {
    port,
    url: (host, page) => `http://${host}:${port}/${page}.html`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Loads `url` and returns the page's own navigation-to-load time (ms). */
export async function loadOnce(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav && nav.loadEventStart > 0 ? nav.loadEventStart - nav.startTime : NaN;
  });
  if (!Number.isFinite(ms)) throw new Error(`no load time for ${url}`);
  return ms;
}

/**
 * How many frames of the page run the hook: in each frame's main world the hook's WebSocket is a
 * Proxy, which only the debugger can tell (a page cannot). The debugger's script list holds the
 * top frame's content scripts only, and an isolated world outlives an uninstall in the renderer.
 */
export async function hookedFrames(page: Page): Promise<number> {
  const s = await page.context().newCDPSession(page);
  const contexts: number[] = [];
  s.on('Runtime.executionContextCreated', (e: { context: { id: number; auxData?: { isDefault?: boolean } } }) => {
    if (e.context.auxData?.isDefault) contexts.push(e.context.id);
  });
  try {
    await s.send('Runtime.enable');
    let hooked = 0;
    for (const contextId of contexts) {
      const r = (await s.send('Runtime.evaluate', { expression: "Object.getOwnPropertyDescriptor(WebSocket.prototype, 'binaryType').set", contextId })) as { result: { subtype?: string } };
      if (r.result.subtype === 'proxy') hooked++;
    }
    await s.send('Runtime.disable');
    return hooked;
  } finally {
    await s.detach().catch(() => undefined);
  }
}

/**
 * One Chromium with the extension switched per block of loads (Extensions.loadUnpacked / uninstall),
 * the page overhead's browser: after each install the known site is made known again (an uninstall
 * forgets it), the way the extension records a site where it saw Diffusion traffic.
 */
export type LoadBrowser = ToggledBrowser;

export function launchLoadBrowser(extensionDir: string, knownOrigin: string): Promise<LoadBrowser> {
  return launchToggled(extensionDir, knownOrigin, 'about:blank');
}
