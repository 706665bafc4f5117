import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, RequestObservation } from './model.ts';
import { reconstruct } from './reconstruct.ts';
import { readHarText } from '../sources/har/read.ts';
import { har, wsRefused, xhrHandshake } from '../sources/har/test-fixtures.ts';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const TOKEN = 'TOKEN-abcdefghijklmnopqr';
const WS_URL = 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29&ca=8&r=60000';
const XHR_URL = 'http://127.0.0.1:8080/diffusion';

function response(code = 100, v = 29, token = TOKEN): Uint8Array {
  if (code !== 100 && code !== 105) return new Uint8Array([35, v, code]);
  const b = Buffer.alloc(55);
  b[0] = 35; b[1] = v; b[2] = code;
  b.writeBigUInt64BE(1n, 3); b.writeBigUInt64BE(2n, 11);
  b.write(token, 19, 'latin1');
  b.writeBigInt64BE(3600000n, 43);
  b.writeInt32BE(10485760, 51);
  return new Uint8Array(b);
}
const ws = (at: number, o: Partial<RequestObservation> = {}): RequestObservation =>
  ({ kind: 'request', source: 'har', transport: 'WEBSOCKET', url: WS_URL, method: 'GET', startedAt: T0 + at, ...o });
const xhr = (at: number, headers: Record<string, string>, o: Partial<RequestObservation> = {}): RequestObservation =>
  ({ kind: 'request', source: 'har', transport: 'XHR', url: XHR_URL, method: 'POST', startedAt: T0 + at, requestHeaders: headers, ...o });
const handshake = { m: '0', ty: 'B', v: '29', ca: '8', r: '60000' };

test('a healthy WebSocket connection', () => {
  const { connections } = reconstruct([ws(0, { status: 101, endedAt: T0 + 20, body: response() })]);
  assert.equal(connections.length, 1);
  const c = connections[0]!;
  assert.equal(c.outcome, 'connected');
  assert.equal(c.protocolVersion, 29);
  assert.equal(c.attempts[0]!.result, 'connected');
  assert.equal(c.attempts[0]!.response?.sessionId, '0000000000000001-0000000000000002');
});

test('WebSocket stripped, XHR connects: one cascade of two attempts', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 15, error: 'net::ERR_FAILED' }),
    xhr(16, handshake, { status: 200, endedAt: T0 + 30, body: response() }),
    xhr(31, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 1031 }),
    xhr(1032, { m: '1', c: TOKEN, s: '1', v: '29' }, { status: 200, endedAt: T0 + 2032 }),
    xhr(40, { m: '2', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 45 }),
  ]);
  assert.equal(connections.length, 1);
  const [w, x] = connections[0]!.attempts;
  assert.deepEqual([w!.transport, w!.result, x!.transport, x!.result], ['WEBSOCKET', 'failed', 'XHR', 'connected']);
  assert.equal(connections[0]!.outcome, 'connected');
  assert.deepEqual({ polls: x!.polls?.polls, sends: x!.polls?.sends }, { polls: 2, sends: 1 });
});

test('a failed upgrade\'s status is read from Chromium\'s error text', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 5, error: 'Error during WebSocket handshake: Unexpected response code: 200' }),
  ]);
  const a = connections[0]!.attempts[0]!;
  assert.equal(a.httpStatus, 200);
  assert.equal(a.result, 'failed');
});

test('every transport fails: exhausted', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 5, error: 'net::ERR_CONNECTION_REFUSED' }),
    xhr(6, handshake, { status: 0, endedAt: T0 + 9, error: 'net::ERR_CONNECTION_REFUSED' }),
  ]);
  assert.equal(connections.length, 1);
  assert.equal(connections[0]!.outcome, 'exhausted');
});

test('a rejection ends the cascade; a later connect() is a new connection', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 20, body: response(116) }),
    ws(3000, { status: 101, endedAt: T0 + 3020, body: response(116) }),
  ]);
  assert.equal(connections.length, 2);
  assert.deepEqual(connections.map((c) => c.outcome), ['rejected', 'rejected']);
  assert.equal(connections[0]!.attempts[0]!.response?.name, 'AUTHENTICATION_FAILED');
});

