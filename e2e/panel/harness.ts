// Shared by the panel tests: build the inline shell to a temp dir, serve it on 127.0.0.1 with any
// extra files (HAR fixtures), and open it in headless Chromium. Everything stays on loopback and
// everything started here is closed by `close()`.
import { build } from 'esbuild';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../chromium.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { panelBuildOptions } from '../../panel/build.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = join(ROOT, 'e2e/.out');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.har': 'application/json',
  '.json': 'application/json',
};

export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  /** Script run in the page before the shell loads (e.g. to block the clipboard API as DevTools does). */
  init?: string;
}

export interface ShellEnv {
  dir: string;
  origin: string;
  browser: Browser;
  context: BrowserContext;
  /** Add a file the server will serve at /<name>. */
  put(name: string, text: string): string;
  /** Open the shell; collects dialogs and page errors for assertions. */
  open(query?: string, options?: OpenOptions): Promise<{ page: Page; dialogs: string[]; errors: string[] }>;
  close(): Promise<void>;
}

/** Build once per test file (esbuild is fast), serve, launch. `define`: extra build-time constants. */
export async function startShell(extraEntries: Record<string, string> = {}, define: Record<string, string> = {}): Promise<ShellEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'dci-panel-'));
  let server: Server | null = null;
  let browser: Browser | null = null;
  try {
    const shell = panelBuildOptions(ROOT, { outdir: dir });
    await build({ ...shell, define: { ...shell.define, ...define } });
    for (const [out, entry] of Object.entries(extraEntries)) {
      const base = panelBuildOptions(ROOT, { outdir: dir });
      await build({ ...base, entryPoints: [{ in: entry, out }] });
    }
    const files = new Map<string, string>();
    server = createServer((req, res) => {
      void (async () => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
        if (path.includes('..')) { res.writeHead(400).end(); return; }
        const mem = files.get(path);
        try {
          const body = mem ?? (await readFile(join(dir, path || 'shell.html')));
          res.writeHead(200, { 'content-type': TYPES[extname(path || '.html')] ?? 'application/octet-stream', 'cache-control': 'no-store' });
          res.end(body);
        } catch {
          res.writeHead(404).end('not found');
        }
      })();
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no server address');
    const origin = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 30_000,
      args: [...CHROMIUM_BASE_ARGS],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, acceptDownloads: true });
    // Nothing but the loopback server: any other request is a bug (or an attack that worked).
    await context.route((url) => !url.href.startsWith(origin) && !url.href.startsWith('blob:') && !url.href.startsWith('data:'), (route) => route.abort());
    const srv = server;
    const br = browser;
    return {
      dir,
      origin,
      browser: br,
      context,
      put(name, text) {
        files.set(name, text);
        return `${origin}/${name}`;
      },
      async open(query = '', options = {}) {
        const page = await context.newPage();
        if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
        if (options.init) await page.addInitScript(options.init);
        page.setDefaultTimeout(10_000);
        const dialogs: string[] = [];
        const errors: string[] = [];
        page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${origin}/shell.html${query}`, { timeout: 15_000 });
        return { page, dialogs, errors };
      },
      async close() {
        await br.close().catch(() => {});
        await new Promise<void>((r) => srv.close(() => r()));
        srv.closeAllConnections?.();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close().catch(() => {});
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function writeOut(name: string, text: string | Buffer): string {
  mkdirSync(OUT, { recursive: true });
  const p = join(OUT, name);
  writeFileSync(p, text);
  return p;
}
