import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RETRY_STORM_MIN_ATTEMPTS, RETRY_STORM_WINDOW_MS, retryStorm } from './retry-storm.ts';
import { connection, context, failedAttempt, T0 } from './test-builders.ts';
import type { Connection } from '../model.ts';

/** One connect() per start time, each a single failed WebSocket attempt (an application reconnect loop). */
function loop(starts: readonly number[], prefix = 'a'): Connection[] {
  return starts.map((t, i) => connection([failedAttempt({ id: `${prefix}${i}`, startedAt: T0 + t, endedAt: T0 + t + 20 })]));
}

test('12 connects 200 ms apart without back-off', () => {
  const connections = loop(Array.from({ length: 12 }, (_, i) => i * 200));
  const [f, ...rest] = retryStorm.check(connections, context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.equal(f?.connection, null);
  assert.equal(f?.attempts.length, 12);
  assert.match(f!.message, /12 attempts went to push\.example\.com:443\/lb\/diffusion within 2\.2 s, about every 0\.2 s/);
});

test('a retry loop inside one connect() names that connection', () => {
  const c = connection(Array.from({ length: 10 }, (_, i) => failedAttempt({ transport: i % 2 ? 'XHR' : 'WEBSOCKET', startedAt: T0 + i * 300 })));
  assert.equal(retryStorm.check([c], context())[0]?.connection, c.id);
});

test('two bursts a minute apart are two findings', () => {
  const starts = [...Array.from({ length: 10 }, (_, i) => i * 100), ...Array.from({ length: 10 }, (_, i) => 60_000 + i * 100)];
  assert.equal(retryStorm.check(loop(starts), context()).length, 2);
});

test('quiet for exponential back-off, too few attempts, and attempts spread over more than the window', () => {
  const backoff = loop([0, 10, 30, 70, 150, 310, 630, 1270, 2550, 5110, 10230]);
  assert.deepEqual(retryStorm.check(backoff, context()), []);
  assert.deepEqual(retryStorm.check(loop(Array.from({ length: RETRY_STORM_MIN_ATTEMPTS - 1 }, (_, i) => i * 100)), context()), []);
  const spread = (RETRY_STORM_WINDOW_MS / (RETRY_STORM_MIN_ATTEMPTS - 1)) * 1.2;
  assert.deepEqual(retryStorm.check(loop(Array.from({ length: 15 }, (_, i) => i * spread)), context()), []);
});

test('different endpoints are counted apart', () => {
  const a = loop(Array.from({ length: 6 }, (_, i) => i * 200), 'a');
  const b = Array.from({ length: 6 }, (_, i) => connection([failedAttempt({ startedAt: T0 + i * 200 + 100, endpoint: { host: 'push2.example.com' } })]));
  assert.deepEqual(retryStorm.check([...a, ...b], context()), []);
});
