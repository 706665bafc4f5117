// The page hook stays out of the page's story in the real DevTools: the Network panel names the
// application's code as the initiator of every WebSocket the page opens (an unrelated one, a
// Diffusion one that fails and one that connects, both watched by the hook), the console's
// "WebSocket connection … failed" links there too, no frame of any socket's stack is the hook's, and
// the hook's inline, ignore-listed source map costs the page no request and DevTools no failed load.
import { APP_JS, APP_JS_LINES } from '../hook/app-page.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { connectionResponse } from '../hook/harness.ts';
import type { AddressInfo } from 'node:net';
import { buildExtension, extensionScripts, launchWithExtension, rememberSite, waitFor, type ExtensionBrowser, type TargetSession } from './harness.ts';

let server: Server;
let origin: string;
let browser: ExtensionBrowser;
const requested: string[] = [];

const SOCKETS: Record<string, string> = Object.fromEntries(Object.entries(APP_JS_LINES).map(([path, line]) => [path, `app.js:${line}`]));

before(async () => {
  buildExtension();
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/app.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(APP_JS);
      return;
    }
    res.statusCode = req.url === '/' ? 200 : 404;
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>chat</title><script src="/app.js"></script>');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/diffusion?ty=WB&v=29') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.send(connectionResponse(29));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchWithExtension();
  // The hook runs only on sites the extension knows: this one, as a user would add it.
  await rememberSite(browser, `${origin}/`);
});

after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** Texts of the elements with `cls` anywhere in DevTools' document, shadow roots included. */
function deepTexts(devtools: TargetSession, cls: string): Promise<string[]> {
  return devtools.evaluate<string[]>(`(() => {
    const out = [];
    const walk = (n) => { for (const e of n.querySelectorAll('*')) { if (e.classList?.contains(${JSON.stringify(cls)})) out.push(e.innerText); if (e.shadowRoot) walk(e.shadowRoot); } };
    walk(document);
    return out;
  })()`);
}

test('Network initiator and console link name the application, not hook.js, for plain and Diffusion sockets; the source map costs no request', async () => {
  const page = await browser.lab.context.newPage();
  try {
    const { devtools } = await browser.openPanel(page);
    await devtools.evaluate(`DevToolsAPI.showPanel('network')`);
    await page.goto(`${origin}/`);
    // The raw stacks DevTools got: no frame is the extension's, the top one is the application's.
    const raw = await waitFor('the three sockets in the network log', async () => {
      const r = await devtools.evaluate<{ url: string; frames: string[] }[]>(`import('./models/logs/logs.js').then((L) => L.NetworkLog.NetworkLog.instance().requests()
        .filter((r) => r.url().startsWith('ws:'))
        .map((r) => ({ url: r.url(), frames: (r.initiator()?.stack?.callFrames ?? []).map((f) => f.url + ':' + (f.lineNumber + 1)) })))`);
      return r.length === 3 ? r : undefined;
    });
    for (const r of raw) {
      const path = r.url.slice(origin.length - 'http'.length + 'ws'.length);
      assert.equal(r.frames[0], `${origin}/${SOCKETS[path]}`, JSON.stringify(r));
      assert.ok(!r.frames.some((f) => f.startsWith('chrome-extension://')), JSON.stringify(r));
    }
    // The hook did run in this page (so what is above is the hook staying out of the way).
    assert.ok((await extensionScripts(page)).some((u) => /^chrome-extension:\/\/[a-p]{32}\/hook\.js$/.test(u)));

    const cells = await waitFor('the initiator cells', async () => {
      const c = await deepTexts(devtools, 'initiator-column');
      return c.filter((t) => t.includes('app.js')).length >= 3 ? c : undefined;
    });
    assert.equal(cells.filter((t) => t === 'app.js:2').length, 1, JSON.stringify(cells));
    assert.equal(cells.filter((t) => t === 'app.js:5').length, 2, JSON.stringify(cells));
    assert.ok(!cells.some((t) => t.includes('hook.js')), JSON.stringify(cells));

    await devtools.evaluate(`DevToolsAPI.showPanel('console')`);
    const messages = await waitFor('the failed sockets in the console', async () => {
      const m = await deepTexts(devtools, 'console-message-wrapper');
      return m.some((t) => t.includes('/chat')) && m.some((t) => t.includes('/refused/')) ? m : undefined;
    });
    assert.match(messages.find((t) => t.includes('/chat'))!, /^app\.js:2\b/);
    assert.match(messages.find((t) => t.includes('/refused/'))!, /^app\.js:5\b/);
    assert.ok(!messages.some((t) => /hook\.js|source ?map|chrome-extension:/i.test(t)), JSON.stringify(messages));
    // the socket that connected left nothing in the console
    assert.ok(!messages.some((t) => t.includes(`${origin.slice('http'.length)}/diffusion`)), JSON.stringify(messages));

    // No request for a map, from the page or from DevTools, and DevTools loaded the inline map.
    assert.deepEqual(requested.filter((u) => u.includes('.map')), []);
    const loads = await devtools.evaluate<{ url: string; success: boolean | null }[]>(`import('./core/sdk/sdk.js').then((S) =>
      [...S.PageResourceLoader.PageResourceLoader.instance().getResourcesLoaded().values()].map((r) => ({ url: String(r.url).slice(0, 60), success: r.success })))`);
    // (DevTools asks every page for its own workspace file, /.well-known/appspecific/com.chrome.devtools.json.)
    assert.deepEqual(loads.filter((l) => l.success === false && !l.url.includes('/.well-known/')), []);
    assert.ok(loads.some((l) => l.url.startsWith('data:application/json') && l.success === true), JSON.stringify(loads));
  } finally {
    await page.close();
  }
});
