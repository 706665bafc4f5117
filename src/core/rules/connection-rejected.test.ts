import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionRejected } from './connection-rejected.ts';
import { responseCodeInfo } from '../diffusion/response-codes.ts';
import { attempt, connection, context, rejectedAttempt, response, T0 } from './test-builders.ts';

test('116 is named, explained and given the fix from the response-code table', () => {
  const c = connection([rejectedAttempt(116, { id: 'ws1', params: { principal: 'alice' }, password: 'wrong-password' })]);
  const [f, ...rest] = connectionRejected.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['ws1']);
  assert.match(f!.message, /116 AUTHENTICATION_FAILED/);
  assert.match(f!.message, /refused the principal and credentials/);
  assert.equal(f!.fix, responseCodeInfo(116)!.fix);
  assert.ok(!f!.message.includes('wrong-password'));
});

test('the same code twice in one connection is one finding; another code is another', () => {
  const c = connection([
    rejectedAttempt(119, { id: 'a' }),
    rejectedAttempt(119, { id: 'b', startedAt: T0 + 1000 }),
    rejectedAttempt(113, { id: 'c', startedAt: T0 + 2000 }),
  ]);
  const findings = connectionRejected.check([c], context());
  assert.deepEqual(findings.map((f) => f.attempts), [['a', 'b'], ['c']]);
  assert.match(findings[0]!.message, /119 REJECTED_SERVER_INITIALISING \(2 times\)/);
});

test('a code the client family does not define is explained as a parse error', () => {
  const c = connection([rejectedAttempt(112)]);
  assert.match(connectionRejected.check([c], context())[0]!.message, /A 6\.x client does not define 112/);
});

test('117 on a first connect is reported; 117 on a reconnect is left to session-affinity-lost', () => {
  const first = connection([rejectedAttempt(117, { id: 'first' })]);
  assert.deepEqual(connectionRejected.check([first], context())[0]?.attempts, ['first']);
  const reconnect = connection([
    attempt({ id: 'ok' }),
    rejectedAttempt(117, { id: 'again', reconnect: true, params: { hasToken: true }, startedAt: T0 + 70_000 }),
  ]);
  assert.deepEqual(connectionRejected.check([reconnect], context()), []);
});

test('quiet for success codes and for 102 DOWNGRADE (protocol-version-mismatch)', () => {
  const ok = connection([attempt(), attempt({ reconnect: true, params: { hasToken: true }, response: response(105) })]);
  const downgrade = connection([rejectedAttempt(102)]);
  assert.deepEqual(connectionRejected.check([ok, downgrade], context()), []);
});

test('the same answer in several connections to one endpoint is one finding naming them all', () => {
  const c1 = connection([rejectedAttempt(116, { id: 'a1' })], { id: 'c1' });
  const c2 = connection([rejectedAttempt(116, { id: 'a2', startedAt: T0 + 2000 })], { id: 'c2' });
  const findings = connectionRejected.check([c1, c2], context());
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.connection, 'c1');
  assert.deepEqual(findings[0]!.attempts, ['a1', 'a2']);
  assert.match(findings[0]!.message, /2 times, in connections c1 and c2/);
});

// A retrying application rejected ten thousand times: the message stays a sentence.
test('a rejection repeated over thousands of connections names them as ranges', () => {
  const all = Array.from({ length: 10_000 }, (_, i) => connection([rejectedAttempt(116, { id: `a${i + 1}`, startedAt: T0 + i * 1000 })], { id: `c${i + 2}` }));
  const [f] = connectionRejected.check(all, context());
  assert.match(f!.message, /\(10,000 times, in connections c2–c10001\)/);
  assert.ok(f!.message.length < 1000, f!.message);
});