test('6.12 cascades on a code it does not define (111) and on a version mismatch', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 20, body: response(111) }),
    xhr(21, handshake, { status: 200, endedAt: T0 + 40, body: response(100, 28) }),
  ]);
  assert.equal(connections.length, 1);
  assert.deepEqual(connections[0]!.attempts.map((a) => a.result), ['rejected', 'rejected']);
  assert.equal(connections[0]!.outcome, 'rejected');
});

test('retry re-walks the transport list within one connection', () => {
  const obs: Observation[] = [];
  for (let round = 0; round < 3; round++) {
    const t = round * 1500;
    obs.push(ws(t, { status: 0, endedAt: T0 + t + 5, error: 'net::ERR_FAILED' }));
    obs.push(xhr(t + 6, handshake, { status: 502, endedAt: T0 + t + 10 }));
  }
  const { connections } = reconstruct(obs);
  assert.equal(connections.length, 1);
  assert.equal(connections[0]!.attempts.length, 6);
  assert.equal(connections[0]!.outcome, 'exhausted');
});

test('an application retry long after the cascade ended is a new connection', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 5, error: 'net::ERR_FAILED' }),
    ws(30_000, { status: 0, endedAt: T0 + 30_005, error: 'net::ERR_FAILED' }),
  ]);
  assert.equal(connections.length, 2);
});

test('different endpoints are different connections', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 5, error: 'net::ERR_FAILED' }),
    ws(6, { url: 'ws://127.0.0.1:8080/lb/diffusion?ty=WB&v=29&ca=8&r=60000', status: 0, endedAt: T0 + 10, error: 'net::ERR_FAILED' }),
  ]);
  assert.equal(connections.length, 2);
  assert.equal(connections[1]!.endpoint.prefix, '/lb');
});

test('reconnects join the connection that issued their token', () => {
  const other = 'OTHER-abcdefghijklmnopqrs';
  const reconnectUrl = `${WS_URL}&c=${encodeURIComponent(TOKEN)}&cs=0&ss=0`;
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 4000, body: response(100, 29, TOKEN) }),
    ws(100, { url: 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29&ca=8&r=60000&x=1', status: 101, endedAt: T0 + 9000, body: response(100, 29, other) }),
    ws(9000, { url: reconnectUrl, status: 101, endedAt: T0 + 9020, body: response(105, 29, TOKEN) }),
  ]);
  assert.equal(connections.length, 2);
  const first = connections[0]!;
  assert.equal(first.attempts.length, 2);
  assert.equal(first.attempts[1]!.reconnect, true);
  assert.equal(first.attempts[1]!.response?.name, 'RECONNECTED');
  assert.equal(first.attempts[0]!.closedAt, T0 + 4000, 'the dropped socket closed when its entry ended');
  assert.equal(first.outcome, 'connected');
});

test('a reconnect answered UNKNOWN_SESSION stays with its connection, which lost its session', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 1000, body: response() }),
    ws(6000, { url: `${WS_URL}&c=${encodeURIComponent(TOKEN)}&cs=0&ss=0`, status: 101, endedAt: T0 + 6020, body: response(117) }),
  ]);
  assert.equal(connections.length, 1);
  assert.equal(connections[0]!.attempts[1]!.result, 'rejected');
  assert.equal(connections[0]!.outcome, 'lost');
});

test('a silent transport for the whole connect timeout is a timeout', () => {
  const { connections } = reconstruct([ws(0, { status: 101, endedAt: T0 + 10_002 })]);
  assert.equal(connections[0]!.outcome, 'timeout');
});

test('a socket with no end yet is unknown', () => {
  const { connections } = reconstruct([ws(0, { status: 101 })]);
  assert.equal(connections[0]!.outcome, 'unknown');
});

test('two connect() calls at once are two connections', () => {
  const { connections } = reconstruct([ws(0), ws(1)]);
  assert.equal(connections.length, 2);
});

test('a text frame or garbage is a decoding failure, and the client cascades', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 10, body: new TextEncoder().encode('hello'), bodyIsText: true }),
    xhr(11, handshake, { status: 200, endedAt: T0 + 20, body: new Uint8Array([35, 29]) }),
  ]);
  const [a, b] = connections[0]!.attempts;
  assert.match(a!.responseError!.error, /text frame/);
  assert.match(b!.responseError!.error, /truncated/);
  assert.equal(connections[0]!.outcome, 'exhausted');
});

