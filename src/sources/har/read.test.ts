import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation, PageObservation, RequestObservation } from '../../core/model.ts';
import { readHarChunks, readHarLog, readHarText } from './read.ts';
import type { HarReadResult } from './read.ts';
import {
  PAGE, PASSWORD_TUNNEL, T0, TOKEN, XHR_URL, connectionResponse, har, image, page, toBase64, wsAccepted, wsFailed, wsRefused, wsUrl,
  xhrHandshake, xhrPoll, xhrPreflight,
} from './test-fixtures.ts';

function read(h: unknown): HarReadResult {
  return readHarText(JSON.stringify(h));
}

function requests(r: HarReadResult): RequestObservation[] {
  return r.observations.filter((o): o is RequestObservation => o.kind === 'request');
}

function only(r: HarReadResult): RequestObservation {
  const reqs = requests(r);
  assert.equal(reqs.length, 1, `one request, got ${reqs.length}`);
  return reqs[0]!;
}

test('Chrome WebSocket accepted (101): binary first frame is the body, times and page from the HAR', () => {
  const r = read(har([wsAccepted({ start: T0 })]));
  const o = only(r);
  assert.equal(o.transport, 'WEBSOCKET');
  assert.equal(o.source, 'har');
  assert.equal(o.url, wsUrl());
  assert.equal(o.method, 'GET');
  assert.equal(o.status, 101);
  assert.deepEqual(o.body, connectionResponse());
  assert.equal(o.bodyIsText, undefined);
  assert.equal(o.error, undefined);
  assert.equal(o.startedAt, T0);
  assert.equal(o.endedAt, T0 + 6000);
  assert.equal(o.pageUrl, PAGE);
  assert.equal(o.preflight, undefined);
  assert.equal(o.requestHeaders?.['upgrade'], 'websocket');
  assert.equal(o.requestHeaders?.['sec-websocket-version'], '13');
  assert.equal(o.responseHeaders?.['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(o.closeCode, undefined);
  const pages = r.observations.filter((p): p is PageObservation => p.kind === 'page');
  assert.deepEqual(pages, [{ kind: 'page', source: 'har', url: PAGE, startedAt: T0 - 1000 }]);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.entries, 1);
  assert.equal(r.skipped, 0);
});

test('a text first frame is marked bodyIsText', () => {
  const o = only(read(har([wsAccepted({ textFrame: 'hello' })])));
  assert.deepEqual(o.body, new TextEncoder().encode('hello'));
  assert.equal(o.bodyIsText, true);
});

test('Chrome failed upgrade: status 0, one error message, no body', () => {
  const o = only(read(har([wsFailed({ start: T0 })])));
  assert.equal(o.transport, 'WEBSOCKET');
  assert.equal(o.status, 0);
  assert.equal(o.body, undefined);
  assert.equal(o.error, 'WebSocket error');
  assert.equal(o.startedAt, T0);
  assert.ok(Math.abs(o.endedAt! - (T0 + 20.256)) < 0.01);
});

test('Chrome refused socket (1969 placeholder) is placed by file order, never NaN', () => {
  // Chrome sorts by start date, so the refused socket comes first: it takes the next dated entry's time.
  const first = read(har([wsRefused(), xhrHandshake({ start: T0 + 100 })]));
  const [refused, xhr] = requests(first);
  assert.equal(refused!.transport, 'WEBSOCKET');
  assert.equal(refused!.method, undefined);
  assert.equal(refused!.status, 0);
  assert.equal(refused!.error, 'WebSocket error');
  assert.equal(refused!.startedAt, T0 + 100);
  assert.equal(refused!.endedAt, undefined);
  assert.equal(xhr!.startedAt, T0 + 100);
  assert.equal(first.warnings.length, 1);
  assert.match(first.warnings[0]!, /1 request has no recorded start time/);
  // After a dated entry it takes that entry's time.
  const later = requests(read(har([wsFailed({ start: T0 }), wsRefused(), xhrHandshake({ start: T0 + 100 })])));
  assert.equal(later[1]!.startedAt, T0);
  // Alone: 0, not NaN.
  const alone = only(read(har([wsRefused()], { pages: null })));
  assert.equal(alone.startedAt, 0);
});

test('XHR handshake m=0: raw bytes stored as x-user-defined text or as base64 give the same body', () => {
  const asText = only(read(har([xhrHandshake()])));
  const asBase64 = only(read(har([xhrHandshake({ base64: true })])));
  for (const o of [asText, asBase64]) {
    assert.equal(o.transport, 'XHR');
    assert.equal(o.url, XHR_URL);
    assert.equal(o.method, 'POST');
    assert.equal(o.status, 200);
    assert.deepEqual(o.body, connectionResponse());
    assert.equal(o.bodyLossy, undefined);
    assert.equal(o.requestHeaders?.['m'], '0');
    assert.equal(o.requestHeaders?.['ty'], 'B');
    assert.equal(o.pageUrl, PAGE);
  }
});

test('XHR bodies decoded as latin-1 or windows-1252 map back to bytes; U+FFFD marks the body lossy', () => {
  const bytes = connectionResponse();
  const latin1 = String.fromCharCode(...bytes);
  const h = (text: string) => {
    const e = xhrHandshake() as { response: { content: Record<string, unknown> } };
    e.response.content = { size: bytes.length, mimeType: 'text/plain', text };
    return har([e]);
  };
  assert.deepEqual(only(read(h(latin1))).body, bytes);
  const cp1252 = only(read(h('\u20ac\u2122A')));
  assert.deepEqual(cp1252.body, new Uint8Array([0x80, 0x99, 0x41]));
  assert.equal(cp1252.bodyLossy, undefined);
  const lossy = only(read(h('#\u001dd\ufffd')));
  assert.equal(lossy.bodyLossy, true);
  assert.equal(lossy.body?.length, 4);
});

test('XHR long poll m=1 and its failure status', () => {
  const r = read(har([xhrPoll({ s: 3 }), xhrPoll({ s: 4, status: 0, reconnect: true })]));
  const [poll, failed] = requests(r);
  assert.equal(poll!.requestHeaders?.['m'], '1');
  assert.equal(poll!.requestHeaders?.['c'], TOKEN);
  assert.equal(poll!.requestHeaders?.['s'], '3');
  assert.equal(failed!.status, 0);
  assert.equal(failed!.responseHeaders?.['diffusion-connection'], 'reconnect');
});

test('CORS preflight: OPTIONS marked preflight, kept for its access-control-request-headers', () => {
  const o = only(read(har([xhrPreflight()])));
  assert.equal(o.preflight, true);
  assert.equal(o.method, 'OPTIONS');
  assert.equal(o.transport, 'XHR');
  assert.equal(o.requestHeaders?.['access-control-request-headers'], 'ca,m,password,r,sp,ty,username,v');
  assert.equal(o.pageUrl, PAGE); // from the page, not the Origin header
});

test('a failed XHR keeps Chrome\'s net:: error string', () => {
  const o = only(read(har([xhrHandshake({ status: 0, error: 'net::ERR_FAILED' })])));
  assert.equal(o.status, 0);
  assert.equal(o.error, 'net::ERR_FAILED');
  assert.equal(o.body, undefined);
});

test('Firefox shapes: no _resourceType, WebSocket as wss:// with 101 or as https:// with an Upgrade header, sparse fields', () => {
  const ff = (e: Record<string, unknown>) => {
    const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    delete copy['_resourceType'];
    delete copy['_initiator'];
    delete copy['_priority'];
    delete copy['timings'];
    delete copy['pageref'];
    return copy;
  };
  const ws = ff(wsAccepted());
  const upgradeOnly = ff(wsFailed());
  delete upgradeOnly['_webSocketMessages'];
  (upgradeOnly['request'] as { url: string }).url = wsUrl().replace(/^wss:/, 'https:');
  const noTime = ff(xhrHandshake());
  delete noTime['time'];
  const r = read(har([ws, upgradeOnly, noTime], { pages: [page({ title: 'Trading — Example' })] }));
  const [a, b, c] = requests(r);
  assert.equal(a!.transport, 'WEBSOCKET');
  assert.deepEqual(a!.body, connectionResponse());
  assert.equal(a!.pageUrl, 'https://app.example.com'); // no URL-like page title: the Origin header
  assert.equal(b!.transport, 'WEBSOCKET');
  assert.equal(b!.url, wsUrl()); // recorded as https://, asked for as wss://
  assert.equal(b!.error, undefined);
  assert.equal(c!.transport, 'XHR');
  assert.equal(c!.endedAt, undefined);
  assert.equal(c!.pageUrl, PAGE); // Referer
  assert.equal(r.observations.filter((o) => o.kind === 'page').length, 0);
});

test('repeated headers are joined with a newline, names lower-cased', () => {
  const e = xhrHandshake() as { response: { headers: { name: string; value: string }[] } };
  e.response.headers.push({ name: 'Set-Cookie', value: 'a=1' }, { name: 'set-cookie', value: 'b=2' });
  assert.equal(only(read(har([e]))).responseHeaders?.['set-cookie'], 'a=1\nb=2');
});

test('entries that are not entries are skipped and counted, unrelated ones counted, never thrown on', () => {
  const r = read(har([1, null, 'x', [], {}, { request: {} }, { request: { url: 5 } }, image(), wsAccepted()]));
  assert.equal(r.entries, 9);
  assert.equal(r.skipped, 7);
  assert.equal(r.unrelated, 1);
  assert.equal(requests(r).length, 1);
  assert.equal(requests(r)[0]!.sourceId, '8');
  assert.match(r.warnings.join('\n'), /7 of 9 entries skipped/);
});

test('pages after entries still give each request its page; getHAR() logs without pages work', async () => {
  const after = read(har([wsAccepted()], { pagesLast: true }));
  assert.equal(requests(after)[0]!.pageUrl, PAGE);
  const log = har([wsAccepted(), xhrHandshake()], { pages: null })['log'];
  const r = readHarLog(log);
  assert.equal(requests(r).length, 2);
  assert.equal(requests(r)[0]!.source, 'devtools');
  assert.equal(requests(r)[0]!.pageUrl, 'https://app.example.com');
  assert.throws(() => readHarLog({}), /entries/);
});

test('readHarText, readHarChunks (any chunking) and readHarLog agree', async () => {
  const h = har([image(), wsRefused(), wsFailed(), xhrPreflight(), xhrHandshake(), xhrPoll(), image({ n: 2 }), wsAccepted({ start: T0 + 60000 })]);
  const text = JSON.stringify(h, null, 2);
  const bytes = new TextEncoder().encode(text);
  const fromText = readHarText(text);
  const chunks = (size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  for (const size of [1, 7, 64, 1000, bytes.length]) {
    assert.deepEqual(await readHarChunks(chunks(size)), fromText, `chunks of ${size}`);
  }
  const fromLog = readHarLog(h['log'], { source: 'har' });
  assert.deepEqual(fromLog.observations, fromText.observations);
  assert.equal(fromText.unrelated, 2);
  assert.equal(requests(fromText).length, 6);
});

test('the option all maps unrelated entries too', () => {
  const r = readHarText(JSON.stringify(har([image()])), { all: true });
  assert.equal(requests(r).length, 1);
  assert.equal(r.unrelated, 0);
});

test('secrets pass through the reader untouched (redaction is for output)', () => {
  const r = read(har([xhrHandshake({ password: true }), wsAccepted({ url: wsUrl({ password: true }) })]));
  const [x, w] = requests(r);
  assert.equal(x!.requestHeaders?.['password'], PASSWORD_TUNNEL);
  assert.ok(w!.url.includes(encodeURIComponent(PASSWORD_TUNNEL)));
});

test('observations are JSON-safe apart from bodies and carry no NaN', () => {
  const r = read(har([wsRefused(), wsFailed(), wsAccepted(), xhrHandshake(), xhrPoll(), xhrPreflight()]));
  const check = (o: Observation) => {
    for (const [k, v] of Object.entries(o)) if (typeof v === 'number') assert.ok(Number.isFinite(v), `${k} is ${v}`);
  };
  r.observations.forEach(check);
  assert.equal(toBase64(requests(r)[2]!.body!), toBase64(connectionResponse()));
});
