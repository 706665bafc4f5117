// Records every proxy scenario through Debian's mitmdump into e2e/fixtures/proxy/: <id>.mitmproxy8.har
// (the stock contrib har_dump.py), <id>.mitmproxy10.har (har10.py) and <id>.expect.json.
// Usage: npx tsx e2e/proxy/record.ts [<id> ...]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../chromium.ts';
import { startEmulator, type Emulator } from '../lab/server/emulator.ts';
import { DIFFUSION_BUNDLE } from '../lab/lab.ts';
import type { SiteHandler } from '../lab/net.ts';
import { trimHar, type Har } from '../recorder/trim.ts';
import { freePort, mitmAvailable, startMitm } from './mitm.ts';
import { proxyScenarios, type ProxyScenario } from './scenarios.ts';

const require = createRequire(import.meta.url);
const { HttpsProxyAgent } = require('https-proxy-agent') as { HttpsProxyAgent: new (proxy: string) => import('node:http').Agent };
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'proxy');

// The browser scenarios' page: the 6.12.1 browser bundle connecting to the server that serves it.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>pending</title></head><body>
<script src="/lab/diffusion.js"></script>
<script>
diffusion.connect({ host: location.hostname, port: Number(location.port), secure: false, reconnect: false }).then(
  (s) => { document.title = 'connected'; setTimeout(() => s.close(), 1500); },
  (e) => { document.title = 'failed ' + (e && e.id); });
</script></body></html>`;

const site: SiteHandler = (req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE); return true; }
  if (path === '/lab/diffusion.js') { res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(DIFFUSION_BUNDLE)); return true; }
  return false;
};

async function inChromium(pageUrl: string, proxy: string): Promise<string> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    // Chromium sends loopback straight past a proxy unless told not to.
    args: [...CHROMIUM_BASE_ARGS, `--proxy-server=${proxy}`, '--proxy-bypass-list=<-loopback>'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(() => document.title !== 'pending', undefined, { timeout: 20_000 });
    const title = await page.title();
    await page.waitForTimeout(2000); // polls and the close go through the proxy too
    return title;
  } finally {
    await browser.close();
  }
}

export async function recordOne(s: ProxyScenario, dir = FIXTURES): Promise<string> {
  const stockHar = join(dir, `${s.id}.mitmproxy8.har`);
  const har10Har = join(dir, `${s.id}.mitmproxy10.har`);
  const { dead, ...emulatorOptions } = s.emulator;
  let emulator: Emulator | undefined;
  let port: number;
  if (dead) port = await freePort();
  else {
    emulator = await startEmulator({ name: s.id, ...emulatorOptions, ...(s.browser ? { site } : {}) });
    port = emulator.port;
  }
  const mitm = await startMitm({ stockHar, har10Har, ...(s.reverse ? { mode: `reverse:http://127.0.0.1:${port}` } : {}) });
  let result: string;
  try {
    if (s.browser) result = await inChromium(`http://127.0.0.1:${port}/`, mitm.url);
    else if (s.reverse) result = await s.run!({ host: '127.0.0.1', port: mitm.port });
    else result = await s.run!({ host: '127.0.0.1', port, agent: new HttpsProxyAgent(mitm.url) });
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await mitm.stop();
    await emulator?.close();
  }
  // The client bundle's body is the bulk of a browser capture and says nothing about the connection.
  for (const file of [stockHar, har10Har]) {
    const har = JSON.parse(readFileSync(file, 'utf8')) as Har;
    if (trimHar(har).stripped > 0) writeFileSync(file, JSON.stringify(har, null, 2));
  }
  const expectation = {
    scenario: s.id, title: s.title, story: s.story, client: s.client, built: s.built,
    builtNote: s.built === 'documentation'
      ? 'Built from documentation, not recorded from the native client: the lab\'s raw client sent this handshake shape through mitmdump.'
      : 'Recorded from the real client through mitmdump.',
    source: s.source,
    proxy: s.reverse ? 'mitmdump 8.1.1, reverse mode' : 'mitmdump 8.1.1, forward proxy',
    captures: { mitmproxy8: `${s.id}.mitmproxy8.har`, mitmproxy10: `${s.id}.mitmproxy10.har` },
    clientSaw: result,
    expect: s.expect,
  };
  writeFileSync(join(dir, `${s.id}.expect.json`), `${JSON.stringify(expectation, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!mitmAvailable()) {
    console.error('record: mitmdump or its contrib har_dump.py is missing; install with: apt-get install -y mitmproxy');
    process.exit(2);
  }
  mkdirSync(FIXTURES, { recursive: true });
  const only = process.argv.slice(2);
  for (const s of proxyScenarios.filter((x) => only.length === 0 || only.includes(x.id))) {
    const result = await recordOne(s);
    console.log(`${s.id}: ${result}`);
  }
}
