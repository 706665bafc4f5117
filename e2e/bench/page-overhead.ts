// Part 1 of `npm run bench`: what the extension costs the pages it sits in. A loopback echo server
// (WebSocket echo and a tiny XHR endpoint on 127.0.0.1, ephemeral port), the page that drives it,
// one browser that installs and uninstalls the extension between runs (so both sides share every
// process, cache and core), and DevTools opened on a tab of a browser without the extension (the
// baseline for the case where the Diffusion panel is open). The traffic is plain, non-Diffusion
// traffic on a site the extension knows (so the hook runs there): what every page of such a site
// pays. Sites it does not know get no hook at all (page-load.ts measures that).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { CDPSession, Page, Worker } from 'playwright';
import { WebSocketServer } from 'ws';
import { launchChromium, type LabBrowser } from '../lab/browser.ts';
import { waitFor } from '../support.ts';

export const MESSAGES = 100_000;
/** Messages in flight: enough to keep the socket busy, so per-message cost is what the time shows. */
export const WINDOW = 64;
export const XHRS = 1_000;
const MESSAGE = 'x'.repeat(32);

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>page overhead</title></head><body>
<script>
// Bounded: each run rejects after limitMs rather than hanging the bench.
window.benchWs = (url, n, inFlight, message, limitMs) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url);
  const timer = setTimeout(() => { ws.close(); reject(new Error('WebSocket run over ' + limitMs + ' ms, ' + received + ' of ' + n + ' echoed')); }, limitMs);
  // A mark every CHUNK echoes: the median chunk is what echoes cost, whatever bursts of other work did.
  const CHUNK = 1000, chunks = [];
  let sent = 0, received = 0, bytes = 0, t0 = 0, mark = 0;
  ws.onerror = () => { clearTimeout(timer); reject(new Error('WebSocket error')); };
  ws.onopen = () => {
    t0 = mark = performance.now();
    for (; sent < Math.min(inFlight, n); sent++) ws.send(message);
  };
  ws.onmessage = (e) => {
    received++;
    bytes += e.data.length;
    if (received % CHUNK === 0) { const now = performance.now(); chunks.push(now - mark); mark = now; }
    if (sent < n) { ws.send(message); sent++; }
    if (received === n) {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      ws.onclose = () => resolve({ ms, bytes, chunks });
      ws.close();
    }
  };
});
// Each XHR's own time too, open() to load: its median is what one request costs, whatever bursts
// of other work on the machine did to the total.
window.benchXhr = (n, limitMs) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const each = [];
  let i = 0, bytes = 0;
  const next = () => {
    if (i === n) { resolve({ ms: performance.now() - t0, bytes, each }); return; }
    if (performance.now() - t0 > limitMs) { reject(new Error('XHR run over ' + limitMs + ' ms, ' + i + ' of ' + n)); return; }
    const x = new XMLHttpRequest();
    const start = performance.now();
    x.open('GET', '/x?i=' + i++);
    x.onload = () => { each.push(performance.now() - start); bytes += x.responseText.length; next(); };
    x.onerror = () => reject(new Error('XHR error'));
    x.send();
  };
  next();
});
</script></body></html>`;

const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export interface EchoServer {
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // Cross-origin isolated, so performance.now() is precise to microseconds rather than 100 µs.
    if (path === '/page.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...ISOLATED }).end(PAGE);
    else if (path === '/x') res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('ok');
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, path: '/echo', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    wsUrl: `ws://127.0.0.1:${address.port}/echo`,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface WorkloadRun {
  wsMs: number;
  xhrMs: number;
  wsCpuMs: number;
  xhrCpuMs: number;
  /** Time of each 1,000 consecutive echoes. */
  wsChunkMs: number[];
  /** Time of each XHR, open() to load. */
  xhrEachMs: number[];
}
/** Echoes per timed chunk of the WebSocket run. */
export const CHUNK = 1000;

/**
 * One run in an open page: 100k echoed messages, then 1k sequential XHRs; each checked for
 * completeness. `cpu` samples the CPU time of the page's browser, before and after each part.
 */
