import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsOverInsecureTransport } from './credentials-over-insecure-transport.ts';
import { attempt, connection, context, PASSWORD, rejectedAttempt, shownText, tunnel } from './test-builders.ts';

const insecure = { secure: false, port: 80 };
const alice = { params: { principal: 'alice' }, password: PASSWORD };

test('principal and password over ws:// (the password never shown, nor its tunnel)', () => {
  const c = connection([attempt({ id: 'ws1', endpoint: insecure, pageUrl: 'http://app.example.com/trade', ...alice })]);
  assert.ok(c.attempts[0]!.url.includes(encodeURIComponent(tunnel(PASSWORD))));
  const findings = credentialsOverInsecureTransport.check([c], context());
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.attempts, ['ws1']);
  assert.match(f.message, /The principal and password were sent unencrypted to ws:\/\/push\.example\.com:80\/lb\/diffusion/);
  assert.match(f.fix, /secure: true/);
  const text = shownText(findings);
  for (const secret of [PASSWORD, tunnel(PASSWORD), encodeURIComponent(tunnel(PASSWORD))]) assert.ok(!text.includes(secret), secret);
});

test('password over http:// XHR, rejected or not', () => {
  const c = connection([rejectedAttempt(116, { id: 'x1', transport: 'XHR', endpoint: insecure, ...alice })]);
  assert.deepEqual(credentialsOverInsecureTransport.check([c], context())[0]?.attempts, ['x1']);
});

test('quiet over wss, for empty credentials (6.12 PLAIN ""), NONE credentials and loopback', () => {
  const secure = connection([attempt(alice)]);
  const empty = connection([attempt({ endpoint: insecure, params: { principal: '' }, password: '' })]);
  const none = connection([attempt({ endpoint: insecure, params: { hasPassword: true, credentialType: 'NONE' } })]);
  const loopback = connection([attempt({ endpoint: { ...insecure, host: '127.0.0.1', port: 8080 }, ...alice })]);
  assert.equal(empty.attempts[0]!.url.endsWith(`password=${encodeURIComponent('AQA=')}`), true);
  assert.deepEqual(credentialsOverInsecureTransport.check([secure, empty, none, loopback], context()), []);
});
