// The real client in Node through each load-balancer behaviour (WebSocket), and the HTTP side of
// the balancer (affinity cookie, CORS, idle close of held requests) driven with fetch.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBalancer, type Balancer, type BalancerOptions } from './balancer.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../server/emulator.ts';
import { connectOnce, loadClient, type NodeSession } from '../clients/node-client.ts';
import { selfSignedCertificate } from '../tls.ts';

const closers: Array<{ close(): Promise<void> }> = [];
after(async () => { await Promise.all(closers.map((c) => c.close())); });

async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator(opts);
  closers.push(e);
  return e;
}
async function balancer(opts: BalancerOptions): Promise<Balancer> {
  const b = await startBalancer(opts);
  closers.push(b);
  return b;
}
const backend = (e: Emulator) => ({ host: e.host, port: e.port });
const ws = (port: number, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port, secure: false, reconnect: false, ...extra });

for (const version of ['6.12.1', '5.9.24'] as const) {
  test(`${version} connects through a prefix that the balancer strips`, async () => {
    const e = await emulator();
    const lb = await balancer({ backends: [backend(e)], prefix: '/lb', stripPrefix: true });
    const r = await connectOnce(version, ws(lb.port, { path: '/lb' }));
    assert.equal(r.kind, 'connected');
    assert.equal(lb.log.items.find((x) => x.type === 'upgrade')?.path?.split('?')[0], '/lb/diffusion');
    assert.equal(e.log.items.find((x) => x.type === 'ws-upgrade')?.path, '/diffusion');
    (r as { session: NodeSession }).session.close();
  });

  test(`${version} connects through a prefix forwarded unchanged to a server that serves it`, async () => {
    const e = await emulator({ paths: ['/lb/diffusion'] });
    const lb = await balancer({ backends: [backend(e)], prefix: '/lb' });
    const r = await connectOnce(version, ws(lb.port, { path: '/lb' }));
    assert.equal(r.kind, 'connected');
    (r as { session: NodeSession }).session.close();
  });

  test(`${version} without the prefix gets 404 from the balancer and fails with 7`, async () => {
    const e = await emulator();
    const lb = await balancer({ backends: [backend(e)], prefix: '/lb', stripPrefix: true });
    const r = await connectOnce(version, ws(lb.port));
    assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 7]);
    assert.equal(lb.log.items[0]?.type, 'not-found');
    assert.equal(e.log.items.length, 0);
  });

  for (const status of [200, 400, 426, 502] as const) {
    test(`${version} fails with 7 when the upgrade is answered with a plain ${status}`, async () => {
      const e = await emulator();
      const lb = await balancer({ backends: [backend(e)], upgrade: status });
      const r = await connectOnce(version, ws(lb.port, { transports: ['WS', 'WEBSOCKET'] }));
      assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 7]);
      assert.equal(lb.log.filter((x) => x.type === 'answered').length, 2, 'both transports tried');
      assert.equal(e.log.items.length, 0);
    });
  }

  test(`${version} fails with 7 when the balancer refuses connections`, async () => {
    const lb = await balancer({ backends: [], refuse: true });
    const r = await connectOnce(version, ws(lb.port));
    assert.deepEqual([r.kind, (r as { id: number }).id], ['failed', 7]);
    assert.ok(lb.log.items.some((x) => x.type === 'refused'));
  });

  test(`${version}: round-robin without affinity sends the reconnect to another server, which answers 117`, async () => {
    const a = await emulator({ name: 'a', replies: [{ kind: 'ok', dropAfterMs: 200 }] });
    const b = await emulator({ name: 'b' });
    const lb = await balancer({ backends: [backend(a), backend(b)] });
    const client = loadClient(version);
    const session = await client.connect({ ...ws(lb.port), reconnect: { timeout: 4000, strategy: (start: () => void) => setTimeout(start, 100) } });
    const closed = new Promise<unknown>((resolve) => session.on('close', resolve));
    const at = await b.log.waitFor((x) => x.type === 'ws-upgrade', 4000, 'reconnect at b');
    assert.equal(at.reconnect, true);
    assert.equal(at.answer, '117');
    assert.equal(((await closed) as { id?: number }).id, 4);
  });

  test(`${version}: the balancer closes idle tunnels and the client reconnects each time`, async () => {
    const e = await emulator();
    const lb = await balancer({ backends: [backend(e)], idleCloseMs: 300 });
    const client = loadClient(version);
    const session = await client.connect({ ...ws(lb.port), reconnect: { timeout: 4000, strategy: (start: () => void) => setTimeout(start, 50) } });
    let reconnects = 0;
    session.on('reconnect', () => { reconnects++; });
    await lb.log.waitUntil(() => lb.log.filter((x) => x.type === 'idle-close').length >= 2 || undefined, 4000, 'two idle closes');
    await e.log.waitUntil(() => e.log.filter((x) => x.type === 'ws-upgrade' && x.answer === '105').length >= 1 || undefined, 4000, 'a 105');
    session.close();
    const closes = lb.log.filter((x) => x.type === 'idle-close');
    assert.ok(closes.length >= 2);
    assert.ok(reconnects >= 1);
  });
}

