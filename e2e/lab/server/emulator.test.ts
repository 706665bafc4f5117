// The real client (6.12.1 and 5.9.24) in Node against the emulator over WebSocket, checked against
// the response-code table of docs/diffusion-protocol.md §3 (recorded in the reference matrix.out),
// plus the XHR side of the emulator driven with fetch, since the client drops XHR in Node.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type Reply } from './emulator.ts';
import { connectOnce, loadClient, type ClientVersion, type NodeSession } from '../clients/node-client.ts';
import { connectionResponse, decodeCredentials, newSession } from './wire.ts';

const started: Emulator[] = [];
after(async () => { await Promise.all(started.map((e) => e.close())); });

async function emulator(replies: Reply[], extra: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const e = await startEmulator({ replies, ...extra });
  started.push(e);
  return e;
}

// Two WebSocket entries make a cascade visible as two upgrades (as matrix.sh does).
const cascadeOptions = (port: number) => ({ host: '127.0.0.1', port, secure: false, transports: ['WS', 'WEBSOCKET'], reconnect: false });

// code → [close-reason id, upgrades] per client family (doc §3).
const table: Record<ClientVersion, Record<number, [number, number]>> = {
  '6.12.1': { 102: [17, 1], 111: [5, 2], 112: [5, 2], 113: [18, 1], 114: [4, 1], 115: [4, 1], 116: [99, 1], 117: [4, 1], 118: [4, 1], 119: [4, 1], 127: [5, 2] },
  '5.9.24': { 102: [4, 1], 111: [4, 1], 112: [4, 1], 113: [4, 1], 114: [4, 1], 115: [4, 1], 116: [99, 1], 117: [4, 1], 118: [4, 1], 119: [5, 2], 127: [4, 2] },
};

for (const version of ['6.12.1', '5.9.24'] as const) {
  test(`${version} connects over WebSocket and reads the session id`, async () => {
    const e = await emulator([{ kind: 'ok' }]);
    const r = await connectOnce(version, { host: '127.0.0.1', port: e.port, secure: false, reconnect: false });
    assert.equal(r.kind, 'connected');
    const up = e.log.items.find((x) => x.type === 'ws-upgrade');
    assert.equal(up?.params?.ty, 'WB');
    assert.equal(up?.params?.v, version === '6.12.1' ? '29' : '9');
    assert.equal(up?.path, '/diffusion');
    // 6.12 exposes `sessionId` (an object with toString), 5.9 `sessionID` (a string).
    const s = (r as { session: NodeSession & { sessionID?: string } }).session;
    assert.equal(String(s.sessionId ?? s.sessionID), up?.sessionId);
    (r as { session: NodeSession }).session.close();
    await e.log.waitFor((x) => x.type === 'ws-closed', 3000, 'client close');
  });

  for (const [code, [id, upgrades]] of Object.entries(table[version])) {
    test(`${version} rejected with ${code} fails with close reason ${id} after ${upgrades} upgrade(s)`, async () => {
      const e = await emulator([{ kind: 'code', code: Number(code) }]);
      const r = await connectOnce(version, cascadeOptions(e.port));
      assert.equal(r.kind, 'failed');
      assert.equal((r as { id: number }).id, id);
      assert.equal(e.log.filter((x) => x.type === 'ws-upgrade').length, upgrades);
    });
  }

  test(`${version} cascades when the upgrade is answered 404 and reports 7`, async () => {
    const e = await emulator([{ kind: 'http', status: 404 }]);
    const r = await connectOnce(version, cascadeOptions(e.port));
    assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 7]);
    assert.equal(e.log.filter((x) => x.type === 'ws-upgrade').length, 2);
  });

  test(`${version} cascades past a socket closed without a response, then connects`, async () => {
    const e = await emulator([{ kind: 'close' }, { kind: 'ok' }]);
    const r = await connectOnce(version, cascadeOptions(e.port));
    assert.equal(r.kind, 'connected');
    assert.deepEqual(e.log.filter((x) => x.type === 'ws-upgrade').map((x) => x.answer), ['close', '100']);
    (r as { session: NodeSession }).session.close();
  });

  test(`${version} sends the principal and the credential tunnel in the URL`, async () => {
    const e = await emulator([{ kind: 'ok' }]);
    const r = await connectOnce(version, { host: '127.0.0.1', port: e.port, secure: false, reconnect: false, principal: 'qa-user', credentials: 'lab-secret-pw' });
    assert.equal(r.kind, 'connected');
    const up = e.log.items.find((x) => x.type === 'ws-upgrade');
    assert.equal(up?.params?.username, 'qa-user');
    assert.deepEqual(up?.credentials, { type: 'PLAIN', value: 'lab-secret-pw' });
    (r as { session: NodeSession }).session.close();
  });

  test(`${version} reconnects after a network drop and the emulator answers 105 for its token`, async () => {
    const e = await emulator([{ kind: 'ok', dropAfterMs: 200 }]);
    const client = loadClient(version);
    const session = await client.connect({
      host: '127.0.0.1', port: e.port, secure: false,
      reconnect: { timeout: 4000, strategy: (start: () => void) => setTimeout(start, 100) },
    });
    const reconnected = new Promise<void>((resolve) => session.on('reconnect', () => resolve()));
    const again = await e.log.waitFor((x) => x.type === 'ws-upgrade' && x.reconnect === true, 4000, 'reconnect upgrade');
    await reconnected;
    assert.equal(again.answer, '105');
    const first = e.log.items.find((x) => x.type === 'ws-upgrade' && !x.reconnect);
    assert.equal(again.sessionId, first?.sessionId);
    assert.ok(again.params?.c, 'the reconnect carries the token');
    session.close();
  });

  test(`${version} closes the session with 4 when the reconnect is answered 117 (unknown session)`, async () => {
    const e = await emulator([{ kind: 'ok', dropAfterMs: 200 }], { reconnect: 'forget' });
    const client = loadClient(version);
    const session = await client.connect({
      host: '127.0.0.1', port: e.port, secure: false,
      reconnect: { timeout: 4000, strategy: (start: () => void) => setTimeout(start, 100) },
    });
    const closed = new Promise<unknown>((resolve) => session.on('close', resolve));
    const again = await e.log.waitFor((x) => x.type === 'ws-upgrade' && x.reconnect === true, 4000, 'reconnect upgrade');
    assert.equal(again.answer, '117');
    const reason = (await closed) as { id?: number } | undefined;
    assert.equal(reason?.id, 4);
  });
}

