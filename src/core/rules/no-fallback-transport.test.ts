import { test } from 'node:test';
import assert from 'node:assert/strict';
import { noFallbackTransport } from './no-fallback-transport.ts';
import { attempt, connection, context, failedAttempt, rejectedAttempt, T0 } from './test-builders.ts';

test('only WebSocket tried and failed: add XHR', () => {
  const c = connection([failedAttempt({ id: 'ws1' }), failedAttempt({ id: 'ws2', startedAt: T0 + 5000 })]);
  const [f, ...rest] = noFallbackTransport.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f?.attempts, ['ws1', 'ws2']);
  assert.match(f!.fix, /'XHR'/);
});

test('only XHR tried: add WEBSOCKET', () => {
  const c = connection([failedAttempt({ transport: 'XHR' })]);
  assert.match(noFallbackTransport.check([c], context())[0]!.fix, /'WEBSOCKET' before 'XHR'/);
});

test('quiet when both transports were tried, when the one transport connected or was rejected, or mixed content blocked it', () => {
  const cascaded = connection([failedAttempt(), failedAttempt({ transport: 'XHR', startedAt: T0 + 50 })]);
  const connected = connection([attempt()]);
  const rejected = connection([rejectedAttempt(116)]);
  const mixed = connection([failedAttempt({ endpoint: { secure: false, port: 80 }, error: 'SecurityError: insecure' })]);
  assert.deepEqual(noFallbackTransport.check([cascaded, connected, rejected, mixed], context()), []);
});