test('6.12.1 connects over wss through TLS termination with a certificate made at start time', async () => {
  const e = await emulator();
  const lb = await balancer({ backends: [backend(e)], tls: selfSignedCertificate() });
  const r = await connectOnce('6.12.1', { host: '127.0.0.1', port: lb.port, secure: true, reconnect: false, tlsOptions: { rejectUnauthorized: false } });
  assert.equal(r.kind, 'connected');
  (r as { session: NodeSession }).session.close();
});

test('affinity by cookie keeps requests on one backend; round-robin spreads them', async () => {
  const a = await emulator({ name: 'a' });
  const b = await emulator({ name: 'b' });
  const sticky = await balancer({ backends: [backend(a), backend(b)], balance: 'cookie' });
  const first = await fetch(`${sticky.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29' } });
  const cookie = (first.headers.getSetCookie().find((c) => c.startsWith('lb=')) ?? '').split(';')[0] ?? '';
  assert.match(cookie, /^lb=\d$/);
  for (let i = 0; i < 3; i++) await fetch(`${sticky.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29', cookie } });
  assert.deepEqual(new Set(sticky.log.filter((x) => x.type === 'route').map((x) => x.backend)).size, 1);

  const spread = await balancer({ backends: [backend(a), backend(b)] });
  for (let i = 0; i < 4; i++) await fetch(`${spread.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29' } });
  assert.deepEqual(spread.log.filter((x) => x.type === 'route').map((x) => x.backend), [0, 1, 0, 1]);
});

test('CORS preflights: answered, blocked, or forwarded to the backend', async () => {
  const e = await emulator();
  const headers = { origin: 'http://app.lab.test:1', 'access-control-request-method': 'POST', 'access-control-request-headers': 'm,ty,v' };
  const answering = await balancer({ backends: [backend(e)], cors: 'answer' });
  const ok = await fetch(`${answering.origin}/diffusion`, { method: 'OPTIONS', headers });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-headers'), 'm,ty,v');
  const blocking = await balancer({ backends: [backend(e)], cors: 'block' });
  assert.equal((await fetch(`${blocking.origin}/diffusion`, { method: 'OPTIONS', headers })).status, 403);
  const forwarding = await balancer({ backends: [backend(e)] });
  const fwd = await fetch(`${forwarding.origin}/diffusion`, { method: 'OPTIONS', headers });
  assert.equal(fwd.headers.get('access-control-allow-origin'), null, 'this emulator has no CORS configuration');
});

test('a held long poll is cut with 504 after the idle time', async () => {
  const e = await emulator({ pollHoldMs: 5000 });
  const lb = await balancer({ backends: [backend(e)], idleCloseMs: 200 });
  const hs = await fetch(`${lb.origin}/diffusion`, { method: 'POST', headers: { m: '0', ty: 'B', v: '29' } });
  const token = Buffer.from(await hs.arrayBuffer()).subarray(19, 43).toString('latin1');
  const poll = await fetch(`${lb.origin}/diffusion`, { method: 'POST', headers: { m: '1', c: token, s: '0', v: '29' } });
  assert.equal(poll.status, 504);
});