test('6.12.1 rejects a response whose version byte differs (cascade, then 17)', async () => {
  const e = await emulator([{ kind: 'ok', version: 28 }]);
  const r = await connectOnce('6.12.1', cascadeOptions(e.port));
  assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 17]);
  assert.equal(e.log.filter((x) => x.type === 'ws-upgrade').length, 2);
});

test('6.12.1 treats a response without the trailing int32 as a parse error (5)', async () => {
  const e = await emulator([{ kind: 'ok', trailer: false }]);
  const r = await connectOnce('6.12.1', cascadeOptions(e.port));
  assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 5]);
});

test('6.12.1 retry walks the transport list again', async () => {
  const e = await emulator([{ kind: 'http', status: 502 }]);
  const r = await connectOnce('6.12.1', { host: '127.0.0.1', port: e.port, secure: false, reconnect: false, transports: ['WS'], retry: { attempts: 2, interval: 50 } });
  assert.equal(r.kind, 'failed');
  assert.equal(e.log.filter((x) => x.type === 'ws-upgrade').length, 3);
});

test('the emulator announces the configured ping period', async () => {
  const e = await emulator([{ kind: 'ok' }], { pingPeriodMs: 90_000 });
  const res = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29', ca: '8', r: '60000' } });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.readBigInt64BE(43), 90_000n);
});