export async function runWorkload(page: Page, server: EchoServer, cpu: () => number, limitMs = 120_000): Promise<WorkloadRun> {
  if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the bench page is not cross-origin isolated: its timer would be coarse');
  const c0 = cpu();
  const ws = await page.evaluate(({ url, n, w, m, limitMs }) => (window as unknown as { benchWs(u: string, n: number, w: number, m: string, l: number): Promise<{ ms: number; bytes: number; chunks: number[] }> }).benchWs(url, n, w, m, limitMs),
    { url: server.wsUrl, n: MESSAGES, w: WINDOW, m: MESSAGE, limitMs });
  const c1 = cpu();
  if (ws.bytes !== MESSAGES * MESSAGE.length || ws.chunks.length !== MESSAGES / CHUNK) throw new Error(`echoed ${ws.bytes} bytes in ${ws.chunks.length} chunks, expected ${MESSAGES * MESSAGE.length} in ${MESSAGES / CHUNK}`);
  const xhr = await page.evaluate(({ n, limitMs }) => (window as unknown as { benchXhr(n: number, l: number): Promise<{ ms: number; bytes: number; each: number[] }> }).benchXhr(n, limitMs), { n: XHRS, limitMs });
  const c2 = cpu();
  if (xhr.bytes !== XHRS * 2 || xhr.each.length !== XHRS) throw new Error(`XHRs returned ${xhr.bytes} bytes in ${xhr.each.length} loads, expected ${XHRS * 2} in ${XHRS}`);
  return { wsMs: ws.ms, xhrMs: xhr.ms, wsCpuMs: c1 - c0, xhrCpuMs: c2 - c1, wsChunkMs: ws.chunks, xhrEachMs: xhr.each };
}

// ---- CPU time of a browser: every process under its main one (renderers, network service, the
// extension's worker). Unlike wall time it hardly moves when other work shares the cores.
const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Stat { pid: number; ppid: number; ticks: number }
function readStat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command, which is in parentheses and may contain spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

