import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsInUrl } from './credentials-in-url.ts';
import { attempt, connection, context, PASSWORD, shownText, T0, tunnel } from './test-builders.ts';

test('username and password in the WebSocket query', () => {
  const c = connection([
    attempt({ id: 'ws1', params: { principal: 'alice' }, password: PASSWORD, closeCode: 1006, closedAt: T0 + 60_000 }),
    attempt({ id: 'ws2', startedAt: T0 + 65_000, reconnect: true, params: { hasToken: true, principal: 'alice' }, password: PASSWORD }),
  ]);
  const findings = credentialsInUrl.check([c], context());
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'info');
  assert.deepEqual(findings[0]!.attempts, ['ws1', 'ws2']);
  assert.match(findings[0]!.message, /'username' and 'password' query parameters/);
  const text = shownText(findings);
  assert.ok(!text.includes(PASSWORD) && !text.includes(tunnel(PASSWORD)) && !text.includes('TOKENtoken'));
});

test('a principal alone', () => {
  const c = connection([attempt({ params: { principal: 'alice' } })]);
  assert.match(credentialsInUrl.check([c], context())[0]!.message, /'username' query parameter,/);
});

test('quiet for XHR (headers, not URL) and anonymous WebSocket sessions', () => {
  const xhr = connection([attempt({ transport: 'XHR', params: { principal: 'alice' }, password: PASSWORD })]);
  const anonymous = connection([attempt()]);
  assert.deepEqual(credentialsInUrl.check([xhr, anonymous], context()), []);
});
