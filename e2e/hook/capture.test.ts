// What the hook posts, read by a stand-in for the relay that collects the raw wire events in the page
// (test only), plus the hook's size and install time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright';
import { bundle, launchBrowser, startSite, type Site } from './harness.ts';
import { PORT_EVENT, READY_EVENT } from '../../src/page/channel.ts';

let browser: Browser;
let site: Site;
let hook: string;
const contexts: BrowserContext[] = [];

// Takes the port like the relay does and keeps every wire event, bodies as byte arrays.
const COLLECTOR = `(() => {
  const events = window.wireEvents = [];
  const take = (e) => {
    const port = e.ports[0];
    if (!port) return;
    e.preventDefault();
    removeEventListener(${JSON.stringify(PORT_EVENT)}, take, true);
    port.onmessage = async (m) => {
      const d = m.data;
      if (d && d.d instanceof Blob) d.d = Array.from(new Uint8Array(await d.d.arrayBuffer()));
      else if (d && d.d instanceof ArrayBuffer) d.d = Array.from(new Uint8Array(d.d));
      events.push(d);
    };
  };
  addEventListener(${JSON.stringify(PORT_EVENT)}, take, true);
  dispatchEvent(new Event(${JSON.stringify(READY_EVENT)}));
})();`;

before(async () => {
  hook = await bundle('hook');
  site = await startSite();
  site.pages.set('/blank', '<!doctype html><title>blank</title>');
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await site?.close();
});

async function collectingContext(): Promise<BrowserContext> {
  const context = await browser.newContext();
  contexts.push(context);
  await context.addInitScript({ content: hook });
  await context.addInitScript({ content: COLLECTOR });
  return context;
}

type Wire = Record<string, unknown>;

test('WebSocket: construct, open, first message only (ArrayBuffer and Blob), close; page data intact', async () => {
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/blank`);
  const pageSaw = await page.evaluate((ws: string) => Promise.all(['arraybuffer', 'blob'].map((binaryType) => new Promise<string[]>((resolve) => {
    const s = new WebSocket(`${ws}/script?ty=WB&v=29&t=${binaryType}`);
    s.binaryType = binaryType as BinaryType;
    const seen: string[] = [];
    s.onmessage = (e) => { seen.push(e.data instanceof ArrayBuffer ? `ab ${e.data.byteLength}` : typeof e.data === 'string' ? e.data : `blob ${(e.data as Blob).size}`); };
    s.onclose = () => resolve(seen);
  }))), site.wsOrigin);
  assert.deepEqual(pageSaw, [['ab 3', 'two', 'ab 1'], ['blob 3', 'two', 'blob 1']]);
  const events = await page.evaluate(() => new Promise<Wire[]>((r) => setTimeout(() => r((window as unknown as { wireEvents: Wire[] }).wireEvents), 200)));
  for (const id of [1, 2]) assert.deepEqual(events.filter((e) => e['i'] === id).map((e) => e['k']), ['ws', 'wo', 'wm', 'wc'], `socket ${id}`);
  assert.equal(events.filter((e) => e['k'] === 'wm').length, 2, 'one first message per socket, nothing after it');
  for (const e of events.filter((x) => x['k'] === 'wm')) assert.deepEqual(e['d'], [1, 2, 3]);
  const close = events.find((e) => e['k'] === 'wc');
  assert.deepEqual([close?.['c'], close?.['r'], close?.['w']], [4001, 'bye', true]);
  assert.match(String(events[0]?.['u']), /^ws:\/\/127\.0\.0\.1:\d+\/script\?ty=WB&v=29&t=arraybuffer$/);
});

test('non-Diffusion traffic posts nothing', async () => {
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/blank`);
  const events = await page.evaluate((ws: string) => new Promise<Wire[]>((resolve) => {
    const s = new WebSocket(`${ws}/script`);
    const x = new XMLHttpRequest();
    x.open('POST', '/xhr');
    x.setRequestHeader('mm', '0');
    x.send();
    s.onclose = () => setTimeout(() => resolve((window as unknown as { wireEvents: Wire[] }).wireEvents), 200);
  }), site.wsOrigin);
  assert.deepEqual(events, []);
});

test('mixed content: the constructor throws before any socket exists, so the hook reports nothing and the page gets the SecurityError', async () => {
  const context = await collectingContext();
  await context.route('https://secure.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html>' }));
  const page = await context.newPage();
  await page.goto('https://secure.test/page');
  const { thrown, events } = await page.evaluate(() => {
    let thrown = '';
    try {
      new WebSocket('ws://insecure.test:8080/diffusion?ty=WB&v=29');
    } catch (e) {
      thrown = (e as DOMException).name;
    }
    return new Promise<{ thrown: string; events: Wire[] }>((r) => setTimeout(() => r({ thrown, events: (window as unknown as { wireEvents: Wire[] }).wireEvents }), 100));
  });
  assert.equal(thrown, 'SecurityError');
  assert.deepEqual(events, []);
});

