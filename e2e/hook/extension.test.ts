// The hook → relay → background channel end to end, in a real unpacked MV3 extension: the real
// diffusion 6.12.1 client connects over WebSocket and XHR to a loopback emulator, the background
// receives validated events, and the adapter turns them into observations. Both manifest orders
// (hook first, relay first) are run; a page that forges messages gets nothing into the stream.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConnectionResponse } from '../../src/core/diffusion/connection-response.ts';
import type { PageObservation, RequestObservation } from '../../src/core/model.ts';
import { observationsFromHook } from '../../src/sources/hook/observations.ts';
import { launchWithExtension, startSite, waitFor, type Site } from './harness.ts';

let site: Site;

// Forgeries the page tries before and after its client connects: look-alike messages on window,
// its own port offered to the relay, the relay's ready signal (to make the hook offer its port).
const FORGE = `
  const forged = { type: 'dci/hook-event', version: 1, frameUrl: location.href, document: '00000000-0000-4000-8000-000000000000',
    event: { kind: 'ws-construct', id: 99, at: Date.now(), url: 'ws://forged.test/diffusion?ty=WB&v=29' } };
  const wire = { k: 'ws', i: 99, t: Date.now(), u: 'ws://forged.test/diffusion?ty=WB&v=29' };
  window.stolenPorts = 0;
  const mine = new Set();
  addEventListener('dci:hook-port', (e) => { for (const p of e.ports || []) if (!mine.has(p)) window.stolenPorts++; }, true);
  function forge() {
    window.postMessage(forged, '*');
    window.postMessage(wire, '*');
    const own = new MessageChannel();
    mine.add(own.port2);
    dispatchEvent(new MessageEvent('dci:hook-port', { cancelable: true, ports: [own.port2], data: wire }));
    own.port1.postMessage(wire);
    own.port1.postMessage(forged);
    dispatchEvent(new Event('dci:relay-ready'));
    dispatchEvent(new CustomEvent('dci:hook-port', { detail: wire }));
    const other = new MessageChannel().port2;
    mine.add(other);
    document.dispatchEvent(new MessageEvent('dci:hook-port', { ports: [other] }));
    try { chrome.runtime.sendMessage('x', forged); } catch {}
  }
  forge();
`;

function page(transports: string[]): string {
  return `<!doctype html><script>${FORGE}</script><script src="/diffusion.js"></script><script>
    window.result = (async () => {
      const out = [];
      for (const t of ${JSON.stringify(transports)}) {
        const s = await diffusion.connect({ host: '127.0.0.1', port: Number(location.port), secure: false, transports: [t], reconnect: false });
        out.push(t);
        await new Promise((r) => setTimeout(r, 300));
        s.close();
      }
      forge();
      await new Promise((r) => setTimeout(r, 300));
      return out;
    })().catch((e) => 'failed: ' + (e && e.message || e));
  </script>`;
}

before(async () => {
  site = await startSite();
  site.pages.set('/connect', page(['WS', 'XHR']));
});

after(async () => {
  await site?.close();
});

