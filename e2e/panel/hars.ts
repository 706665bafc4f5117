// Hand-written HAR captures in Chrome's shape (entries with _resourceType, _webSocketMessages with
// base64 data for binary opcode 2, status 0 and response._error for failures), for the panel tests.
// The client: Diffusion 6.12 in a browser (v=29, ca=8) behind a load balancer serving /lb/diffusion.

export const PASSWORD = 'hunter2-secret';
/** The credential tunnel: base64([1 PLAIN, varint length, ...utf8]) (protocol fact sheet §1). */
export const TUNNEL = Buffer.from([1, Buffer.byteLength(PASSWORD), ...Buffer.from(PASSWORD)]).toString('base64');
/** As it appears in a WebSocket URL. */
export const TUNNEL_IN_URL = encodeURIComponent(TUNNEL);
/** The session token the server issues (24 printable bytes) and the client sends back as `c`. */
export const TOKEN = 'Tk3nSecretResumeXYZ12345';
/** Every string that must never appear in the DOM or an export. */
export const SECRETS = [PASSWORD, TUNNEL, TUNNEL_IN_URL, TOKEN, encodeURIComponent(TOKEN), 'sessioncookie-s3cr3t'];

export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
export const PAGE = 'https://app.example.com/trade';

type Header = { name: string; value: string };
type Entry = Record<string, unknown>;

