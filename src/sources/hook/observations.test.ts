import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PageObservation, RequestObservation } from '../../core/model.ts';
import { decodeConnectionResponse } from '../../core/diffusion/connection-response.ts';
import { bytesToBase64 } from '../../core/diffusion/bytes.ts';
import { HOOK_MESSAGE_TYPE, HOOK_MESSAGE_VERSION, type HookEvent, type HookMessage } from './event.ts';
import { observationsFromHook, WS_ERROR, XHR_ERRORS } from './observations.ts';

const T0 = 1_750_000_000_000;
const PAGE = 'https://app.example/trade/';
const DOC = '6f1c2a9e-1b7d-4c7e-9a51-0d3f7e2b8c41';
const WS_URL = 'wss://push.example/diffusion?ty=WB&v=29&ca=8&r=60000&sp=%7B%7D';

function msg(event: HookEvent, document = DOC): HookMessage {
  return { type: HOOK_MESSAGE_TYPE, version: HOOK_MESSAGE_VERSION, frameUrl: PAGE, document, event };
}

// [35, 29, 100] + session id + 24 token bytes + ping 3600000 + max message size (protocol §6).
function connectionResponse(): Uint8Array {
  const b = new Uint8Array(55);
  b.set([35, 29, 100]);
  for (let n = 0; n < 16; n++) b[3 + n] = n + 1;
  for (let n = 0; n < 24; n++) b[19 + n] = 0x41 + n;
  new DataView(b.buffer).setBigInt64(43, 3600000n);
  new DataView(b.buffer).setInt32(51, 10485760);
  return b;
}

function only<T>(list: unknown[], kind: 'request' | 'page'): T[] {
  return list.filter((o) => (o as { kind: string }).kind === kind) as T[];
}

test('a WebSocket that connects, gets its connection response and closes', () => {
  const body = connectionResponse();
  const { observations, rejected } = observationsFromHook([
    msg({ kind: 'ws-construct', id: 1, at: T0, url: WS_URL }),
    msg({ kind: 'client-version', at: T0, version: '6.12.1' }),
    msg({ kind: 'ws-open', id: 1, at: T0 + 20 }),
    msg({ kind: 'ws-first-message', id: 1, at: T0 + 25, body: bytesToBase64(body), text: false, truncated: false }),
    msg({ kind: 'ws-close', id: 1, at: T0 + 5000, code: 1000, reason: '', clean: true }),
  ]);
  assert.deepEqual(rejected, []);
  const [ws] = only<RequestObservation>(observations, 'request');
  assert.ok(ws);
  assert.deepEqual({ ...ws, body: undefined }, {
    kind: 'request', source: 'hook', sourceId: `${DOC}:1`, transport: 'WEBSOCKET', method: 'GET', url: WS_URL,
    startedAt: T0, endedAt: T0 + 20, status: 101, body: undefined, bodyIsText: false, closeCode: 1000, closedAt: T0 + 5000,
    pageUrl: PAGE, frameId: DOC,
  });
  assert.deepEqual([...ws.body!], [...body]);
  const decoded = decodeConnectionResponse(ws.body!, 29);
  assert.equal(decoded.response?.code, 100);
  assert.equal(decoded.response?.pingPeriodMs, 3600000);
  const [page] = only<PageObservation>(observations, 'page');
  assert.deepEqual(page, { kind: 'page', source: 'hook', url: PAGE, startedAt: T0, clientVersion: '6.12.1' });
});

test('a WebSocket that fails: error, then close 1006, no status', () => {
  const { observations, rejected } = observationsFromHook([
    msg({ kind: 'ws-construct', id: 4, at: T0, url: WS_URL }),
    msg({ kind: 'ws-error', id: 4, at: T0 + 3 }),
    msg({ kind: 'ws-close', id: 4, at: T0 + 4, code: 1006, reason: '', clean: false }),
  ]);
  assert.deepEqual(rejected, []);
  const [ws] = observations as RequestObservation[];
  assert.equal(ws!.status, undefined);
  assert.equal(ws!.error, WS_ERROR);
  assert.equal(ws!.closeCode, 1006);
  assert.equal(ws!.endedAt, T0 + 3);
  assert.equal(ws!.body, undefined);
});