test('XHR handshake: raw response bytes, the session cookie, a held poll, sends and reconnects', async () => {
  const e = await emulator([{ kind: 'ok' }], { pollHoldMs: 300 });
  const headers = { m: '0', ty: 'B', v: '29', ca: '8', r: '60000', username: 'qa-user', password: 'AQ1sYWItc2VjcmV0LXB3' };
  const res = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers });
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [35, 29, 100]);
  assert.equal(bytes.length, 55);
  assert.match(res.headers.get('set-cookie') ?? '', /^session=/);
  assert.deepEqual(e.log.items[0]?.credentials, { type: 'PLAIN', value: 'lab-secret-pw' });
  const token = bytes.subarray(19, 43).toString('latin1');

  const t0 = Date.now();
  const poll = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '1', c: token, s: '0', v: '29' } });
  assert.equal(poll.status, 200);
  assert.equal(await poll.text(), '');
  assert.ok(Date.now() - t0 >= 250, 'the poll was held open');

  const send = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '2', c: token, s: '0', v: '29' }, body: 'AAAAAB0=' });
  assert.equal(send.status, 200);

  const lost = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '1', c: 'NOT-A-TOKEN-OF-THIS-SERVER', s: '0', v: '29' } });
  assert.equal(lost.headers.get('diffusion-connection'), 'reconnect');

  const known = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29', ca: '8', r: '60000', c: token, cs: '0', ss: '0' } });
  assert.deepEqual([...Buffer.from(await known.arrayBuffer()).subarray(0, 3)], [35, 29, 105]);
  const unknown = await fetch(`${e.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29', ca: '8', r: '60000', c: 'X'.repeat(24), cs: '0', ss: '0' } });
  assert.deepEqual([...Buffer.from(await unknown.arrayBuffer())], [35, 29, 117]);
});

test('CORS: preflights are answered and diffusion-connection exposed only when configured', async () => {
  const open = await emulator([{ kind: 'ok' }], { cors: true });
  const closed = await emulator([{ kind: 'ok' }]);
  const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'ca,m,r,ty,v', origin: 'http://app.lab.test:1' };
  const a = await fetch(`${open.origin}/diffusion`, { method: 'OPTIONS', headers: preflight });
  assert.equal(a.headers.get('access-control-allow-origin'), 'http://app.lab.test:1');
  assert.equal(a.headers.get('access-control-allow-headers'), 'ca,m,r,ty,v');
  const b = await fetch(`${closed.origin}/diffusion`, { method: 'OPTIONS', headers: preflight });
  assert.equal(b.headers.get('access-control-allow-origin'), null);
  const h = await fetch(`${open.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29', origin: 'http://app.lab.test:1' } });
  assert.equal(h.headers.get('access-control-expose-headers'), 'diffusion-connection');
});

test('wire: the credential tunnel and the 6.12 response layout', () => {
  assert.deepEqual(decodeCredentials('AQJwdw=='), { type: 'PLAIN', value: 'pw' });
  assert.deepEqual(decodeCredentials('AAA='), { type: 'NONE', value: '' });
  const r = connectionResponse({ version: 29, code: 100, session: newSession('t') });
  assert.equal(r.length, 55);
  assert.equal(r.readInt32BE(51), 10_485_760);
  assert.deepEqual([...connectionResponse({ version: 9, code: 116 })], [35, 9, 116]);
});

test('a WebSocket handshake that lost its Upgrade header (a proxy forwarding a plain GET) is answered 400', async () => {
  const e = await emulator([{ kind: 'ok' }]);
  const r = await fetch(`http://127.0.0.1:${e.port}/diffusion?ty=WB&v=29&ca=8`, { headers: { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /not a WebSocket upgrade/);
  assert.deepEqual(e.log.items.map((x) => [x.type, x.answer]), [['not-upgraded', '400']]);
});

test('stopAfterMs: the server dies after its first session (port refused, socket cut), and a reset brings it back', async () => {
  const e = await emulator([{ kind: 'ok' }], { stopAfterMs: 200 });
  const r = await connectOnce('6.12.1', { host: '127.0.0.1', port: e.port, secure: false, reconnect: false });
  assert.equal(r.kind, 'connected');
  await e.log.waitFor((x) => x.type === 'stopped', 3000, 'the death');
  await e.log.waitFor((x) => x.type === 'ws-closed', 3000, 'the cut socket');
  await assert.rejects(fetch(`http://127.0.0.1:${e.port}/diffusion`, { method: 'POST' }), 'the port refuses');
  (r as { session: NodeSession }).session.close();
  e.reset();
  const again = await connectOnce('6.12.1', { host: '127.0.0.1', port: e.port, secure: false, reconnect: false });
  assert.equal(again.kind, 'connected', 'listening again after the reset');
  (again as { session: NodeSession }).session.close();
});
