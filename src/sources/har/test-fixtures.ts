// HAR entries shaped exactly as Chromium 156 writes them (measured, see docs/design.md), for tests of
// the HAR reader, the report formatters and the CLI. A 6.12 browser client (v=29, ca=8) behind a load
// balancer prefix /lb, page https://app.example.com/trade.
import { encodePlainCredential } from '../../core/diffusion/credentials.ts';

export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
export const PAGE = 'https://app.example.com/trade';
export const HOST = 'push.example.com';
export const PASSWORD = 'hunter2-secret';
/** The credential tunnel of PASSWORD, as the client sends it. */
export const PASSWORD_TUNNEL = encodePlainCredential(PASSWORD);
/** 24 printable token bytes, as the emulator sends them; `c` carries them on polls and reconnects. */
export const TOKEN = 'Tk9tOkEnTokenValue123456';
export const SESSION_BYTES = [0x4f, 0x3c, 0x2a, 0x1b, 0, 0, 0, 1, 0x9e, 0x8d, 0x7c, 0x6b, 0, 0, 0, 2];

type Json = Record<string, unknown>;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function headers(h: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(h).map(([name, value]) => ({ name, value }));
}

export function toBase64(bytes: Uint8Array | number[]): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A connection response: 100 OK with session, token, ping period 3600000 and max message size; or a 3-byte failure. */
export function connectionResponse(code = 100, version = 29): Uint8Array {
  if (code !== 100 && code !== 105 && code !== 106) return new Uint8Array([35, version, code]);
  const out = new Uint8Array(55);
  out.set([35, version, code]);
  out.set(SESSION_BYTES, 3);
  out.set([...TOKEN].map((c) => c.charCodeAt(0)), 19);
  const view = new DataView(out.buffer);
  view.setBigInt64(43, 3600000n);
  view.setInt32(51, 10485760);
  return out;
}

/** The response body as Chrome stores an XHR answer read as text: one char per byte (x-user-defined). */
export function bytesAsUserDefinedText(bytes: Uint8Array): string {
  return [...bytes].map((b) => String.fromCharCode(b < 0x80 ? b : 0xf700 + b)).join('');
}

export function wsUrl(o: { secure?: boolean; path?: string; password?: boolean; token?: boolean } = {}): string {
  let url = `${o.secure === false ? 'ws' : 'wss'}://${HOST}${o.path ?? '/lb/diffusion'}?ty=WB&v=29&ca=8&r=60000`;
  if (o.token) url += `&c=${encodeURIComponent(TOKEN)}&cs=0&ss=3`;
  url += `&sp=${encodeURIComponent(JSON.stringify({ $Environment: 'BROWSER' }))}`;
  if (o.password) url += `&username=admin&password=${encodeURIComponent(PASSWORD_TUNNEL)}`;
  return url;
}

const WS_REQUEST_HEADERS = {
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Cache-Control': 'no-cache',
  Connection: 'Upgrade',
  Host: HOST,
  Origin: 'https://app.example.com',
  Pragma: 'no-cache',
  'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
  Upgrade: 'websocket',
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36',
};

function timings(wait: number): Json {
  return { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait, receive: 0.6, _blocked_queueing: -1 };
}

/** An accepted upgrade (101) whose first inbound message is the binary connection response. */
export function wsAccepted(o: { url?: string; start?: number; frame?: Uint8Array; textFrame?: string } = {}): Json {
  const start = o.start ?? T0;
  const first = o.textFrame !== undefined
    ? { type: 'receive', time: (start + 30) / 1000, opcode: 1, data: o.textFrame }
    : { type: 'receive', time: (start + 30) / 1000, opcode: 2, data: toBase64(o.frame ?? connectionResponse()) };
  return {
    _initiator: { type: 'script' },
    _priority: 'Low',
    _resourceType: 'websocket',
    _webSocketMessages: [
      first,
      { type: 'receive', time: (start + 5030) / 1000, opcode: 2, data: toBase64([0, 0, 0, 1, 0x19]) },
      { type: 'send', time: (start + 5040) / 1000, opcode: 2, data: toBase64([0, 0, 0, 1, 0x1a]) },
    ],
    cache: {},
    connection: '1201',
    pageref: 'page_1',
    request: { method: 'GET', url: o.url ?? wsUrl(), httpVersion: 'HTTP/1.1', headers: headers(WS_REQUEST_HEADERS), queryString: [], cookies: [], headersSize: 512, bodySize: 0 },
    response: {
      status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1',
      headers: headers({ Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Accept': 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' }),
      cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: 129, bodySize: 0, _transferSize: 0, _error: null,
    },
    serverIPAddress: '',
    startedDateTime: iso(start),
    time: 6000,
    timings: timings(22.4),
  };
}