test('a SecurityError thrown by the constructor: error set, no status, nothing after it accepted', () => {
  const error = "SecurityError: Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS.";
  const { observations, rejected } = observationsFromHook([
    msg({ kind: 'ws-throw', id: 2, at: T0, url: 'ws://push.example/diffusion?ty=WB&v=29', error }),
    msg({ kind: 'ws-open', id: 2, at: T0 + 1 }),
  ]);
  const [ws] = observations as RequestObservation[];
  assert.equal(ws!.error, error);
  assert.equal(ws!.status, undefined);
  assert.equal(ws!.endedAt, T0);
  assert.deepEqual(rejected, [{ index: 1, reason: 'ws-open for a socket whose constructor threw' }]);
});

test('an XHR handshake with its headers and raw body bytes, then a poll and a send', () => {
  const body = connectionResponse();
  const headers: [string, string][] = [['m', '0'], ['ty', 'B'], ['ca', '8'], ['r', '60000'], ['v', '29'], ['sp', '%7B%7D']];
  const { observations, rejected } = observationsFromHook([
    msg({ kind: 'xhr-send', id: 7, at: T0, method: 'post', url: '/diffusion', headers }),
    msg({ kind: 'xhr-end', id: 7, at: T0 + 30, outcome: 'load', status: 200, headers: [['content-type', 'text/plain'], ['x-a', '1']], body: bytesToBase64(body), bodyLossy: false, truncated: false }),
    msg({ kind: 'xhr-send', id: 8, at: T0 + 31, method: 'POST', url: 'https://app.example/diffusion', headers: [['m', '1'], ['c', 'ABCDEFGHIJKLMNOPQRSTUVWX'], ['s', '0'], ['v', '29']] }),
    msg({ kind: 'xhr-send', id: 9, at: T0 + 40, method: 'POST', url: 'https://app.example/diffusion', headers: [['m', '2'], ['c', 'ABCDEFGHIJKLMNOPQRSTUVWX'], ['s', '0'], ['v', '29']] }),
    msg({ kind: 'xhr-end', id: 9, at: T0 + 45, outcome: 'load', status: 200, headers: [] }),
    msg({ kind: 'xhr-end', id: 8, at: T0 + 60, outcome: 'load', status: 200, headers: [['diffusion-connection', 'reconnect']] }),
  ]);
  assert.deepEqual(rejected, []);
  const [handshake, poll, send] = observations as RequestObservation[];
  assert.equal(handshake!.transport, 'XHR');
  assert.equal(handshake!.method, 'POST');
  assert.equal(handshake!.url, 'https://app.example/diffusion');
  assert.deepEqual({ ...handshake!.requestHeaders }, { m: '0', ty: 'B', ca: '8', r: '60000', v: '29', sp: '%7B%7D' });
  assert.deepEqual({ ...handshake!.responseHeaders }, { 'content-type': 'text/plain', 'x-a': '1' });
  assert.equal(handshake!.status, 200);
  assert.deepEqual([...handshake!.body!], [...body]);
  assert.equal(handshake!.bodyLossy, undefined);
  assert.equal(poll!.requestHeaders!['m'], '1');
  assert.equal(poll!.responseHeaders!['diffusion-connection'], 'reconnect');
  assert.equal(poll!.body, undefined);
  assert.equal(send!.requestHeaders!['m'], '2');
  assert.equal(send!.endedAt, T0 + 45);
});

test('XHR errors, aborts and timeouts become error strings with status 0', () => {
  const sends = (['error', 'abort', 'timeout'] as const).flatMap((outcome, n) => [
    msg({ kind: 'xhr-send', id: n + 1, at: T0 + n, method: 'POST', url: 'http://x.example/diffusion', headers: [['m', '0']] }),
    msg({ kind: 'xhr-end', id: n + 1, at: T0 + 10 + n, outcome, status: 0, headers: [] }),
  ]);
  const { observations, rejected } = observationsFromHook(sends);
  assert.deepEqual(rejected, []);
  assert.deepEqual((observations as RequestObservation[]).map((o) => [o.status, o.error]), [
    [0, XHR_ERRORS.error], [0, XHR_ERRORS.abort], [0, XHR_ERRORS.timeout],
  ]);
});

test('the same id in two documents is two requests', () => {
  const { observations } = observationsFromHook([
    msg({ kind: 'ws-construct', id: 1, at: T0, url: WS_URL }),
    msg({ kind: 'ws-construct', id: 1, at: T0 + 1, url: WS_URL }, '0b6f6a4e-0000-4000-8000-000000000001'),
  ]);
  assert.equal(observations.length, 2);
});

