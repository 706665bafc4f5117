import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleTimeoutDisconnect } from './idle-timeout-disconnect.ts';
import { attempt, connection, context, polls, response, T0 } from './test-builders.ts';
import type { Attempt } from '../model.ts';
import type { AttemptOverrides } from './test-builders.ts';

const reconnect = { reconnect: true, params: { hasToken: true } };

/** A WebSocket session opened at `at` that the network closed `lifetime` ms later. */
function dropped(id: string, at: number, lifetime: number, o: AttemptOverrides = {}): Attempt {
  return attempt({ id, startedAt: at, endedAt: at + 40, closeCode: 1006, closedAt: at + lifetime, ...o });
}

test('sessions closed 1006 after about 60 s with a 90 s ping period', () => {
  const c = connection([
    dropped('ws1', T0, 60_000),
    dropped('ws2', T0 + 65_000, 61_000, reconnect),
    dropped('ws3', T0 + 131_000, 59_500, reconnect),
  ]);
  const [f, ...rest] = idleTimeoutDisconnect.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.equal(f?.connection, c.id);
  assert.deepEqual(f?.attempts, ['ws1', 'ws2', 'ws3']);
  assert.match(f!.message, /3 established connections to push\.example\.com:443 ended after 59\.5 s to 61 s \(close code 1006\)/);
  assert.match(f!.message, /ping period of 90 s/);
  assert.match(f!.fix, /above 90 s/);
});

test('lifetimes that read the same are said once', () => {
  const c = connection([dropped('s1', T0, 1_520), dropped('s2', T0 + 2_000, 1_540, reconnect)]);
  assert.match(idleTimeoutDisconnect.check([c], context())[0]!.message, /2 established connections to push\.example\.com:443 ended after 1\.5 s \(close code 1006\)/);
});

test('drops across connections point at no single connection', () => {
  const a = connection([dropped('a', T0, 30_000)]);
  const b = connection([dropped('b', T0 + 40_000, 31_000)]);
  const f = idleTimeoutDisconnect.check([a, b], context())[0]!;
  assert.equal(f.connection, null);
  assert.deepEqual(f.attempts, ['a', 'b']);
});

test('a HAR capture without close codes: sockets whose entries end when they closed, each followed by a reconnect', () => {
  const har = (id: string, at: number, lifetime: number, o: AttemptOverrides = {}) =>
    attempt({ id, startedAt: at, endedAt: at + lifetime, closeCode: null, closedAt: at + lifetime, ...o });
  const c = connection([har('h1', T0, 60_000), har('h2', T0 + 65_000, 60_200, reconnect), attempt({ id: 'h3', startedAt: T0 + 130_000, ...reconnect })]);
  const f = idleTimeoutDisconnect.check([c], context())[0]!;
  assert.deepEqual(f.attempts, ['h1', 'h2']);
  assert.match(f.message, /closed, then reconnected/);
  const last = connection([har('l1', T0, 60_000), har('l2', T0 + 65_000, 60_000, reconnect)]);
  // The last socket has no reconnect after it: the page may have closed it, so only one drop counts.
  assert.deepEqual(idleTimeoutDisconnect.check([last], context()), []);
});

test('XHR sessions whose polls failed after a similar lifetime', () => {
  const x = (id: string, at: number) => attempt({ id, transport: 'XHR', startedAt: at, endedAt: at + 40, polls: polls({ failedStatuses: [504], firstAt: at + 50, lastAt: at + 40 + 60_000 }) });
  const c = connection([x('x1', T0), x('x2', T0 + 70_000)]);
  assert.match(idleTimeoutDisconnect.check([c], context())[0]!.message, /poll status 504/);
});

test('quiet for one drop, client closes, dissimilar lifetimes and lifetimes beyond the ping period', () => {
  const once = connection([dropped('a', T0, 60_000)]);
  const byClient = connection([dropped('b', T0, 60_000, { closeCode: 1000 }), dropped('c', T0 + 70_000, 60_000, { closeCode: 1000 })]);
  const dissimilar = connection([dropped('d', T0, 60_000, { response: response(100, { pingPeriodMs: 300_000 }) }), dropped('e', T0 + 70_000, 120_000, { response: response(100, { pingPeriodMs: 300_000 }) })]);
  const longLived = connection([dropped('f', T0, 100_000), dropped('g', T0 + 110_000, 100_000)]);
  assert.deepEqual(idleTimeoutDisconnect.check([once], context()), []);
  assert.deepEqual(idleTimeoutDisconnect.check([byClient], context()), []);
  assert.deepEqual(idleTimeoutDisconnect.check([dissimilar], context()), []);
  assert.deepEqual(idleTimeoutDisconnect.check([longLived], context()), []);
});

test('the fix names nginx\'s proxy_read_timeout or HAProxy\'s timeout tunnel when the capture shows them', () => {
  const drops = (headers: Record<string, string>) => connection([
    attempt({ id: 'd1', startedAt: T0, closedAt: T0 + 3000, closeCode: 1006, responseHeaders: headers, response: response(100, { pingPeriodMs: 90000 }) }),
    attempt({ id: 'd2', startedAt: T0 + 5000, reconnect: true, params: { hasToken: true }, closedAt: T0 + 8000, closeCode: 1006, responseHeaders: headers, response: response(105, { pingPeriodMs: 90000 }) }),
  ]);
  const nginx = idleTimeoutDisconnect.check([drops({ server: 'nginx/1.22.1' })], context())[0]!;
  assert.match(nginx.fix, /^Raise proxy_read_timeout \(and proxy_send_timeout\) in the nginx location that proxies to Diffusion above 90 s/);
  const haproxy = idleTimeoutDisconnect.check([drops({ server: 'HAProxy' })], context())[0]!;
  assert.match(haproxy.fix, /^Set timeout tunnel above 90 s in the HAProxy backend for Diffusion: once a connection is upgraded, timeout tunnel governs it, and without it timeout client and timeout server cut the idle WebSocket/);
  const generic = idleTimeoutDisconnect.check([drops({})], context())[0]!;
  assert.doesNotMatch(generic.fix, /nginx|HAProxy|proxy_read_timeout/);
});

test('short timeouts: lifetimes a few hundred ms apart are one timeout, lifetimes a second apart are not', () => {
  // nginx's proxy_read_timeout 1s, as the captures time it: 1.03 s and 1.32 s from the handshake.
  const near = connection([dropped('n1', T0, 1_034), dropped('n2', T0 + 5_000, 1_321, reconnect)]);
  const f = idleTimeoutDisconnect.check([near], context())[0];
  assert.match(f!.message, /2 established connections to push\.example\.com:443 ended after 1 s to 1\.3 s \(close code 1006\)/);
  const apart = connection([dropped('a1', T0, 1_000), dropped('a2', T0 + 5_000, 2_100, reconnect)]);
  assert.deepEqual(idleTimeoutDisconnect.check([apart], context()), []);
});