/** A failed upgrade (the server answered 404/403/500/200): Chrome keeps status 0 and one error message. */
export function wsFailed(o: { url?: string; start?: number } = {}): Json {
  const start = o.start ?? T0;
  return {
    _initiator: { type: 'script' },
    _priority: 'Low',
    _resourceType: 'websocket',
    _webSocketMessages: [{ type: 'error', time: (start + 20.2) / 1000, opcode: -1, data: '' }],
    cache: {},
    connection: '',
    pageref: 'page_1',
    request: { method: 'GET', url: o.url ?? wsUrl(), httpVersion: '', headers: headers(WS_REQUEST_HEADERS), queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _transferSize: 0, _error: null },
    serverIPAddress: '',
    startedDateTime: iso(start),
    time: 20.256,
    timings: timings(128.2),
  };
}

/** A refused connection: method "", the 1969 placeholder date, a message time that is not epoch. */
export function wsRefused(o: { url?: string } = {}): Json {
  return {
    _initiator: { type: 'script' },
    _priority: 'Low',
    _resourceType: 'websocket',
    _webSocketMessages: [{ type: 'error', time: 958.074596, opcode: -1, data: '' }],
    cache: {},
    connection: '',
    pageref: 'page_1',
    request: { method: '', url: o.url ?? wsUrl(), httpVersion: '', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1, _transferSize: 0, _error: null },
    serverIPAddress: '',
    startedDateTime: '1969-12-31T23:59:59.000Z',
    time: 959074.857,
    timings: timings(994860.1),
  };
}

