import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protocolVersionMismatch } from './protocol-version-mismatch.ts';
import { attempt, connection, context, failedAttempt, rejectedAttempt, response, T0 } from './test-builders.ts';

test('a 6.12 client (v=29) answered by a 6.2 server (v=15)', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 101, error: null, response: response(100, { version: 15 }), responseError: null }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 50, httpStatus: 200, error: null, response: response(100, { version: 15 }) }),
  ]);
  const [f, ...rest] = protocolVersionMismatch.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['ws1', 'x1']);
  assert.match(f!.message, /the client speaks protocol v=29, Diffusion 6\.12, but the server answered with protocol v=15, Diffusion 6\.2/);
});

test('102 DOWNGRADE', () => {
  const c = connection([rejectedAttempt(102, { id: 'ws1', params: { version: 29 }, response: response(102, { version: 29 }) })]);
  const f = protocolVersionMismatch.check([c], context())[0]!;
  assert.deepEqual(f.attempts, ['ws1']);
  assert.match(f.message, /102 DOWNGRADE/);
});

test('a 5.9 client gets the version from the connection when the attempt lacks it', () => {
  const c = connection([attempt({ params: { version: null }, response: response(100, { version: 29 }) })], { protocolVersion: 9 });
  assert.match(protocolVersionMismatch.check([c], context())[0]!.message, /v=9, Diffusion 5\.9/);
});

test('quiet when versions match, and when there was no response', () => {
  const ok = connection([attempt(), rejectedAttempt(116)]);
  const none = connection([failedAttempt()]);
  assert.deepEqual(protocolVersionMismatch.check([ok, none], context()), []);
});
