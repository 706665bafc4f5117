// The page hook stays out of the page's story in the real DevTools: the Network panel names the
// application's code as the initiator of a WebSocket the page opens (an unrelated one, not
// Diffusion), the console's "WebSocket connection … failed" links there too, and the hook's inline,
// ignore-listed source map costs the page no request and DevTools no failed load.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildExtension, launchWithExtension, rememberSite, waitFor, type ExtensionBrowser, type TargetSession } from './harness.ts';

let server: Server;
let origin: string;
let browser: ExtensionBrowser;
const requested: string[] = [];

// A chat socket to a closed port, opened by the application's own function on line 2 of app.js.
const APP_JS = `function openChat() {\n  return new WebSocket('ws://127.0.0.1:' + location.port + '/chat');\n}\nsetTimeout(openChat, 200);\n`;

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
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchWithExtension();
  // The hook runs only on sites the extension knows: this one, as a user would add it.
  await rememberSite(browser, `${origin}/`);
});

after(async () => {
  await browser?.close();
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

test('Network initiator and console link name the application, not hook.js; the source map costs no request', async () => {
  const page = await browser.lab.context.newPage();
  try {
    const { devtools } = await browser.openPanel(page);
    await devtools.evaluate(`DevToolsAPI.showPanel('network')`);
    await page.goto(`${origin}/`);
    // The hook did run in this page: the socket's raw stack starts in it, so what follows is the ignore list at work.
    const raw = await waitFor('the chat socket in the network log', async () => {
      const r = await devtools.evaluate<{ top: string; init: string }[]>(`import('./models/logs/logs.js').then((L) => L.NetworkLog.NetworkLog.instance().requests()
        .filter((r) => r.url().endsWith('/chat'))
        .map((r) => ({ top: r.initiator()?.stack?.callFrames?.[0]?.url ?? '', init: L.NetworkLog.NetworkLog.instance().initiatorInfoForRequest(r).url })))`);
      return r.length ? r[0] : undefined;
    });
    assert.match(raw.top, /^chrome-extension:\/\/[a-p]{32}\/hook\.js$/);

    const cells = await waitFor('the initiator cell', async () => {
      const c = await deepTexts(devtools, 'initiator-column');
      return c.some((t) => t.includes('app.js')) ? c : undefined;
    });
    assert.ok(cells.includes('app.js:2'), JSON.stringify(cells));
    assert.ok(!cells.some((t) => t.includes('hook.js')), JSON.stringify(cells));

    await devtools.evaluate(`DevToolsAPI.showPanel('console')`);
    const messages = await waitFor('the failed socket in the console', async () => {
      const m = await deepTexts(devtools, 'console-message-wrapper');
      return m.some((t) => t.includes('/chat')) ? m : undefined;
    });
    const failed = messages.find((t) => t.includes('/chat'))!;
    assert.match(failed, /^app\.js:2\b/, failed);
    assert.ok(!messages.some((t) => /hook\.js|source ?map/i.test(t)), JSON.stringify(messages));

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
