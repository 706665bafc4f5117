import { test } from 'node:test';
import assert from 'node:assert/strict';
import { websocketUnavailable } from './websocket-unavailable.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

test('upgrade answered 200 and XHR connected afterwards: a warning naming the stripped Upgrade header', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 200, error: null }),
    attempt({ id: 'xhr1', transport: 'XHR', startedAt: T0 + 80 }),
  ]);
  const [f, ...rest] = websocketUnavailable.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.deepEqual(f?.attempts, ['ws1']);
  assert.match(f!.message, /the upgrade was answered 200 instead of 101: a proxy stripped the Upgrade header/);
  assert.match(f!.message, /fell back to XHR long polling/);
  assert.match(f!.fix, /Upgrade/);
});

test('net::ERR_FAILED with status 0 and no working fallback: an error that says the status is hidden', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 0, error: 'net::ERR_FAILED' }),
    failedAttempt({ id: 'xhr1', transport: 'XHR', startedAt: T0 + 80, httpStatus: 502, error: null }),
  ]);
  const f = websocketUnavailable.check([c], context())[0]!;
  assert.equal(f.severity, 'error');
  assert.match(f.message, /net::ERR_FAILED/);
  assert.match(f.message, /404/);
  assert.match(f.message, /No other transport connected/);
});

test('upgrade 404 names the path; a socket closed before the response names the close code', () => {
  const notFound = connection([failedAttempt({ httpStatus: 404, error: null, endpoint: { path: '/diffusion', prefix: '' } })]);
  assert.match(websocketUnavailable.check([notFound], context())[0]!.message, /answered 404: nothing serves WebSocket on '\/diffusion'/);
  const closed = connection([failedAttempt({ httpStatus: 101, error: null, closeCode: 1006, closedAt: T0 + 60 })]);
  assert.match(websocketUnavailable.check([closed], context())[0]!.message, /closed with code 1006/);
});

test('a blocked-by-client error is named as such', () => {
  const c = connection([failedAttempt({ error: 'net::ERR_BLOCKED_BY_CLIENT' })]);
  assert.match(websocketUnavailable.check([c], context())[0]!.message, /ERR_BLOCKED_BY_CLIENT/);
});

test('repeated failures in one connection give one finding with every attempt', () => {
  const c = connection([0, 1, 2].map((i) => failedAttempt({ id: `ws${i}`, startedAt: T0 + i * 1000 })));
  const findings = websocketUnavailable.check([c], context());
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]!.attempts, ['ws0', 'ws1', 'ws2']);
  assert.match(findings[0]!.message, /^3 WebSocket attempts/);
});

test('what happened reads right for one attempt or many, without saying "before any connection response" twice', () => {
  const silent = connection([0, 1, 2].map((i) => failedAttempt({ id: `s${i}`, startedAt: T0 + i * 1000, httpStatus: null, error: null })));
  assert.match(websocketUnavailable.check([silent], context())[0]!.message, /^3 WebSocket attempts to wss:\/\/push\.example\.com:443\/lb\/diffusion failed before any connection response: the socket closed with no HTTP status or error recorded\. No other transport connected\.$/);
  const odd = connection([failedAttempt({ id: 'o1', httpStatus: 0, error: 'net::ERR_SOCKET_NOT_CONNECTED' })]);
  assert.match(websocketUnavailable.check([odd], context())[0]!.message, /failed before any connection response: the browser reported net::ERR_SOCKET_NOT_CONNECTED\./);
});

test('quiet when WebSocket connected, when it answered undecodable bytes, when mixed content blocked it, and for XHR', () => {
  const ok = connection([attempt()]);
  const garbled = connection([failedAttempt({ httpStatus: 101, error: null, responseError: { error: 'bad protocol byte', hex: '3c68746d6c3e' } })]);
  const mixed = connection([failedAttempt({ endpoint: { secure: false, port: 80 }, error: 'SecurityError: insecure WebSocket' })]);
  const xhr = connection([failedAttempt({ transport: 'XHR' })]);
  assert.deepEqual(websocketUnavailable.check([ok, garbled, mixed, xhr], context()), []);
});

test('Firefox\'s error names are explained like Chromium\'s', () => {
  const c = connection([failedAttempt({ id: 'w1', httpStatus: 0, error: 'NS_ERROR_CONNECTION_REFUSED' })]);
  assert.match(websocketUnavailable.check([c], context())[0]!.message, /was refused: nothing listens there/);
  const reset = connection([failedAttempt({ id: 'w2', httpStatus: 0, error: 'NS_ERROR_NET_RESET' })]);
  assert.match(websocketUnavailable.check([reset], context())[0]!.message, /the network dropped the connection/);
});

test('the upgrade fix names nginx\'s directives when nginx answered, HAProxy\'s when HAProxy did, and stays generic otherwise', () => {
  const behind = (headers: Record<string, string>, answerText?: string) => connection([
    failedAttempt({ id: 'ws1', httpStatus: 400, error: null }),
    attempt({ id: 'xhr1', transport: 'XHR', startedAt: T0 + 80, responseHeaders: headers, ...(answerText ? { answerText } : {}) }),
  ]);
  const nginx = websocketUnavailable.check([behind({ server: 'nginx/1.22.1' })], context())[0]!;
  assert.match(nginx.fix, /In nginx:\n {4}proxy_http_version 1\.1;\n {4}proxy_set_header Upgrade \$http_upgrade;\n {4}proxy_set_header Connection "upgrade";$/);
  assert.match(nginx.fix, /nginx forwards the upgrade as a plain HTTP\/1\.0 GET/);
  const generic = websocketUnavailable.check([behind({})], context())[0]!;
  assert.doesNotMatch(generic.fix, /nginx|HAProxy|proxy_http_version/);
  assert.match(generic.fix, /forward the Upgrade and Connection headers over HTTP\/1\.1/);
});

test('TLS on port 80 is said as such, not as a dropped network', () => {
  const c = connection([failedAttempt({ endpoint: { secure: true, port: 80 }, error: 'Error in connection establishment: net::ERR_CONNECTION_RESET' })]);
  const f = websocketUnavailable.check([c], context())[0]!;
  assert.match(f.message, /TLS was spoken to port 80, where the listener speaks plain HTTP/);
  assert.doesNotMatch(`${f.message} ${f.fix}`, /network dropped|firewall/);
});
