// Launching Debian Chromium for the lab: loopback only, *.lab.test mapped to 127.0.0.1, the lab's
// self-signed certificate accepted, optionally with unpacked extensions and a visible window.
import { chromium, type BrowserContext, type Page } from 'playwright';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_RESOLVER_RULES } from './lab.ts';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../chromium.ts';

export { CHROMIUM };
const profiles = join(dirname(fileURLToPath(import.meta.url)), '..', '.profiles');

export const CHROMIUM_ARGS = [
  ...CHROMIUM_BASE_ARGS,
  `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
  '--ignore-certificate-errors',
];

export interface LabBrowser {
  context: BrowserContext;
  profileDir: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  extensions?: string[];
  headless?: boolean;
  extraArgs?: string[];
  /** Lets CDP's Extensions.loadUnpacked / Extensions.uninstall add and remove extensions while it runs. */
  extensionsOverCdp?: boolean;
  /** A profile to start from and keep (a browser restart); by default a fresh one, deleted on close. */
  profileDir?: string;
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<LabBrowser> {
  mkdirSync(profiles, { recursive: true });
  const kept = opts.profileDir !== undefined;
  const profileDir = opts.profileDir ?? mkdtempSync(join(profiles, 'chromium-'));
  const ext = opts.extensions ?? [];
  const args = [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])];
  if (ext.length) args.push(`--disable-extensions-except=${ext.join(',')}`, `--load-extension=${ext.join(',')}`);
  if (opts.extensionsOverCdp) args.push('--enable-unsafe-extension-debugging');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: opts.headless ?? true,
      args,
      // Playwright passes --disable-extensions, which would refuse every later install.
      ignoreDefaultArgs: opts.extensionsOverCdp ? ['--disable-extensions'] : undefined,
      viewport: opts.headless === false ? null : { width: 1280, height: 900 },
    });
  } catch (e) {
    if (!kept) rmSync(profileDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    profileDir,
    async close() {
      await context.close().catch(() => undefined);
      if (!kept) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export interface PageRun {
  state: string;
  log: string;
  results: Array<{ label: string; result: string; attempts: number; reconnects: number; closeReasonId?: number | string; closedBy?: string; error?: string }>;
}

/** Open a scenario page and wait (bounded) until it marks itself done. */
export async function runScenarioPage(page: Page, url: string, boundMs: number): Promise<PageRun> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 10_000 });
  await page.waitForFunction(() => document.body?.dataset.state !== 'running', undefined, { timeout: boundMs + 3000, polling: 100 });
  return page.evaluate(() => ({
    state: document.body.dataset.state ?? '',
    log: document.getElementById('log')?.textContent ?? '',
    results: (window as unknown as { labResults: PageRun['results'] }).labResults,
  }));
}
