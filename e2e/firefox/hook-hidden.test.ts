// The page hook stays out of the page's story in Firefox's real DevTools: the network monitor names
// the application's code as the cause of every WebSocket the page opens (an unrelated one, a
// Diffusion one that fails and one that connects, both watched by the hook), the console places a
// failed socket's message there too, and neither the page's log (WebDriver BiDi) nor the console
// has anything from the hook. The hook still captures both Diffusion sockets (the panel shows them),
// and, run alone in a page, reports a close with its code (Firefox prints native functions in its
// own way, which the hook's check of the CloseEvent getters must accept).
import { APP_JS, APP_JS_LINES } from '../hook/app-page.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { bundle, connectionResponse } from '../hook/harness.ts';
import { PORT_EVENT, READY_EVENT } from '../../src/page/channel.ts';
import type { BidiEvent } from './bidi.ts';
import { buildExtension, launchWithExtension, readPanel, rememberSite, waitFor, type FirefoxWithExtension } from './harness.ts';
import { chromeEval, closeToolbox, showTool } from './toolbox.ts';

let server: Server;
let port = 0;
let ff: FirefoxWithExtension;


before(async () => {
  buildExtension();
  server = createServer((req, res) => {
    if (req.url === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(APP_JS);
      return;
    }
    res.writeHead(req.url === '/' || req.url === '/blank' ? 200 : 404, { 'content-type': 'text/html' });
    res.end(req.url === '/' ? '<!doctype html><title>chat</title><script src="/app.js"></script>' : '<!doctype html><title>blank</title>');
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/diffusion?ty=WB&v=29' && req.url !== '/bye?ty=WB&v=29') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.send(connectionResponse(29));
      if (req.url?.startsWith('/bye')) setTimeout(() => ws.close(4001, 'bye'), 50);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  ff = await launchWithExtension();
  // The hook runs only on sites the extension knows: this one, as a user would add it.
  await rememberSite(ff, `http://app.hook.test:${port}/`);
});

after(async () => {
  await ff?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

const DEVTOOLS = `ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs").require("devtools/client/framework/devtools").gDevTools.getToolboxForTab(gBrowser.selectedTab)`;

test('network monitor cause and console location name the application, not the hook; nothing from the hook in the page log', async () => {
  const origin = `http://app.hook.test:${port}`;
  const tab = await ff.newTab();
  const log: BidiEvent[] = [];
  const stop = ff.bidi.onEvent((e) => { if (e.method === 'log.entryAdded') log.push(e); });
  await ff.bidi.send('session.subscribe', { events: ['log.entryAdded'], contexts: [tab] });
  try {
    await showTool(ff.bidi, 'netmonitor');
    await ff.bidi.send('browsingContext.navigate', { context: tab, url: `${origin}/`, wait: 'complete' }, 15_000);
    const causes = await waitFor('the three sockets in the network monitor', async () => {
      const r = await chromeEval<{ url: string; type: string; frame: { filename: string; lineNumber: number } | null }[]>(ff.bidi, `(() => {
        const reqs = ${DEVTOOLS}.getPanel('netmonitor').panelWin.store.getState().requests.requests;
        return [...reqs.values()].filter((r) => r.url.startsWith('ws:')).map((r) => ({ url: r.url, type: r.cause.type, frame: r.cause.lastFrame ?? null }));
      })()`);
      return r.length === 3 ? r : undefined;
    });
    for (const c of causes) {
      const path = c.url.slice(`ws://app.hook.test:${port}`.length);
      assert.deepEqual([c.type, c.frame?.filename, c.frame?.lineNumber], ['websocket', `${origin}/app.js`, APP_JS_LINES[path]], JSON.stringify(c));
    }

    // The panel shows both Diffusion sockets, captured by the hook.
    const panel = await ff.openPanel();
    const view = await waitFor('the hook\'s two Diffusion sockets in the panel', async () => {
      const v = await readPanel(ff.bidi, panel);
      return /Capturing from hook/.test(v.text) && v.rows.length >= 2 ? v : undefined;
    });
    assert.ok(view.rows.some((r) => r.outcome === 'connected'), JSON.stringify(view.rows));

    await showTool(ff.bidi, 'webconsole');
    const messages = await waitFor('the failed sockets in the console', async () => {
      const m = await chromeEval<{ text: string; level: string; source: string | null; line: number | null }[]>(ff.bidi, `(() => {
        const st = ${DEVTOOLS}.getPanel('webconsole').hud.ui.wrapper.getStore().getState();
        return [...st.messages.mutableMessagesById.values()].map((m) => ({ text: String(m.messageText), level: m.level, source: m.frame?.source ?? null, line: m.frame?.line ?? null }));
      })()`);
      return m.filter((x) => /\/chat|\/refused\//.test(x.text)).length === 2 ? m : undefined;
    });
    const at = (part: string) => messages.find((m) => m.text.includes(part));
    assert.deepEqual([at('/chat')?.source, at('/chat')?.line], [`${origin}/app.js`, 2]);
    assert.deepEqual([at('/refused/')?.source, at('/refused/')?.line], [`${origin}/app.js`, 5]);
    const others = messages.filter((m) => !/\/chat|\/refused\//.test(m.text) && m.text !== 'undefined');
    assert.deepEqual(others, [], 'nothing else in the console (no source map error, nothing from the hook)');
    assert.ok(!messages.some((m) => /moz-extension:|anonymous code/.test(String(m.source))), JSON.stringify(messages));

    // The page's own log: the two failed sockets, nothing else.
    const texts = log.filter((e) => e.params['source'] && (e.params['source'] as { context?: string }).context === tab).map((e) => String(e.params['text']));
    assert.equal(texts.length, 2, JSON.stringify(texts));
    assert.ok(texts.every((t) => /^Firefox can.t establish a connection to the server at ws:\/\/app\.hook\.test:\d+\/(chat|refused\/diffusion\?ty=WB&v=29)\.$/.test(t)), JSON.stringify(texts));
    for (const e of log) assert.ok(!/moz-extension:|hook/.test(JSON.stringify(e.params['stackTrace'] ?? '')), JSON.stringify(e.params));
  } finally {
    stop();
    await ff.bidi.send('session.unsubscribe', { events: ['log.entryAdded'], contexts: [tab] }).catch(() => undefined);
    await closeToolbox(ff.bidi).catch(() => undefined);
    await ff.closeTab(tab);
  }
});

test('the hook alone in a Firefox page reports a Diffusion socket\'s construction, open, first message and close', async () => {
  // A site the extension does not know, so only this copy of the hook runs, with a collector in place of the relay.
  const hook = await bundle('hook');
  const collector = `(() => {
    const events = window.wireEvents = [];
    const take = (e) => {
      const p = e.ports[0];
      if (!p) return;
      e.preventDefault();
      removeEventListener(${JSON.stringify(PORT_EVENT)}, take, true);
      p.onmessage = (m) => { const d = m.data; if (d && d.d instanceof ArrayBuffer) d.d = Array.from(new Uint8Array(d.d)); events.push(d); };
    };
    addEventListener(${JSON.stringify(PORT_EVENT)}, take, true);
    dispatchEvent(new Event(${JSON.stringify(READY_EVENT)}));
  })();`;
  const tab = await ff.newTab();
  const { script } = await ff.bidi.send<{ script: string }>('script.addPreloadScript', { functionDeclaration: `() => { ${hook}\n${collector} }`, contexts: [tab] });
  try {
    await ff.bidi.send('browsingContext.navigate', { context: tab, url: `http://alone.hook.test:${port}/blank`, wait: 'complete' }, 15_000);
    const events = await ff.bidi.evaluate<Record<string, unknown>[]>(tab, `new Promise((resolve) => {
      const s = new WebSocket('ws://' + location.host + '/bye?ty=WB&v=29');
      s.binaryType = 'arraybuffer';
      s.onclose = () => setTimeout(() => resolve(window.wireEvents), 200);
    })`);
    assert.deepEqual(events.map((e) => e['k']), ['ws', 'wo', 'wm', 'wc']);
    assert.equal((events[2]?.['d'] as number[])[0], 35, 'the connection response');
    assert.deepEqual([events[3]?.['c'], events[3]?.['r'], events[3]?.['w']], [4001, 'bye', true]);
  } finally {
    await ff.bidi.send('script.removePreloadScript', { script }).catch(() => undefined);
    await ff.closeTab(tab);
  }
});