test('unrelated traffic is ignored', () => {
  const { connections, context } = reconstruct([
    ws(0, { url: 'ws://127.0.0.1:8080/chat', status: 101 }),
    xhr(0, { 'content-type': 'application/json' }, { url: 'http://127.0.0.1:8080/api' }),
  ]);
  assert.equal(connections.length, 0);
  assert.equal(context.preflights.length, 0);
});

test('hook and webRequest views of one socket merge into one attempt', () => {
  const { connections } = reconstruct([
    ws(0, { source: 'hook', body: response(), endedAt: undefined }),
    ws(2, { source: 'webRequest', status: 101, endedAt: T0 + 10 }),
  ]);
  assert.equal(connections.length, 1);
  const a = connections[0]!.attempts[0]!;
  assert.deepEqual(a.sources.sort(), ['hook', 'webRequest']);
  assert.equal(a.httpStatus, 101);
  assert.equal(a.result, 'connected');
});

test('polls before and after a 105 reconnect that reuses the token go to their own handshake', () => {
  const { connections } = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response() }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 1000 }),
    xhr(2000, { ...handshake, c: TOKEN, cs: '0', ss: '0' }, { status: 200, endedAt: T0 + 2010, body: response(105) }),
    xhr(2011, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 3000 }),
    xhr(3001, { m: '1', c: TOKEN, s: '1', v: '29' }, { status: 200, endedAt: T0 + 4000 }),
  ]);
  const [first, again] = connections[0]!.attempts;
  assert.equal(first!.polls?.polls, 1);
  assert.equal(again!.polls?.polls, 2);
  assert.equal(first!.closedAt, T0 + 1000, 'the dropped XHR session ended with its last poll');
});

test('session cookies are collected across the handshake and its polls', () => {
  const { connections } = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response(), responseHeaders: { 'set-cookie': 'session=s1; Path=/' } }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29', cookie: 'session=s1' }, { status: 200, endedAt: T0 + 100, responseHeaders: { 'set-cookie': 'session=s2; Path=/', 'diffusion-connection': 'reconnect' } }),
  ]);
  const a = connections[0]!.attempts[0]!;
  assert.deepEqual(a.cookies['session'], ['s1', 's2']);
  assert.equal(a.polls?.reconnectSignals, 1);
});

test('the Cookie a handshake sends belongs to an earlier session, not to this one', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 10, body: response(), requestHeaders: { cookie: 'session=old' }, responseHeaders: { 'set-cookie': 'session=new; Path=/' } }),
  ]);
  assert.deepEqual(connections[0]!.attempts[0]!.cookies['session'], ['new']);
});

test('Set-Cookie on answers to cookieless cross-origin polls is not a change of server', () => {
  const { connections } = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response(), responseHeaders: { 'set-cookie': 'session=s1; Path=/' } }),
    xhr(11, { m: '2', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 20, responseHeaders: { 'set-cookie': 'session=s2; Path=/' } }),
  ]);
  assert.deepEqual(connections[0]!.attempts[0]!.cookies['session'], ['s1']);
});

test('preflights of the XHR transport are kept for the CORS rule', () => {
  const { context } = reconstruct([
    xhr(0, { 'access-control-request-headers': 'ca,m,password,r,sp,ty,username,v', origin: 'http://app.lab.test' }, { method: 'OPTIONS', status: 404, url: 'http://api.lab.test/diffusion' }),
  ]);
  assert.equal(context.preflights.length, 1);
  assert.equal(context.preflights[0]!.status, 404);
  assert.equal(context.preflights[0]!.pageUrl, 'http://app.lab.test');
});

test('the most specific error of a request wins when sources disagree', () => {
  const { connections } = reconstruct([
    ws(0, { source: 'hook', error: 'WebSocket error', closeCode: 1006, endedAt: T0 + 5 }),
    ws(1, { source: 'webRequest', status: 0, error: 'net::ERR_CONNECTION_RESET', endedAt: T0 + 4 }),
  ]);
  assert.equal(connections[0]!.attempts[0]!.error, 'net::ERR_CONNECTION_RESET');
});

test('a poll the client aborted is not a failed poll', () => {
  const { connections } = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response() }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 0, error: 'XMLHttpRequest aborted', endedAt: T0 + 500 }),
    xhr(12, { m: '1', c: TOKEN, s: '1', v: '29' }, { status: 504, endedAt: T0 + 600 }),
  ]);
  assert.deepEqual(connections[0]!.attempts[0]!.polls?.failedStatuses, [504]);
});