test('malformed and misfitting messages are rejected with a reason', () => {
  const good = msg({ kind: 'ws-construct', id: 1, at: T0, url: WS_URL });
  const cases: [unknown, RegExp][] = [
    [null, /not a plain object/],
    ['{"type":"dci/hook-event"}', /not a plain object/],
    [{ ...good, type: 'other' }, /message type/],
    [{ ...good, version: 2 }, /version/],
    [{ ...good, extra: 1 }, /unexpected field "extra"/],
    [{ ...good, document: '<img src=x>' }, /document label/],
    [{ ...good, frameUrl: 'x'.repeat(20000) }, /frameUrl is longer/],
    [{ ...good, event: { ...good.event, kind: 'eval' } }, /unknown event kind/],
    [{ ...good, event: { ...good.event, kind: '__proto__' } }, /unknown event kind/],
    [{ ...good, event: { ...good.event, id: 0 } }, /id is not an integer/],
    [{ ...good, event: { ...good.event, id: 1.5 } }, /id is not an integer/],
    [{ ...good, event: { ...good.event, at: 'now' } }, /at is not a plausible/],
    [{ ...good, event: { ...good.event, url: 42 } }, /url is not a string/],
    [{ ...good, event: { ...good.event, url: 'w'.repeat(16385) } }, /url is longer/],
    [{ ...good, event: { ...good.event, script: 'alert(1)' } }, /unexpected field "script"/],
    [msg({ kind: 'ws-first-message', id: 1, at: T0, body: '***', text: false, truncated: false }), /body is not base64/],
    [msg({ kind: 'ws-close', id: 1, at: T0, code: 70000, reason: '', clean: true }), /code is not an integer/],
    [msg({ kind: 'xhr-send', id: 1, at: T0, method: 'PO ST', url: '/d', headers: [] }), /method/],
    [msg({ kind: 'xhr-send', id: 1, at: T0, method: 'POST', url: '/d', headers: [['bad name', 'x']] }), /invalid name/],
    [msg({ kind: 'xhr-send', id: 1, at: T0, method: 'POST', url: '/d', headers: [['m', 'a\r\nb']] }), /invalid value/],
    [msg({ kind: 'xhr-send', id: 1, at: T0, method: 'POST', url: '/d', headers: Array.from({ length: 65 }, () => ['m', '0'] as [string, string]) }), /more than 64/],
    [msg({ kind: 'xhr-end', id: 1, at: T0, outcome: 'exploded' as 'load', status: 200, headers: [] }), /outcome/],
    [msg({ kind: 'xhr-end', id: 1, at: T0, outcome: 'error', status: 0, headers: [], body: 'AAAA', bodyLossy: false, truncated: false }), /body on an XHR that did not load/],
    [msg({ kind: 'client-version', at: T0, version: 'v'.repeat(65) }), /version is longer/],
  ];
  const { observations, rejected } = observationsFromHook(cases.map(([m]) => m));
  assert.equal(observations.length, 0);
  assert.equal(rejected.length, cases.length);
  cases.forEach(([, reason], n) => assert.match(rejected[n]!.reason, reason, `case ${n}`));
});

test('events that do not fit their socket are rejected', () => {
  const { observations, rejected } = observationsFromHook([
    msg({ kind: 'ws-open', id: 3, at: T0 }),
    msg({ kind: 'ws-construct', id: 1, at: T0, url: WS_URL }),
    msg({ kind: 'ws-construct', id: 1, at: T0, url: WS_URL }),
    msg({ kind: 'xhr-end', id: 1, at: T0 + 1, outcome: 'load', status: 200, headers: [] }),
    msg({ kind: 'ws-open', id: 1, at: T0 - 5 }),
    msg({ kind: 'ws-first-message', id: 1, at: T0 + 1, body: 'AQID', text: false, truncated: false }),
    msg({ kind: 'ws-first-message', id: 1, at: T0 + 2, body: 'AQID', text: false, truncated: false }),
  ]);
  assert.equal(observations.length, 1);
  assert.deepEqual(rejected.map((r) => r.index), [0, 2, 3, 4, 6]);
  assert.match(rejected[0]!.reason, /never constructed/);
  assert.match(rejected[1]!.reason, /already used/);
  assert.match(rejected[2]!.reason, /other transport/);
  assert.match(rejected[3]!.reason, /earlier than its request/);
  assert.match(rejected[4]!.reason, /second first message/);
});
