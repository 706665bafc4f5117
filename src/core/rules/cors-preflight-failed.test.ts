import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corsPreflightFailed } from './cors-preflight-failed.ts';
import { attempt, connection, context, failedAttempt, preflight, T0 } from './test-builders.ts';

// The page is https://app.example.com; Diffusion is on https://push.example.com: cross-origin.

test('a cross-origin XHR handshake that died with status 0 and no response', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 200, error: null }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 60, httpStatus: 0, error: 'net::ERR_FAILED' }),
  ]);
  const [f, ...rest] = corsPreflightFailed.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['x1']);
  assert.match(f!.message, /https:\/\/push\.example\.com:443\/lb\/diffusion is cross-origin for the page https:\/\/app\.example\.com/);
  assert.match(f!.message, /status 0 \(net::ERR_FAILED\)/);
  assert.match(f!.fix, /ca, m, password, r, sp, ty, username, v, c, s/);
  assert.match(f!.fix, /Access-Control-Expose-Headers: diffusion-connection/);
  assert.match(f!.fix, /Access-Control-Allow-Origin: https:\/\/app\.example\.com/);
});

test('a failed preflight is matched to its handshake and its status shown', () => {
  const c = connection([failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 20 })]);
  const ctx = context({ preflights: [preflight({ startedAt: T0, status: 403, allowHeaders: null, allowOrigin: null })] });
  const findings = corsPreflightFailed.check([c], ctx);
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]!.attempts, ['x1']);
  assert.match(findings[0]!.message, /the OPTIONS preflight was answered 403/);
});

test('a preflight whose allowed headers lack m and v', () => {
  const ctx = context({ preflights: [preflight({ requestedHeaders: null, allowHeaders: 'content-type, authorization' })] });
  const findings = corsPreflightFailed.check([], ctx);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.connection, null);
  assert.deepEqual(findings[0]!.attempts, []);
  assert.match(findings[0]!.message, /Access-Control-Allow-Headers lacks m and v/);
});

test('a 200 answer without Access-Control-Allow-Origin, which the browser hides', () => {
  const c = connection([failedAttempt({ transport: 'XHR', httpStatus: 200, error: null, responseHeaders: { 'content-type': 'text/plain' } })]);
  assert.match(corsPreflightFailed.check([c], context())[0]!.message, /answered 200 without Access-Control-Allow-Origin/);
});

test('quiet for same-origin failures, working cross-origin XHR, echoed allow headers, refused connections and mixed content', () => {
  const sameOrigin = connection([failedAttempt({ transport: 'XHR', pageUrl: 'https://push.example.com/trade' })]);
  const working = connection([attempt({ transport: 'XHR', startedAt: T0 + 10 })]);
  const refused = connection([failedAttempt({ transport: 'XHR', error: 'net::ERR_CONNECTION_REFUSED' })]);
  const mixed = connection([failedAttempt({ transport: 'XHR', endpoint: { secure: false, port: 80 }, error: null })]);
  const ctx = context({ preflights: [preflight({ startedAt: T0, requestedHeaders: 'ca,m,r,sp,ty,v', allowHeaders: 'ca,m,r,sp,ty,v' }), preflight({ allowHeaders: '*', allowOrigin: '*' })] });
  assert.deepEqual(corsPreflightFailed.check([sameOrigin, working, refused, mixed], ctx), []);
});

test('quiet when the host is down: a refused preflight, or a silent XHR after a refused WebSocket', () => {
  const down = connection([
    failedAttempt({ error: 'net::ERR_CONNECTION_REFUSED' }),
    failedAttempt({ transport: 'XHR', startedAt: T0 + 30, error: null, httpStatus: 0 }),
  ]);
  const ctx = context({ preflights: [preflight({ startedAt: T0 + 25, status: null, error: 'net::ERR_CONNECTION_REFUSED', allowHeaders: null, allowOrigin: null })] });
  assert.deepEqual(corsPreflightFailed.check([down], ctx), []);
});

test('quiet when webRequest reports a down host\'s preflight as net::ERR_FAILED and the request as a reset', () => {
  const down = connection([
    failedAttempt({ error: 'net::ERR_CONNECTION_RESET' }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 30, error: 'net::ERR_CONNECTION_RESET', httpStatus: 0 }),
  ]);
  const ctx = context({ preflights: [preflight({ startedAt: T0 + 25, status: 0, error: 'net::ERR_FAILED', allowHeaders: null, allowOrigin: null })] });
  assert.deepEqual(corsPreflightFailed.check([down], ctx), []);
});

test('quiet when Firefox reports a down host: the preflight reset, the request a CORS failure (NS_ERROR_DOM_BAD_URI)', () => {
  const down = connection([
    failedAttempt({ error: 'NS_ERROR_NET_RESET' }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 30, error: 'NS_ERROR_DOM_BAD_URI', httpStatus: 0 }),
  ]);
  const ctx = context({ preflights: [preflight({ startedAt: T0 + 25, status: 0, error: 'NS_ERROR_NET_RESET', allowHeaders: null, allowOrigin: null })] });
  assert.deepEqual(corsPreflightFailed.check([down], ctx), []);
});

test('a preflight answered 403 still counts when the request after it failed too', () => {
  const c = connection([failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 20, error: 'net::ERR_CONNECTION_RESET' })]);
  const ctx = context({ preflights: [preflight({ startedAt: T0, status: 403, allowHeaders: null, allowOrigin: null })] });
  assert.equal(corsPreflightFailed.check([c], ctx).length, 1);
});

test('an allow list that lacks a header the browser asked for is named', () => {
  const ctx = context({ preflights: [preflight({ requestedHeaders: 'ca,m,password,r,sp,ty,username,v', allowHeaders: 'ca,m,r,sp,ty,v' })] });
  const [f] = corsPreflightFailed.check([], ctx);
  assert.match(f!.message, /Access-Control-Allow-Headers lacks password and username/);
});