test('the socket is seen through whichever watched setter the page calls first; one that sets none is not seen', async () => {
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/blank`);
  const events = await page.evaluate((ws: string) => {
    const sockets: WebSocket[] = [];
    for (const setter of ['binaryType', 'onopen', 'onmessage', 'onerror', 'onclose', 'none']) {
      const s = new WebSocket(`${ws}/script?ty=WB&v=29&by=${setter}`);
      if (setter === 'binaryType') s.binaryType = 'arraybuffer';
      else if (setter !== 'none') (s as unknown as Record<string, unknown>)[setter] = () => undefined;
      if (setter !== 'none') {
        // later settings of the same socket change nothing
        s.binaryType = 'arraybuffer';
        s.onmessage = null;
      }
      sockets.push(s);
    }
    return Promise.all(sockets.map((s) => new Promise<void>((r) => s.addEventListener('close', () => r())))).then(() => new Promise<Wire[]>((r) => setTimeout(() => r((window as unknown as { wireEvents: Wire[] }).wireEvents), 200)));
  }, site.wsOrigin);
  const constructed = events.filter((e) => e['k'] === 'ws').map((e) => /by=(\w+)/.exec(String(e['u']))?.[1]);
  assert.deepEqual(constructed, ['binaryType', 'onopen', 'onmessage', 'onerror', 'onclose']);
  for (const e of events.filter((x) => x['k'] === 'ws')) assert.deepEqual(events.filter((x) => x['i'] === e['i']).map((x) => x['k']), ['ws', 'wo', 'wm', 'wc']);
});

test('the real diffusion client: its socket is captured (construct, open, connection response)', async () => {
  site.pages.set('/client', '<!doctype html><script src="/diffusion.js"></script>');
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/client`);
  const events = await page.evaluate(async (port: string) => {
    const d = (window as unknown as { diffusion: { connect(o: object): Promise<{ close(): void }> } }).diffusion;
    const session = await d.connect({ host: '127.0.0.1', port: Number(port), secure: false, transports: ['WS'], reconnect: false });
    session.close();
    return new Promise<Wire[]>((r) => setTimeout(() => r((window as unknown as { wireEvents: Wire[] }).wireEvents), 300));
  }, String(site.port));
  const kinds = events.map((e) => e['k']);
  assert.deepEqual(kinds.slice(0, 4), ['ws', 'cv', 'wo', 'wm'], JSON.stringify(kinds));
  assert.match(String(events[0]?.['u']), /\/diffusion\?.*ty=WB/);
  assert.equal((events[3]?.['d'] as number[])[0], 35, 'the connection response');
});

test('the minified hook stays within its size budget', () => {
  // Install time and page overhead are measured by `npm run bench`.
  const bytes = Buffer.byteLength(hook);
  assert.ok(bytes <= 4096, `${bytes} bytes`);
});

test('an XHR opened with a URL object is reported by its href', async () => {
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/blank`);
  const events = await page.evaluate(() => new Promise<Wire[]>((resolve) => {
    const x = new XMLHttpRequest();
    x.open('POST', new URL('/xhr?as=url', location.href));
    x.setRequestHeader('m', '1');
    x.onloadend = () => setTimeout(() => resolve((window as unknown as { wireEvents: Wire[] }).wireEvents), 100);
    x.send();
  }));
  assert.deepEqual(events.map((e) => e['k']), ['xs', 'xe']);
  assert.equal(events[0]?.['u'], `${site.origin}/xhr?as=url`);
});

test('a page that replaced the CloseEvent getters before connecting: the hook calls none of them and leaves the close out', async () => {
  const page = await (await collectingContext()).newPage();
  await page.goto(`${site.origin}/blank`);
  const { calls, pageSawCode, events } = await page.evaluate((ws: string) => {
    const counted = { calls: 0 };
    for (const name of ['code', 'reason', 'wasClean']) {
      const native = Object.getOwnPropertyDescriptor(CloseEvent.prototype, name)!.get!;
      Object.defineProperty(CloseEvent.prototype, name, { configurable: true, get() { counted.calls++; return native.call(this); } });
    }
    return new Promise<{ calls: number; pageSawCode: number; events: Wire[] }>((resolve) => {
      const s = new WebSocket(`${ws}/script?ty=WB&v=29`);
      s.onclose = (e) => {
        const pageSawCode = e.code;
        setTimeout(() => resolve({ calls: counted.calls, pageSawCode, events: (window as unknown as { wireEvents: Wire[] }).wireEvents }), 200);
      };
    });
  }, site.wsOrigin);
  assert.equal(pageSawCode, 4001);
  assert.equal(calls, 1, 'only the page itself read a close field');
  assert.deepEqual(events.map((e) => e['k']), ['ws', 'wo', 'wm']);
});
