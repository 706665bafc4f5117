// A hostile page in the real DevTools panel: its Diffusion URLs (path and query), request and
// response headers, and the first WebSocket frame carry markup meant to run in the panel. The panel
// shows all of it as text: no element is made from it and nothing of it runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { buildExtension, launchWithExtension, rememberSite, waitForPanel, type ExtensionBrowser } from './harness.ts';

// Each payload flags `pwned` in whichever document runs it.
const IMG = '<img src=x onerror="(top.pwned=self.pwned=1)">';
const SCRIPT = '<script>self.pwned=1</script>';
const SVG = '<svg onload="self.pwned=1"></svg>';

let browser: ExtensionBrowser;
let server: Server;
let wss: WebSocketServer;
let origin = '';

// A JS string literal that cannot end the inline script it sits in.
const js = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');

const PAGE = (port: number) => `<!doctype html><meta charset="utf-8"><title>${SCRIPT}</title><body>
<script>
  const evil = ${js(IMG + SCRIPT)};
  const ws = new WebSocket('ws://127.0.0.1:${port}/' + encodeURIComponent(${js(SVG)}) + '/diffusion?ty=WB&v=29&ca=8&r=60000&un=' + encodeURIComponent(evil));
  ws.binaryType = 'arraybuffer';
  ws.onmessage = () => { document.body.dataset.ws = 'message'; };
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/' + ${js(IMG)} + '/diffusion?un=' + encodeURIComponent(evil));
  xhr.setRequestHeader('m', '0');
  xhr.setRequestHeader('ty', 'B');
  xhr.setRequestHeader('v', '29');
  xhr.setRequestHeader('x-note', evil);
  xhr.onloadend = () => { document.body.dataset.xhr = String(xhr.status); };
  xhr.send();
</script>`;

before(async () => {
  buildExtension();
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-evil': `${IMG}${SCRIPT}`, 'access-control-allow-origin': '*' });
      res.end(`${IMG}${SCRIPT}${SVG}`);
      return;
    }
    const address = server.address();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(typeof address === 'object' && address ? address.port : 0));
  });
  wss = new WebSocketServer({ server });
  wss.on('headers', (headers) => headers.push(`X-Evil: ${IMG}${SCRIPT}`));
  wss.on('connection', (socket) => socket.send(`${IMG}${SCRIPT}${SVG}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${address.port}`;
  browser = await launchWithExtension();
  await rememberSite(browser, `${origin}/`);
});

after(async () => {
  await browser?.close();
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  server?.closeAllConnections?.();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

test('markup in URLs, headers and frames is shown as text in the real panel, and nothing of it runs', async () => {
  const page = await browser.lab.context.newPage();
  try {
    const { panel, devtools } = await browser.openPanel(page);
    const baseline = await panel.evaluate<{ scripts: number; imgs: number; svgs: number }>(`({ scripts: document.scripts.length, imgs: document.images.length, svgs: document.querySelectorAll('svg').length })`);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.body.dataset.ws === 'message' && document.body.dataset.xhr === '200', undefined, { timeout: 10_000 });
    await waitForPanel(panel, 'the hostile page\'s WebSocket and XHR', (v) => v.rows.length >= 2 && v.rows.some((r) => r.steps[0]?.transport === 'WEBSOCKET') && v.rows.some((r) => r.steps[0]?.transport === 'XHR'));
    // open every connection's details, so headers, URLs and the server's answer are all on screen
    const count = await panel.evaluate<number>(`document.querySelectorAll('[data-testid="connection-row"]').length`);
    let shown = '';
    for (let i = 0; i < count; i++) {
      await panel.evaluate(`document.querySelectorAll('[data-testid="connection-row"]')[${i}].dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`);
      const v = await waitForPanel(panel, `the details of connection ${i + 1}`, (x) => x.html.includes('data-testid="attempt-detail"'));
      shown += v.text;
      const after = await panel.evaluate<{ scripts: number; imgs: number; svgs: number; handlers: number; pwned: string }>(`({
        scripts: document.scripts.length,
        imgs: document.images.length,
        svgs: document.querySelectorAll('svg').length,
        handlers: document.querySelectorAll('[onerror], [onload]').length,
        pwned: typeof self.pwned,
      })`);
      assert.deepEqual(after, { ...baseline, handlers: 0, pwned: 'undefined' });
    }
    // the markup is there to read, as text: headers as sent, paths as the browser encoded them
    assert.ok(shown.includes(`x-evil\t${IMG}${SCRIPT}`), 'the WebSocket and XHR response header x-evil, as text');
    assert.ok(shown.includes(`x-note\t${IMG}${SCRIPT}`), 'the XHR request header x-note, as text');
    assert.ok(shown.includes('/%3Csvg%20onload') && shown.includes('/%3Cimg%20src=x%20onerror='), 'the paths, as text');
    assert.equal(await devtools.evaluate('typeof self.pwned'), 'undefined');
  } finally {
    await page.close();
  }
});