test('an accepted upgrade whose frames the capture cannot show (Firefox HAR) is unknown, not failed', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 40, framesUnknown: true }),
    ws(1000, { status: 101, endedAt: T0 + 1040, framesUnknown: true }),
  ]);
  assert.equal(connections.length, 2);
  assert.deepEqual(connections.map((c) => c.outcome), ['unknown', 'unknown']);
  assert.deepEqual(connections.map((c) => c.attempts[0]!.result), ['unknown', 'unknown']);
});

test('a failed upgrade in a capture without frames is still a failure', () => {
  const { connections } = reconstruct([
    ws(0, { status: 200, endedAt: T0 + 5, framesUnknown: true }),
    xhr(6, handshake, { status: 200, endedAt: T0 + 20, body: response() }),
  ]);
  assert.deepEqual(connections[0]!.attempts.map((a) => a.result), ['failed', 'connected']);
});

// ── grouping by the client's own cascade rules and entry order ──────────────────────────────────

test('the XHR step that starts while Chrome still holds the WebSocket entry open joins its cascade', () => {
  // Chrome ends a WebSocket entry only when the socket closed: the client read the bad answer and
  // moved on 57 ms before that.
  const { connections } = reconstruct([
    ws(0, { status: 0, endedAt: T0 + 120, error: 'Error during WebSocket handshake: Unexpected response code: 200' }),
    xhr(63, handshake, { status: 200, endedAt: T0 + 80, body: response() }),
  ]);
  assert.equal(connections.length, 1);
  assert.deepEqual(connections[0]!.attempts.map((a) => `${a.transport} ${a.result}`), ['WEBSOCKET failed', 'XHR connected']);
});

test('the same scenario recorded twice, with the step before or after the WebSocket entry ends, gives the same connections', () => {
  const shape = (xhrAt: number) => reconstruct([
    ws(0, { status: 101, endedAt: T0 + 100, body: response(100, 28) }),
    xhr(xhrAt, handshake, { status: 200, endedAt: T0 + xhrAt + 20, body: response(100, 28) }),
  ]).connections.map((c) => ({ outcome: c.outcome, attempts: c.attempts.map((a) => `${a.transport} ${a.result}`) }));
  assert.deepEqual(shape(43), shape(105));
  assert.deepEqual(shape(43), [{ outcome: 'rejected', attempts: ['WEBSOCKET rejected', 'XHR rejected'] }]);
});

test('a refused socket with no start time (Chrome\'s 1969-12-31) and the XHR step after it are one connection', () => {
  const secureOn80 = 'wss://push.example.com:80/lb/diffusion?ty=WB&v=29&ca=8&r=60000';
  const read = readHarText(JSON.stringify(har([
    wsRefused({ url: secureOn80 }),
    { ...(xhrHandshake({ start: Date.UTC(2025, 0, 15, 9, 0, 0) + 30, status: 0, error: 'net::ERR_SSL_PROTOCOL_ERROR' }) as object), request: { ...((xhrHandshake() as { request: object }).request), url: 'https://push.example.com:80/lb/diffusion' } },
  ])));
  const { connections } = reconstruct(read.observations);
  assert.equal(connections.length, 1, 'the wss: and https: attempts are one cascade');
  assert.deepEqual(connections[0]!.attempts.map((a) => a.transport), ['WEBSOCKET', 'XHR']);
  assert.equal(connections[0]!.outcome, 'exhausted');
});

test('a failed entry with no end is over, not a parallel connect(): the next step joins it', () => {
  const { connections } = reconstruct([
    ws(0, { status: 0, error: 'Error in connection establishment: net::ERR_CONNECTION_RESET' }),
    xhr(0, handshake, { status: 0, endedAt: T0 + 4, error: 'net::ERR_CONNECTION_RESET' }),
  ]);
  assert.equal(connections.length, 1);
});