/** The connection response bytes (fact sheet §3). */
export function connectionResponse(code: number, o: { version?: number; token?: string } = {}): Buffer {
  const head = [35, o.version ?? 29, code];
  if (![100, 105, 106].includes(code)) return Buffer.from(head);
  const b = Buffer.alloc(55);
  Buffer.from(head).copy(b, 0);
  b.writeBigUInt64BE(0x4f3c2a1b00000001n, 3);
  b.writeBigUInt64BE(0x9e8d7c6b00000002n, 11);
  Buffer.from((o.token ?? TOKEN).padEnd(24, 'x').slice(0, 24), 'latin1').copy(b, 19);
  b.writeBigInt64BE(90000n, 43);
  b.writeInt32BE(code === 105 ? 3 : 10485760, 51);
  return b;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function wsQuery(o: { token?: string; password?: boolean } = {}): string {
  const sp = encodeURIComponent(JSON.stringify({ $Environment: 'BROWSER' }));
  let q = `ty=WB&v=29&ca=8&r=60000`;
  if (o.token) q += `&c=${encodeURIComponent(o.token)}&cs=0&ss=3`;
  q += `&sp=${sp}`;
  if (o.password !== false) q += `&username=alice&password=${TUNNEL_IN_URL}`;
  return q;
}

export interface WsOptions {
  url: string;
  at: number;
  ms?: number;
  status?: number;
  error?: string;
  /** First inbound message: bytes (binary frame) or text (text frame). */
  receive?: Buffer | string;
  extraHeaders?: Header[];
}

export function wsEntry(o: WsOptions): Entry {
  const messages: Record<string, unknown>[] = [];
  if (o.receive !== undefined) {
    messages.push(typeof o.receive === 'string'
      ? { type: 'receive', time: (o.at + 20) / 1000, opcode: 1, data: o.receive }
      : { type: 'receive', time: (o.at + 20) / 1000, opcode: 2, data: o.receive.toString('base64') });
  }
  if (o.error && o.status !== 101) messages.push({ type: 'error', time: (o.at + (o.ms ?? 5)) / 1000, opcode: -1, data: o.error });
  return {
    _resourceType: 'websocket',
    startedDateTime: iso(o.at),
    time: o.ms ?? 5,
    request: {
      method: 'GET', url: o.url, httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Upgrade', value: 'websocket' }, { name: 'Origin', value: 'https://app.example.com' }, ...(o.extraHeaders ?? [])],
      queryString: [], cookies: [], headersSize: -1, bodySize: 0,
    },
    response: {
      status: o.status ?? 0, statusText: o.status === 101 ? 'Switching Protocols' : '', httpVersion: 'HTTP/1.1',
      headers: o.status === 101 ? [{ name: 'Upgrade', value: 'websocket' }, { name: 'Connection', value: 'Upgrade' }] : [],
      cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: -1,
      ...(o.error ? { _error: o.error } : {}),
    },
    cache: {}, timings: { send: 0, wait: o.ms ?? 5, receive: 0 },
    _webSocketMessages: messages,
  };
}

export interface XhrOptions {
  url: string;
  at: number;
  ms?: number;
  m: 0 | 1 | 2;
  token?: string;
  status?: number;
  error?: string;
  body?: Buffer | string;
  responseHeaders?: Header[];
  extraHeaders?: Header[];
  password?: boolean;
}

export function xhrEntry(o: XhrOptions): Entry {
  const headers: Header[] = [{ name: 'm', value: String(o.m) }, { name: 'Origin', value: 'https://app.example.com' }, { name: 'Referer', value: `${PAGE}` }];
  if (o.m === 0) {
    headers.push({ name: 'ty', value: 'B' }, { name: 'v', value: '29' }, { name: 'ca', value: '8' }, { name: 'r', value: '60000' });
    if (o.token) headers.push({ name: 'c', value: o.token }, { name: 'cs', value: '0' }, { name: 'ss', value: '3' });
    if (o.password !== false) headers.push({ name: 'username', value: 'alice' }, { name: 'password', value: TUNNEL });
  } else {
    headers.push({ name: 'c', value: o.token ?? TOKEN }, { name: 's', value: '0' }, { name: 'v', value: '29' });
  }
  headers.push({ name: 'Cookie', value: 'LB_AFFINITY=sessioncookie-s3cr3t' });
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? { text: o.body } : { text: o.body.toString('base64'), encoding: 'base64' };
  return {
    _resourceType: 'xhr',
    startedDateTime: iso(o.at),
    time: o.ms ?? 8,
    request: { method: 'POST', url: o.url, httpVersion: 'HTTP/1.1', headers: [...headers, ...(o.extraHeaders ?? [])], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
    response: {
      status: o.status ?? 200, statusText: o.status === undefined || o.status === 200 ? 'OK' : '', httpVersion: 'HTTP/1.1',
      headers: o.responseHeaders ?? [{ name: 'Content-Type', value: 'text/plain' }],
      cookies: [], content: { size: 0, mimeType: 'text/plain', ...body }, redirectURL: '', headersSize: -1, bodySize: -1,
      ...(o.error ? { _error: o.error } : {}),
    },
    cache: {}, timings: { send: 0, wait: o.ms ?? 8, receive: 0 },
  };
}

export function har(entries: Entry[], pages: { url: string; at: number }[] = [{ url: PAGE, at: T0 - 500 }]): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: pages.map((p, i) => ({ startedDateTime: iso(p.at), id: `page_${i + 1}`, title: p.url, pageTimings: {} })),
      entries: entries.map((e) => ({ pageref: 'page_1', ...e })),
    },
  });
}

const LB = 'push.example.com/lb/diffusion';

/**
 * A realistic capture:
 *  c1: WEBSOCKET failed (status 0, net::ERR_FAILED) → XHR connected (100 OK), polls, then the server
 *      asks to reconnect and the XHR reconnect gets 105;
 *  c2: a second page load whose WebSocket is rejected with 116 AUTHENTICATION_FAILED;
 *  c3: a WebSocket on a path without the load-balancer prefix that fails, then XHR fails too.
 */
