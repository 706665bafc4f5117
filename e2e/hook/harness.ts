// What the hook's browser tests share: bundles of src/page, a headless Debian Chromium, and one
// loopback site (pages, the real diffusion client, a tiny Diffusion emulator over WS and XHR, and
// scripted WebSockets for event-order comparisons). Everything listens on 127.0.0.1, ephemeral ports.
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext } from 'playwright';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../chromium.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM_ARGS = CHROMIUM_BASE_ARGS;

/** src/page/<name>.ts as the extension will ship it: one minified IIFE. */
export async function bundle(name: 'hook' | 'relay'): Promise<string> {
  const out = await build({
    entryPoints: [join(root, `src/page/${name}.ts`)], bundle: true, minify: true, format: 'iife', target: 'es2022', write: false, logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The connection response of protocol §6: [35, v, 100] + session id + 24 token bytes + ping + max message size. */
export function connectionResponse(version: number): Buffer {
  const b = Buffer.alloc(55);
  b[0] = 35;
  b[1] = version;
  b[2] = 100;
  b.writeBigInt64BE(0x0123456789abcdefn, 3);
  b.writeBigInt64BE(0x7edcba9876543210n, 11);
  b.write('ABCDEFGHIJKLMNOPQRSTUVWX', 19, 'latin1');
  b.writeBigInt64BE(3600000n, 43);
  b.writeInt32BE(10485760, 51);
  return b;
}

export interface Site {
  origin: string;
  wsOrigin: string;
  port: number;
  /** Extra pages: path → HTML. */
  pages: Map<string, string>;
  /** Every Diffusion request the emulator answered: 'ws' or the XHR `m` value. */
  seen: string[];
  close(): Promise<void>;
}

const DIFFUSION_JS = join(root, 'node_modules/diffusion/dist/diffusion.js');

/**
 * /diffusion            Diffusion emulator: WS upgrade (v from the query) and XHR m=0/1/2
 * /script?...           WS that sends binary [1,2,3], text "two", binary [4], then closes 4001 "bye"
 * /silent?...           WS that never sends anything
 * /xhr                  POST → 200 with bytes 0x23 0x00 0x80 0xff "ok", header x-test: 1; GET /xhr?slow → 2 s
 * /diffusion.js         the real 6.12.1 browser client
 */
export async function startSite(): Promise<Site> {
  const pages = new Map<string, string>();
  const seen: string[] = [];
  const held = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/diffusion.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(DIFFUSION_JS));
    } else if (url.pathname === '/diffusion' && req.method === 'POST') {
      const m = String(req.headers['m'] ?? '');
      seen.push(`xhr m=${m}`);
      req.resume();
      if (m === '0') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(connectionResponse(Number(req.headers['v'] ?? 0)));
      } else if (m === '1') {
        // hold the long poll, answer empty later (protocol §2)
        held.add(res);
        const timer = setTimeout(() => { held.delete(res); res.writeHead(200).end(); }, 500);
        res.on('close', () => { clearTimeout(timer); held.delete(res); });
      } else {
        res.writeHead(200).end();
      }
    } else if (url.pathname === '/xhr') {
      req.resume();
      const reply = (): void => { res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-test': '1' }).end(Buffer.from([0x23, 0x00, 0x80, 0xff, 0x6f, 0x6b])); };
      if (url.searchParams.has('slow')) {
        held.add(res);
        const timer = setTimeout(() => { held.delete(res); reply(); }, 2000);
        res.on('close', () => { clearTimeout(timer); held.delete(res); });
      } else reply();
    } else if (pages.has(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(url.pathname));
    } else {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!['/diffusion', '/script', '/silent'].includes(url.pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (url.pathname === '/diffusion') {
        seen.push('ws');
        ws.send(connectionResponse(Number(url.searchParams.get('v') ?? 0)));
      } else if (url.pathname === '/script') {
        ws.send(Buffer.from([1, 2, 3]));
        ws.send('two');
        ws.send(Buffer.from([4]));
        setTimeout(() => ws.close(4001, 'bye'), 50);
      }
      ws.on('error', () => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    port,
    pages,
    seen,
    async close() {
      for (const res of held) res.destroy();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nobody listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface TestExtension {
  dir: string;
  context: BrowserContext;
  /** Messages the background received, with the sender's frame id and URL. */
  received(): Promise<{ message: unknown; frameId: number | undefined; url: string | undefined }[]>;
  close(): Promise<void>;
}

/**
 * An unpacked MV3 extension in a temp dir: the hook as a MAIN-world and the relay as an ISOLATED-world
 * content script (document_start, all frames), in the given manifest order, and a background that
 * records what it receives. Loaded into a fresh persistent Chromium profile.
 */
export async function launchWithExtension(order: 'hook-first' | 'relay-first'): Promise<TestExtension> {
  const dir = mkdtempSync(join(tmpdir(), 'dci-hook-ext-'));
  const profile = mkdtempSync(join(tmpdir(), 'dci-hook-profile-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hook.js'), await bundle('hook'));
  writeFileSync(join(dir, 'relay.js'), await bundle('relay'));
  writeFileSync(join(dir, 'background.js'), [
    'self.received = [];',
    'chrome.runtime.onMessage.addListener((message, sender) => {',
    '  self.received.push({ message, frameId: sender.frameId, url: sender.url });',
    '});',
  ].join('\n'));
  const hook = { matches: ['<all_urls>'], js: ['hook.js'], run_at: 'document_start', all_frames: true, match_about_blank: true, world: 'MAIN' };
  const relay = { matches: ['<all_urls>'], js: ['relay.js'], run_at: 'document_start', all_frames: true, match_about_blank: true, world: 'ISOLATED' };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3,
    name: 'dci hook test',
    version: '0.0.1',
    background: { service_worker: 'background.js' },
    host_permissions: ['<all_urls>'],
    content_scripts: order === 'hook-first' ? [hook, relay] : [relay, hook],
  }, null, 2));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const ctx = context;
  const worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 10000 }));
  return {
    dir,
    context: ctx,
    received: () => worker.evaluate(() => (self as unknown as { received: { message: unknown; frameId: number | undefined; url: string | undefined }[] }).received),
    async close() {
      try {
        await ctx.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