function xhr(o: { start: number; method?: string; url: string; requestHeaders: Record<string, string>; status: number; responseHeaders?: Record<string, string>; content: Json; resourceType?: string; error?: string | null; time?: number }): Json {
  return {
    _initiator: { type: 'script', stack: { callFrames: [] } },
    _priority: 'High',
    _resourceType: o.resourceType ?? 'xhr',
    cache: {},
    connection: '1207',
    pageref: 'page_1',
    request: {
      method: o.method ?? 'POST', url: o.url, httpVersion: 'HTTP/1.1',
      headers: headers(o.requestHeaders), queryString: [], cookies: [], headersSize: 400, bodySize: 0,
    },
    response: {
      status: o.status, statusText: o.status === 200 ? 'OK' : '', httpVersion: 'HTTP/1.1',
      headers: headers(o.responseHeaders ?? { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': 'https://app.example.com' }),
      cookies: [], content: o.content, redirectURL: '', headersSize: 200, bodySize: 55, _transferSize: 255, _error: o.error ?? null,
    },
    serverIPAddress: '203.0.113.7',
    startedDateTime: iso(o.start),
    time: o.time ?? 25.3,
    timings: timings(20),
  };
}

export const XHR_URL = `https://${HOST}/lb/diffusion`;

/** XHR m=0 handshake; its body as Chrome stored it: text (x-user-defined chars) or base64. */
export function xhrHandshake(o: { start?: number; body?: Uint8Array; base64?: boolean; password?: boolean; status?: number; error?: string } = {}): Json {
  const body = o.body ?? connectionResponse();
  const h: Record<string, string> = { Accept: '*/*', 'Content-Type': 'text/plain', m: '0', ty: 'B', v: '29', ca: '8', r: '60000', sp: encodeURIComponent('{"$Environment":"BROWSER"}'), Origin: 'https://app.example.com', Referer: PAGE };
  if (o.password) Object.assign(h, { username: 'admin', password: PASSWORD_TUNNEL });
  const content = o.status !== undefined && o.status !== 200
    ? { size: 0, mimeType: 'text/plain' }
    : o.base64 ? { size: body.length, mimeType: 'application/octet-stream', text: toBase64(body), encoding: 'base64' } : { size: body.length, mimeType: 'text/plain', text: bytesAsUserDefinedText(body) };
  return xhr({ start: o.start ?? T0 + 100, url: XHR_URL, requestHeaders: h, status: o.status ?? 200, content, error: o.error ?? null });
}

/** XHR m=1 long poll carrying the session token `c`. */
export function xhrPoll(o: { start?: number; s?: number; status?: number; reconnect?: boolean } = {}): Json {
  const responseHeaders: Record<string, string> = { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': 'https://app.example.com' };
  if (o.reconnect) responseHeaders['diffusion-connection'] = 'reconnect';
  return xhr({
    start: o.start ?? T0 + 200, url: XHR_URL, status: o.status ?? 200, responseHeaders, time: 30000,
    requestHeaders: { m: '1', c: TOKEN, s: String(o.s ?? 0), v: '29', Origin: 'https://app.example.com', Referer: PAGE },
    content: { size: 8, mimeType: 'text/plain', text: 'AAAAAR0=' },
  });
}

/** The CORS preflight of the XHR handshake. */
export function xhrPreflight(o: { start?: number; status?: number; allow?: string } = {}): Json {
  return xhr({
    start: o.start ?? T0 + 90, method: 'OPTIONS', url: XHR_URL, resourceType: 'preflight', status: o.status ?? 204,
    requestHeaders: { Accept: '*/*', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'ca,m,password,r,sp,ty,username,v', Origin: 'https://app.example.com' },
    responseHeaders: { 'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Allow-Headers': o.allow ?? 'ca,m,password,r,sp,ty,username,v,c,s', 'Access-Control-Expose-Headers': 'diffusion-connection' },
    content: { size: 0, mimeType: 'x-unknown' },
  });
}

/** An unrelated entry: an image with a body, the bulk of any real capture. */
export function image(o: { start?: number; n?: number } = {}): Json {
  return xhr({
    start: o.start ?? T0 - 500, method: 'GET', url: `https://cdn.example.com/img/${o.n ?? 1}.png`, resourceType: 'image', status: 200,
    requestHeaders: { Accept: 'image/avif,image/webp,*/*', Referer: PAGE },
    responseHeaders: { 'Content-Type': 'image/png' },
    content: { size: 12, mimeType: 'image/png', text: 'iVBORw0KGgoAAAANSUhEUg==', encoding: 'base64' },
  });
}

export function page(o: { start?: number; title?: string; id?: string } = {}): Json {
  return { startedDateTime: iso(o.start ?? T0 - 1000), id: o.id ?? 'page_1', title: o.title ?? PAGE, pageTimings: { onContentLoad: 120.5, onLoad: 300.1 } };
}

export function har(entries: unknown[], o: { pages?: unknown[] | null; pagesLast?: boolean } = {}): Json {
  const pages = o.pages === undefined ? [page()] : o.pages;
  const log: Json = { version: '1.2', creator: { name: 'WebInspector', version: '537.36' } };
  if (pages !== null && !o.pagesLast) log['pages'] = pages;
  log['entries'] = entries;
  if (pages !== null && o.pagesLast) log['pages'] = pages;
  return { log };
}

/** WebSocket with the password fails (status 0), XHR with the password connects, polls carry the token, then a WebSocket reconnect carries it. */
export function secretsHar(): Json {
  return har([
    image(),
    wsFailed({ url: wsUrl({ password: true }), start: T0 }),
    xhrPreflight({ start: T0 + 90 }),
    xhrHandshake({ start: T0 + 100, password: true }),
    xhrPoll({ start: T0 + 200, s: 0 }),
    xhrPoll({ start: T0 + 30200, s: 1 }),
    wsAccepted({ url: wsUrl({ password: true, token: true }), start: T0 + 90000, frame: connectionResponse(105) }),
  ]);
}