export function realisticCapture(): string {
  const t = T0;
  return har([
    wsEntry({ url: `wss://${LB}?${wsQuery()}`, at: t, ms: 30, status: 0, error: 'net::ERR_FAILED' }),
    xhrEntry({ url: `https://${LB}`, at: t + 40, ms: 60, m: 0, body: connectionResponse(100) }),
    xhrEntry({ url: `https://${LB}`, at: t + 120, ms: 25000, m: 1, body: '' }),
    xhrEntry({ url: `https://${LB}`, at: t + 25200, ms: 20, m: 1, body: '', responseHeaders: [{ name: 'diffusion-connection', value: 'reconnect' }] }),
    xhrEntry({ url: `https://${LB}`, at: t + 25300, ms: 40, m: 0, token: TOKEN, body: connectionResponse(105) }),
    wsEntry({ url: `wss://${LB}?${wsQuery()}`, at: t + 60000, ms: 45, status: 101, receive: connectionResponse(116) }),
    wsEntry({ url: `wss://push.example.com/diffusion?${wsQuery({ password: false })}`, at: t + 90000, ms: 12, status: 0, error: 'net::ERR_FAILED' }),
    xhrEntry({ url: 'https://push.example.com/diffusion', at: t + 90020, ms: 15, m: 0, status: 404, password: false, body: 'Not Found' }),
  ], [{ url: PAGE, at: t - 500 }]);
}

/**
 * Markup and script in every place a capture can carry text. (Not as a cookie's value: that is a
 * secret, removed wherever it appears, so the markup would not be shown at all.)
 */
export const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

export function hostileCapture(): string {
  const t = T0;
  const enc = encodeURIComponent(HOSTILE);
  return har([
    wsEntry({
      url: `wss://push.example.com/lb/${HOSTILE}/diffusion?${wsQuery()}&x=${HOSTILE}`,
      at: t, ms: 20, status: 101, receive: HOSTILE,
      extraHeaders: [{ name: HOSTILE, value: HOSTILE }, { name: 'X-Evil', value: `javascript:alert(3)//${HOSTILE}` }],
    }),
    wsEntry({ url: `wss://push.example.com/lb/diffusion?${wsQuery()}&sp=${enc}`, at: t + 100, ms: 20, status: 0, error: `net::ERR_FAILED ${HOSTILE}` }),
    xhrEntry({ url: `javascript:alert(4)//push.example.com/lb/diffusion`, at: t + 200, m: 0, body: HOSTILE }),
    xhrEntry({ url: `https://push.example.com/lb/diffusion`, at: t + 300, m: 0, body: connectionResponse(100), responseHeaders: [{ name: 'X-Evil', value: HOSTILE }, { name: 'Set-Cookie', value: `a=1; Comment=${HOSTILE}` }] }),
  ], [{ url: `${PAGE}?q=${HOSTILE}`, at: t - 100 }]);
}

/**
 * The secrets of `realisticCapture` again where no name gives them away, so only knowing them finds
 * them: the password in the page URL in clear, base64 in a referer and in an error text; the
 * session token twice URL-encoded in a referer and base64 in a `location` header.
 */
export function knowledgeCapture(): string {
  const t = T0;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const page = `${PAGE}?from=${PASSWORD}`;
  return har([
    wsEntry({
      url: `wss://${LB}?${wsQuery()}`, at: t, ms: 30, status: 0, error: `net::ERR_FAILED while sending ${b64(PASSWORD)}`,
      extraHeaders: [{ name: 'Referer', value: `https://app.example.com/login?next=${b64(PASSWORD)}` }],
    }),
    xhrEntry({
      url: `https://${LB}`, at: t + 40, ms: 60, m: 0, body: connectionResponse(100),
      extraHeaders: [{ name: 'X-Resume-From', value: `https://app.example.com/back?r=${encodeURIComponent(encodeURIComponent(TOKEN))}` }],
      responseHeaders: [{ name: 'Location', value: `https://app.example.com/resume/${b64(TOKEN)}` }, { name: 'Content-Type', value: 'text/plain' }],
    }),
    xhrEntry({ url: `https://${LB}`, at: t + 120, ms: 30, m: 1, body: '' }),
  ], [{ url: page, at: t - 500 }]);
}
