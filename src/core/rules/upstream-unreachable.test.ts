import { test } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamUnreachable } from './upstream-unreachable.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

const HAPROXY_503 = '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>';
const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>';

test('HAProxy\'s own 503 page on both transports: its backend has no server up, with HAProxy\'s words in the fix', () => {
  const c = connection([
    failedAttempt({ id: 'w1', httpStatus: 503, error: null }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 20, httpStatus: 503, error: null, answerText: HAPROXY_503 }),
  ]);
  const [f, ...rest] = upstreamUnreachable.check([c], context());
  assert.equal(rest.length, 0);
  assert.deepEqual(f!.attempts, ['w1', 'x1']);
  assert.match(f!.message, /^HAProxy \(its own error page\) answered 2 attempts to wss:\/\/push\.example\.com:443\/lb\/diffusion and https:\/\/push\.example\.com:443\/lb\/diffusion itself: 503 Service Unavailable: the proxy has no server to send the request to\. It could not reach a Diffusion server/);
  assert.match(f!.fix, /HAProxy backend for '\/lb\/diffusion'.*every server line is DOWN/);
});

test('nginx\'s 502 names its upstream in the fix; without a sign of the proxy the fix stays generic', () => {
  const nginx = connection([failedAttempt({ transport: 'XHR', httpStatus: 502, error: null, responseHeaders: { server: 'nginx/1.22.1' }, answerText: NGINX_502 })]);
  const f = upstreamUnreachable.check([nginx], context())[0]!;
  assert.match(f.message, /^nginx \(its own error page\) answered 1 attempt .* 502 Bad Gateway: the proxy got no valid answer from the server/);
  assert.match(f.fix, /connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
  const plain = connection([failedAttempt({ transport: 'XHR', httpStatus: 504, error: null })]);
  const g = upstreamUnreachable.check([plain], context())[0]!;
  assert.match(g.message, /^The proxy or load balancer answered 1 attempt .* 504 Gateway Timeout/);
  assert.doesNotMatch(g.fix, /nginx|HAProxy/);
});

test('an intercepting proxy\'s own connection error counts', () => {
  const c = connection([failedAttempt({ transport: 'XHR', httpStatus: 0, error: '[Errno 111] Connect call failed (\'127.0.0.1\', 8080)' })]);
  assert.match(upstreamUnreachable.check([c], context())[0]!.message, /the proxy's own error/);
});

test('quiet for a WebSocket-only 502 with no sign of the proxy, when XHR connected after a 502 upgrade, and for 404', () => {
  const wsOnly = connection([failedAttempt({ httpStatus: 502, error: null })]);
  const fellBack = connection([failedAttempt({ httpStatus: 502, error: null, responseHeaders: { server: 'nginx' } }), attempt({ transport: 'XHR', startedAt: T0 + 30 })]);
  const notFound = connection([failedAttempt({ transport: 'XHR', httpStatus: 404, error: null })]);
  assert.deepEqual(upstreamUnreachable.check([wsOnly, fellBack, notFound], context()), []);
});
