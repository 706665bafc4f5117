import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemePortMismatch } from './scheme-port-mismatch.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

test('wss:// on port 80', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', endpoint: { secure: true, port: 80 }, error: 'net::ERR_SSL_PROTOCOL_ERROR' }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 30, endpoint: { secure: true, port: 80 }, error: 'net::ERR_SSL_PROTOCOL_ERROR' }),
  ]);
  const [f, ...rest] = schemePortMismatch.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f?.attempts, ['ws1', 'x1']);
  assert.match(f!.message, /TLS on port 80 \(wss:\/\/push\.example\.com:80\/lb\/diffusion\)/);
  assert.match(f!.fix, /port 443 with secure: true/);
});

test('ws:// on port 443', () => {
  const c = connection([failedAttempt({ endpoint: { secure: false, port: 443 }, pageUrl: 'http://app.example.com/trade' })]);
  const f = schemePortMismatch.check([c], context())[0]!;
  assert.match(f.message, /plain text on port 443/);
  assert.match(f.fix, /secure: true/);
});

test('quiet for wss on 443, ws on 80, other ports, and a mismatch that connected', () => {
  const c = connection([
    failedAttempt(),
    failedAttempt({ endpoint: { secure: false, port: 80 } }),
    failedAttempt({ endpoint: { secure: false, port: 8080 } }),
    failedAttempt({ endpoint: { secure: true, port: 8443 } }),
  ]);
  const works = connection([attempt({ endpoint: { secure: false, port: 443 } })]);
  assert.deepEqual(schemePortMismatch.check([c, works], context()), []);
});