for (const order of ['hook-first', 'relay-first'] as const) {
  test(`extension (${order}): real client over WS and XHR reaches the background; forgeries do not`, async () => {
    const ext = await launchWithExtension(order);
    try {
      const tab = await ext.context.newPage();
      await tab.goto(`${site.origin}/connect`);
      assert.deepEqual(await tab.evaluate(() => (window as unknown as { result: Promise<unknown> }).result), ['WS', 'XHR']);
      assert.equal(await tab.evaluate(() => (window as unknown as { stolenPorts: number }).stolenPorts), 0, 'the page never received the hook port');
      const received = await waitFor('the XHR handshake end event', async () => {
        const r = await ext.received();
        return r.some((x) => JSON.stringify(x.message).includes('"xhr-end"')) ? r : undefined;
      });
      await new Promise((r) => setTimeout(r, 300));
      const all = await ext.received();
      assert.ok(received.length > 0);
      assert.ok(!JSON.stringify(all).includes('forged'), 'nothing forged reached the background');
      for (const r of all) assert.equal(r.url, `${site.origin}/connect`);

      const { observations, rejected } = observationsFromHook(all.map((r) => r.message));
      assert.deepEqual(rejected, []);
      const requests = observations.filter((o): o is RequestObservation => o.kind === 'request');
      const pages = observations.filter((o): o is PageObservation => o.kind === 'page');
      assert.deepEqual(pages.map((p) => p.clientVersion), ['6.12.1']);

      const ws = requests.find((r) => r.transport === 'WEBSOCKET');
      assert.ok(ws, 'a WebSocket observation');
      assert.match(ws.url, new RegExp(`^ws://127\\.0\\.0\\.1:${site.port}/diffusion\\?ty=WB&v=29&ca=8&r=`));
      assert.equal(ws.status, 101);
      assert.equal(ws.bodyIsText, false);
      const wsResponse = decodeConnectionResponse(ws.body!, 29);
      assert.equal(wsResponse.response?.code, 100);
      assert.equal(wsResponse.response?.sessionId, '0123456789abcdef-7edcba9876543210');
      // the client's close request is not answered by the emulator, so the socket stays open

      const handshake = requests.find((r) => r.transport === 'XHR' && r.requestHeaders?.['m'] === '0');
      assert.ok(handshake, 'an XHR handshake observation');
      assert.equal(handshake.method, 'POST');
      assert.equal(handshake.url, `${site.origin}/diffusion`);
      assert.equal(handshake.requestHeaders?.['ty'], 'B');
      assert.equal(handshake.requestHeaders?.['v'], '29');
      assert.equal(handshake.status, 200);
      assert.equal(handshake.responseHeaders?.['content-type'], 'text/plain');
      assert.equal(handshake.bodyLossy, undefined);
      assert.equal(decodeConnectionResponse(handshake.body!, 29).response?.code, 100);
      assert.ok(requests.some((r) => r.transport === 'XHR' && r.requestHeaders?.['m'] === '1'), 'a poll');
      assert.ok(requests.some((r) => r.transport === 'XHR' && r.requestHeaders?.['m'] === '2'), 'a send');
      // the emulator and the hook saw the same Diffusion requests
      assert.equal(requests.filter((r) => r.transport === 'WEBSOCKET').length, site.seen.filter((s) => s === 'ws').length);
    } finally {
      await ext.close();
      site.seen.length = 0;
    }
  });
}

test('extension: the hook works in every frame, each frame labelled with its own URL and document', async () => {
  // The hook learns of a socket from the first setter the page calls on it, as every Diffusion client sets binaryType.
  site.pages.set('/inner', `<!doctype html><script>new WebSocket('ws://' + location.host + '/diffusion?ty=WB&v=29').binaryType = 'arraybuffer'</script>`);
  site.pages.set('/outer', `<!doctype html><script>const ws = new WebSocket('ws://' + location.host + '/diffusion?ty=WB&v=29'); ws.onmessage = () => ws.close(1000, 'done');</script><iframe src="/inner"></iframe>`);
  const ext = await launchWithExtension('hook-first');
  try {
    const tab = await ext.context.newPage();
    await tab.goto(`${site.origin}/outer`);
    const got = await waitFor('first messages from both frames', async () => {
      const r = await ext.received();
      const firsts = r.filter((x) => JSON.stringify(x.message).includes('"ws-first-message"'));
      return firsts.length >= 2 && r.some((x) => JSON.stringify(x.message).includes('"ws-close"')) ? r : undefined;
    });
    const frames = new Map<string, Set<string>>();
    for (const r of got) {
      const m = r.message as { frameUrl: string; document: string };
      frames.set(m.frameUrl, (frames.get(m.frameUrl) ?? new Set()).add(m.document));
    }
    assert.deepEqual([...frames.keys()].sort(), [`${site.origin}/inner`, `${site.origin}/outer`]);
    const documents = [...frames.values()].flatMap((s) => [...s]);
    assert.equal(new Set(documents).size, 2);
    assert.ok(got.some((r) => r.frameId !== 0), 'one message came from a child frame');
    const { observations, rejected } = observationsFromHook(got.map((r) => r.message));
    assert.deepEqual(rejected, []);
    const outer = observations.find((o): o is RequestObservation => o.kind === 'request' && o.pageUrl === `${site.origin}/outer`);
    assert.equal(outer?.closeCode, 1000);
    assert.equal(outer?.status, 101);
  } finally {
    await ext.close();
  }
});