/** A sampler of the CPU milliseconds used so far by the browser that runs on `profileDir`. */
export function browserCpu(profileDir: string): () => number {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const main = pids.find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.includes(`--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith('--type='));
    } catch {
      return false;
    }
  });
  if (!main) throw new Error(`no browser process for ${profileDir}`);
  const root = Number(main);
  return () => {
    const stats = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(readStat).filter((s): s is Stat => s !== null);
    const children = new Map<number, Stat[]>();
    for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
    let ticks = 0;
    const todo = stats.filter((s) => s.pid === root);
    for (let s = todo.pop(); s; s = todo.pop()) {
      ticks += s.ticks;
      todo.push(...(children.get(s.pid) ?? []));
    }
    return ticks * TICK_MS;
  };
}

/**
 * One Chromium whose extension is switched per run through CDP (Extensions.loadUnpacked and
 * Extensions.uninstall): the same browser process, network service and profile on both sides, so
 * what differs between the sides is the extension alone.
 */
export interface ToggledBrowser {
  lab: LabBrowser;
  page: Page;
  cpu: () => number;
  /** Installs or uninstalls the extension, waits for its worker to come or go, then loads the landing page. */
  use(withExtension: boolean): Promise<void>;
  /** Whether the extension's hook ran in the page as it is loaded now. */
  hookRan(): Promise<boolean>;
  close(): Promise<void>;
}

/** Time after an install or uninstall and before a run, for the worker's start-up to pass. */
const SETTLE_MS = 1500;

/**
 * `site` is made known to the extension on every install; each `use` ends on `landing` (the site's
 * page itself, or a blank page for a caller that loads its own pages).
 */
export async function launchToggled(extensionDir: string, site: string, landing = site): Promise<ToggledBrowser> {
  const lab = await launchChromium({ extensionsOverCdp: true });
  try {
    const browser = lab.context.browser();
    if (!browser) throw new Error('no browser behind the context');
    const bs = await browser.newBrowserCDPSession();
    const page = lab.context.pages()[0] ?? await lab.context.newPage();
    page.setDefaultTimeout(30_000);
    let id: string | null = null;
    const workerOf = (extensionId: string) => lab.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    return {
      lab,
      page,
      cpu: browserCpu(lab.profileDir),
      async use(withExtension) {
        if (withExtension && id === null) {
          const loaded = (await bs.send('Extensions.loadUnpacked' as never, { path: extensionDir } as never)) as { id: string };
          id = loaded.id;
          // The hook runs only on sites the extension knows: this one is, as if Diffusion was seen there.
          await rememberSite(await waitFor('the extension worker to start', () => workerOf(loaded.id)), site);
        } else if (!withExtension && id !== null) {
          const gone = id;
          await bs.send('Extensions.uninstall' as never, { id: gone } as never);
          id = null;
          await waitFor('the extension worker to stop', () => workerOf(gone) === undefined);
        }
        // The same pause on every run, whether or not it switched, so neither side runs right after one.
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        await page.goto(landing, { timeout: 30_000 });
      },
      async hookRan() {
        return (await scriptUrls(page)).some((u) => u.startsWith('chrome-extension://') && u.endsWith('/hook.js'));
      },
      close: () => lab.close(),
    };
  } catch (e) {
    await lab.close();
    throw e;
  }
}

/** URLs of the scripts that ran in the page, to prove which side has the hook (Debugger reports content scripts too). */
export async function scriptUrls(page: Page): Promise<string[]> {
  const s = await page.context().newCDPSession(page);
  const urls: string[] = [];
  s.on('Debugger.scriptParsed', (e: { url: string }) => { if (e.url) urls.push(e.url); });
  try {
    await s.send('Debugger.enable');
    await s.send('Debugger.disable');
  } finally {
    await s.detach().catch(() => undefined);
  }
  return urls;
}

/** Opens DevTools for the page (Target.openDevTools) and waits until its front end has loaded. */
export async function openDevTools(page: Page): Promise<void> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser behind the context');
  const s = await page.context().newCDPSession(page);
  const { targetInfo } = (await s.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } };
  await s.detach();
  const bs: CDPSession = await browser.newBrowserCDPSession();
  try {
    const { targetId } = (await bs.send('Target.openDevTools' as never, { targetId: targetInfo.targetId } as never)) as { targetId: string };
    const { sessionId } = (await bs.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
    // Child session through Target.sendMessageToTarget: Playwright's CDPSession cannot address flat ids.
    let id = 0;
    const evaluate = (expression: string) => new Promise<unknown>((resolve, reject) => {
      const mine = ++id;
      const on = ({ sessionId: from, message }: { sessionId: string; message: string }) => {
        const m = JSON.parse(message) as { id?: number; result?: { result?: { value?: unknown } }; error?: { message: string } };
        if (from !== sessionId || m.id !== mine) return;
        bs.off('Target.receivedMessageFromTarget', on);
        if (m.error) reject(new Error(m.error.message)); else resolve(m.result?.result?.value);
      };
      bs.on('Target.receivedMessageFromTarget', on);
      bs.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }) }).catch(reject);
    });
    const end = Date.now() + 20_000;
    while (!(await evaluate(`document.readyState === 'complete' && typeof DevToolsAPI === 'object'`).catch(() => false))) {
      if (Date.now() > end) throw new Error('timed out waiting for DevTools to load');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The front end attaches its models (Network among them) just after load.
    await new Promise((r) => setTimeout(r, 2000));
    await bs.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
  } finally {
    await bs.detach().catch(() => undefined);
  }
}

/**
 * Tells the extension about a site as its background does when Diffusion traffic is seen there (the
 * list of sites in storage.local, which the background follows), and waits until its content
 * scripts are registered for it. An extension that injects everywhere from its manifest (the design
 * before sites were remembered) needs nothing.
 */
export async function rememberSite(worker: Worker, origin: string): Promise<void> {
  const host = new URL(origin).hostname;
  await worker.evaluate(async (h) => {
    const c = (globalThis as unknown as { chrome: { scripting?: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> }; storage: { local: { set(v: object): Promise<void> } } } }).chrome;
    if (!c.scripting) return;
    await c.storage.local.set({ sites: [h] });
    for (let i = 0; i < 100; i++) {
      if ((await c.scripting.getRegisteredContentScripts()).some((s) => (s.matches ?? []).some((m) => m.includes(`://${h}/`)))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no content scripts registered for ${h}`);
  }, host);
}
