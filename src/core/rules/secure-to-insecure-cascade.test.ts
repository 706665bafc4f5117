import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secureToInsecureCascade } from './secure-to-insecure-cascade.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

const insecure = { secure: false, port: 80 };

test('wss then ws to the same host within one connection', () => {
  const c = connection([
    failedAttempt({ id: 'wss', startedAt: T0 }),
    attempt({ id: 'ws', startedAt: T0 + 300, endpoint: insecure, pageUrl: 'http://app.example.com/trade' }),
  ]);
  const [f, ...rest] = secureToInsecureCascade.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['wss', 'ws']);
  assert.match(f!.message, /wss:\/\/push\.example\.com:443\/lb\/diffusion/);
  assert.match(f!.message, /ws:\/\/push\.example\.com:80\/lb\/diffusion/);
  assert.match(f!.message, /within the same connect\(\)/);
});

test('an application retry without TLS in a new connect() shortly after', () => {
  const first = connection([
    failedAttempt({ id: 'wss', startedAt: T0, endedAt: T0 + 50 }),
    failedAttempt({ id: 'https', transport: 'XHR', startedAt: T0 + 60, endedAt: T0 + 120 }),
  ]);
  const retry = connection([attempt({ id: 'ws', startedAt: T0 + 2120, endpoint: insecure })]);
  const findings = secureToInsecureCascade.check([first, retry], context());
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.connection, retry.id);
  assert.deepEqual(findings[0]!.attempts, ['wss', 'https', 'ws']);
  assert.match(findings[0]!.message, /new connect\(\) 2 s later/);
});

test('quiet when the insecure connect() comes long after, goes to another host, or comes first', () => {
  const secure = connection([failedAttempt({ startedAt: T0, endedAt: T0 + 50 })]);
  const muchLater = connection([attempt({ startedAt: T0 + 5 * 60_000, endpoint: insecure })]);
  const otherHost = connection([attempt({ startedAt: T0 + 1000, endpoint: { ...insecure, host: 'legacy.example.com' } })]);
  assert.deepEqual(secureToInsecureCascade.check([secure, muchLater, otherHost], context()), []);
  const upgrade = connection([
    failedAttempt({ startedAt: T0, endpoint: insecure }),
    attempt({ startedAt: T0 + 100 }),
  ]);
  assert.deepEqual(secureToInsecureCascade.check([upgrade], context()), []);
});

test('quiet for the client\'s own wss → https cascade', () => {
  const c = connection([failedAttempt({ startedAt: T0 }), attempt({ transport: 'XHR', startedAt: T0 + 100 })]);
  assert.deepEqual(secureToInsecureCascade.check([c], context()), []);
});
