import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transportsExhausted } from './transports-exhausted.ts';
import { attempt, connection, context, failedAttempt, rejectedAttempt, T0 } from './test-builders.ts';

test('WebSocket and XHR both failed: the connection never opened', () => {
  const c = connection([failedAttempt({ id: 'ws1' }), failedAttempt({ id: 'xhr1', transport: 'XHR', startedAt: T0 + 60 })]);
  assert.equal(c.outcome, 'exhausted');
  const [f, ...rest] = transportsExhausted.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['ws1', 'xhr1']);
  assert.match(f!.message, /WEBSOCKET ×1, XHR ×1/);
});

test('undecodable responses are counted', () => {
  const c = connection([failedAttempt({ httpStatus: 101, error: null, responseError: { error: 'text frame', hex: '' } })]);
  assert.match(transportsExhausted.check([c], context())[0]!.message, /1 response could not be decoded/);
});

test('a single attempt is named as the only one, not counted as "all 1"', () => {
  const c = connection([failedAttempt({ id: 'x1', transport: 'XHR' })]);
  assert.match(transportsExhausted.check([c], context())[0]!.message, /never got a usable connection response: its only attempt \(XHR\) failed, so the client ran out of transports/);
  const lost = connection([
    attempt({ id: 'first', closeCode: 1006, closedAt: T0 + 60_000 }),
    failedAttempt({ id: 'r1', startedAt: T0 + 65_000, reconnect: true, params: { hasToken: true } }),
  ], { outcome: 'exhausted' });
  assert.match(transportsExhausted.check([lost], context())[0]!.message, /was lost, its only reconnect attempt \(WEBSOCKET\) failed without a connection response/);
});

test('every reconnect attempt after a lost session failed', () => {
  const c = connection([
    attempt({ id: 'first', closeCode: 1006, closedAt: T0 + 60_000 }),
    failedAttempt({ id: 'r1', startedAt: T0 + 65_000, reconnect: true, params: { hasToken: true } }),
    failedAttempt({ id: 'r2', transport: 'XHR', startedAt: T0 + 65_100, reconnect: true, params: { hasToken: true } }),
  ], { outcome: 'exhausted' });
  const f = transportsExhausted.check([c], context())[0]!;
  assert.deepEqual(f.attempts, ['r1', 'r2']);
  assert.match(f.message, /reconnect attempts/);
  const stillOpen = { ...c, outcome: 'connected' as const };
  assert.deepEqual(transportsExhausted.check([stillOpen], context()), []);
});

test('quiet when a transport connected or the server answered a rejection', () => {
  const fellBack = connection([failedAttempt(), attempt({ transport: 'XHR', startedAt: T0 + 60 })]);
  const rejected = connection([rejectedAttempt(116)]);
  assert.deepEqual(transportsExhausted.check([fellBack, rejected], context()), []);
});