test('an XHR step after a WebSocket whose frames the capture cannot show (Firefox) joins its cascade; a reconnect joins it too', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 3, framesUnknown: true }),
    xhr(36, handshake, { status: 200, endedAt: T0 + 40, body: response(100, 28) }),
  ]);
  assert.equal(connections.length, 1);
  const reconnected = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 3, framesUnknown: true }),
    ws(1300, { url: `${WS_URL}&c=${encodeURIComponent(TOKEN)}&cs=0&ss=0`, status: 101, endedAt: T0 + 1303, framesUnknown: true }),
  ]).connections;
  assert.equal(reconnected.length, 1);
  assert.equal(reconnected[0]!.attempts[1]!.reconnect, true);
});

test('a second WebSocket to the same endpoint while the first is still open is another connect()', () => {
  const { connections } = reconstruct([
    ws(0, { status: 101, body: response() }),
    ws(40, { status: 101, endedAt: T0 + 60, body: response() }),
  ]);
  assert.equal(connections.length, 2);
});

// ── outcomes ────────────────────────────────────────────────────────────────────────────────

test('the application\'s clean close (1000) is closed, not a drop; another close code without a reconnect is lost', () => {
  const closed = reconstruct([ws(0, { status: 101, endedAt: T0 + 5000, body: response(), closeCode: 1000, closedAt: T0 + 5000 })]).connections[0]!;
  assert.equal(closed.outcome, 'closed');
  const dropped = reconstruct([ws(0, { status: 101, endedAt: T0 + 5000, body: response(), closeCode: 1006, closedAt: T0 + 5000 })]).connections[0]!;
  assert.equal(dropped.outcome, 'lost');
});

test('an XHR session whose last poll the client ended (Firefox: status 0, no error) is closed, with no failed poll', () => {
  const { connections } = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response() }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 200, endedAt: T0 + 1000 }),
    xhr(1001, { m: '1', c: TOKEN, s: '1', v: '29' }, { status: 0, endedAt: T0 + 1500 }),
  ]);
  const c = connections[0]!;
  assert.equal(c.outcome, 'closed');
  assert.deepEqual(c.attempts[0]!.polls?.failedStatuses, []);
});

test('a status-0 poll followed by a reconnect was a drop; a poll answered 504 with nothing after lost the session', () => {
  const dropped = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response() }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 0, endedAt: T0 + 1000 }),
    xhr(1500, { ...handshake, c: TOKEN, cs: '0', ss: '0' }, { status: 200, endedAt: T0 + 1510, body: response(105) }),
  ]).connections[0]!;
  assert.deepEqual(dropped.attempts[0]!.polls?.failedStatuses, [0]);
  assert.equal(dropped.outcome, 'connected');
  const lost = reconstruct([
    xhr(0, handshake, { status: 200, endedAt: T0 + 10, body: response() }),
    xhr(11, { m: '1', c: TOKEN, s: '0', v: '29' }, { status: 504, endedAt: T0 + 60_000 }),
  ]).connections[0]!;
  assert.equal(lost.outcome, 'lost');
});

test('reconnects that all failed after a working session: lost', () => {
  const reconnect = `${WS_URL}&c=${encodeURIComponent(TOKEN)}&cs=0&ss=0`;
  const { connections } = reconstruct([
    ws(0, { status: 101, endedAt: T0 + 1000, body: response() }),
    ws(1200, { url: reconnect, status: 0, endedAt: T0 + 1205, error: 'net::ERR_CONNECTION_REFUSED' }),
    ws(6200, { url: reconnect, status: 0, endedAt: T0 + 6205, error: 'net::ERR_CONNECTION_REFUSED' }),
  ]);
  assert.equal(connections.length, 1);
  assert.equal(connections[0]!.outcome, 'lost');
});

test('a page\'s Diffusion worker script is kept for the rules; an error page\'s start is kept on its attempt', () => {
  const { context, connections } = reconstruct([
    { kind: 'request', source: 'har', transport: 'XHR', url: 'http://127.0.0.1:8080/eu/app/diffusion-worker.js', method: 'GET', startedAt: T0, status: 0 },
    xhr(10, handshake, { status: 405, endedAt: T0 + 12, body: new TextEncoder().encode('<html>\r\n<head><title>405 Not Allowed</title></head>'), responseHeaders: { server: 'nginx/1.22.1' } }),
  ]);
  assert.equal(context.workers?.length, 1);
  assert.match(context.workers![0]!.url, /diffusion-worker\.js$/);
  assert.match(connections[0]!.attempts[0]!.answerText ?? '', /405 Not Allowed/);
});
