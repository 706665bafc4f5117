import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryAfterFatalRejection } from './retry-after-fatal-rejection.ts';
import { connection, context, rejectedAttempt, T0 } from './test-builders.ts';

const alice = { params: { principal: 'alice' }, password: 'hunter2-secret' };

test('reconnecting after 116 with the same principal', () => {
  const first = connection([rejectedAttempt(116, { id: 'r1', startedAt: T0, ...alice })]);
  const again = connection([rejectedAttempt(116, { id: 'r2', startedAt: T0 + 1000, ...alice })]);
  const third = connection([rejectedAttempt(116, { id: 'r3', startedAt: T0 + 2000, ...alice })]);
  const [f, ...rest] = retryAfterFatalRejection.check([first, again, third], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.equal(f?.connection, first.id);
  assert.deepEqual(f?.attempts, ['r1', 'r2', 'r3']);
  assert.match(f!.message, /116 AUTHENTICATION_FAILED/);
  assert.match(f!.message, /2 more times within 2 s \(2 of them rejected with 116 again\)/);
  assert.match(f!.fix, /close reason 99/);
  assert.ok(!f!.message.includes('hunter2'));
});

test('retrying after 113 LICENSE_EXCEEDED', () => {
  const c = connection([rejectedAttempt(113, { id: 'a' }), rejectedAttempt(113, { id: 'b', startedAt: T0 + 500 })]);
  assert.deepEqual(retryAfterFatalRejection.check([c], context())[0]?.attempts, ['a', 'b']);
});

test('quiet for a new principal after 116, a non-fatal code, a single rejection and another endpoint', () => {
  const wrong = connection([rejectedAttempt(116, { startedAt: T0, ...alice })]);
  const bob = connection([rejectedAttempt(116, { startedAt: T0 + 5000, params: { principal: 'bob' } })]);
  assert.deepEqual(retryAfterFatalRejection.check([wrong, bob], context()), []);
  const initialising = connection([rejectedAttempt(119), rejectedAttempt(119, { startedAt: T0 + 2000 })]);
  assert.deepEqual(retryAfterFatalRejection.check([initialising], context()), []);
  const once = connection([rejectedAttempt(113)]);
  const elsewhere = connection([rejectedAttempt(113, { startedAt: T0 + 100, endpoint: { host: 'push2.example.com' } })]);
  assert.deepEqual(retryAfterFatalRejection.check([once, elsewhere], context()), []);
});

test('quiet when a 6.x client gets a code it does not define (the client cascades by itself)', () => {
  const c = connection([rejectedAttempt(112), rejectedAttempt(112, { transport: 'XHR', startedAt: T0 + 50 })]);
  assert.deepEqual(retryAfterFatalRejection.check([c], context()), []);
});
