// Recognising Diffusion traffic and reading what a handshake request says (protocol fact sheet §1, §2, §7).
// Recognition goes by the request's own signature — an upper-case client type `ty` with an integer
// protocol version `v`, in the query or in the request headers; XHR headers `m`/`ty: B` — never by
// path, so a request with a wrong path is still recognised and the path can be flagged. Every client
// sends the same parameter names; what differs is where:
// - JavaScript: the query, `?ty=WB&v=29&ca=8&r=60000…` (measured);
// - Java up to 6.1: the query in another order, `?v=13&ty=WJ&ca=10&username=…&password=…&r=60000`
//   (diffusiondata/wireshark-dissector samples/v60ws.pcap, v61ws.pcap);
// - Java 6.2+: request headers `v: 15`, `ty: WJ`, `ca`, `username`, `password`, `r` on a bare
//   `GET /diffusion` (samples/v62constraints.pcap; the dissector's commit 800eba7 "If a web socket
//   connection does not contain Diffusion parameters in the query string check for them in the header
//   fields");
// - Apple: headers `ty: WIOS`, `v`, `ca`, `r`, `username`, `password`, `sp` (the strings of the
//   published framework in pushtechnology/diffusion-swift 6.11); Python: headers with `ty: PY`.
// The one exception to "never by path": an upgrade on …/diffusion that carries no parameters at all,
// which is what a proxy that rewrote the URL (dropping its query) or dropped the headers leaves.
import type { DiffusionRole, Endpoint, HandshakeParams, Headers, RequestObservation } from '../model.ts';
import { credentialType } from './credentials.ts';

export const DIFFUSION_SUFFIX = '/diffusion';

/** The role a request plays in the Diffusion protocol, or null for unrelated traffic. */
export function diffusionRole(req: RequestObservation): DiffusionRole | null {
  if (req.transport === 'WEBSOCKET') {
    const carrier = wsCarrier(req);
    if (carrier !== 'none') return 'ws-handshake';
    return strippedUpgrade(req) ? 'ws-handshake' : null;
  }
  if (req.preflight) return null;
  const h = req.requestHeaders;
  if (!h) return null;
  const m = h['m'];
  if (m === '0') return h['ty'] === 'B' || h['v'] !== undefined ? 'xhr-handshake' : null;
  if (m === '1' || m === '2') {
    if (h['c'] === undefined && h['s'] === undefined) return null;
    return m === '1' ? 'xhr-poll' : 'xhr-send';
  }
  return null;
}

// A client type is a short upper-case code (WB, WJ, WIOS, PY, WN…); the version a whole number.
const CLIENT_TYPE = /^[A-Z]{1,8}$/;
const VERSION = /^\d{1,6}$/;

function signed(ty: string | undefined, v: string | undefined): boolean {
  return ty !== undefined && v !== undefined && CLIENT_TYPE.test(ty.trim()) && VERSION.test(v.trim());
}

/** Where a WebSocket upgrade carries its Diffusion parameters: the query wins, then the request headers. */
export function wsCarrier(req: RequestObservation): 'query' | 'headers' | 'none' {
  if (remembered(signedQueries, req.url, querySigned)) return 'query';
  const h = req.requestHeaders;
  if (h && signed(h['ty'], h['v'])) return 'headers';
  return 'none';
}

function querySigned(url: string): boolean {
  const q = queryParams(url);
  return signed(q.get('ty'), q.get('v'));
}

/** An upgrade on a path ending in /diffusion with no `ty` or `v` anywhere: the parameters were stripped on the way. */
function strippedUpgrade(req: RequestObservation): boolean {
  const path = parseEndpoint(req.url)?.path ?? '';
  if (!path.endsWith(DIFFUSION_SUFFIX)) return false;
  const q = queryParams(req.url);
  const h = req.requestHeaders ?? {};
  return !q.has('ty') && !q.has('v') && h['ty'] === undefined && h['v'] === undefined;
}

/** A CORS preflight asking for the XHR transport's custom headers (`m` with `ty` or `c`). */
export function isDiffusionPreflight(req: RequestObservation): boolean {
  if (!req.preflight && (req.method ?? '').toUpperCase() !== 'OPTIONS') return false;
  const asked = (req.requestHeaders?.['access-control-request-headers'] ?? '').toLowerCase().split(',').map((s) => s.trim());
  return asked.includes('m') && (asked.includes('ty') || asked.includes('c'));
}

/**
 * Query parameters decoded with decodeURIComponent only (not form decoding: `+` stays `+`),
 * first value wins. Never throws.
 */
export function queryParams(url: string): ReadonlyMap<string, string> {
  // Role, parameters and token of one request each read its query, and a retrying client sends the
  // same few URLs thousands of times, interleaved: answers are kept by URL, and shared, so callers
  // only read them.
  return remembered(queries, url, parseQuery);
}

/** Answers kept per URL, forgotten all at once when there are too many (a capture of distinct URLs). */
const MEMO_SIZE = 4096;
const queries = new Map<string, Map<string, string>>();
const endpoints = new Map<string, Endpoint | null>();
const queryCarried = new Map<string, HandshakeParams>();
// Role, parameters and token each ask where an upgrade carries its parameters: the query's answer is kept by URL.
const signedQueries = new Map<string, boolean>();

function remembered<T>(memo: Map<string, T>, url: string, compute: (url: string) => T): T {
  // One lookup when the answer is known (a kept answer is never undefined; null is).
  const known = memo.get(url);
  if (known !== undefined) return known;
  if (memo.size >= MEMO_SIZE) memo.clear();
  const value = compute(url);
  memo.set(url, value);
  return value;
}

function parseQuery(url: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = url.indexOf('?');
  if (q < 0) return out;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const v = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

const DEFAULT_PORTS: Record<string, number> = { 'ws:': 80, 'http:': 80, 'wss:': 443, 'https:': 443 };

/** Host, port (defaults filled), secure, path and load-balancer prefix of a request URL; null if it does not parse. */
export function parseEndpoint(url: string): Endpoint | null {
  // Every poll of a session has the same URL: parse it once. Attempts of one URL share the answer
  // (100,000 retries, one endpoint): it is frozen, so nothing can change it for the others.
  return remembered(endpoints, url, (u) => frozen(parseEndpointOnce(u)));
}

function frozen<T>(value: T): T {
  return value === null ? value : Object.freeze(value);
}

function parseEndpointOnce(url: string): Endpoint | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const defaultPort = DEFAULT_PORTS[u.protocol];
  if (defaultPort === undefined) return null;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const path = u.pathname || '/';
  return {
    host,
    port: u.port ? Number(u.port) : defaultPort,
    secure: u.protocol === 'wss:' || u.protocol === 'https:',
    path,
    prefix: pathPrefix(path),
  };
}

/** The part of the path before the trailing "/diffusion"; the whole path (less a trailing "/") when the suffix is missing. */
export function pathPrefix(path: string): string {
  if (path.endsWith(DIFFUSION_SUFFIX)) return path.slice(0, -DIFFUSION_SUFFIX.length);
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Handshake parameters: from the query of a WebSocket URL, or from the headers of an XHR m=0 request. */
export function handshakeParams(req: RequestObservation): HandshakeParams {
  // Parameters in a signed query depend on the URL alone: read once per URL, shared and frozen.
  if (req.transport === 'WEBSOCKET' && wsCarrier(req) === 'query') return remembered(queryCarried, req.url, () => frozen(readParams(req)));
  return readParams(req);
}

function readParams(req: RequestObservation): HandshakeParams {
  const get = paramReader(req);
  const password = get('password');
  const sp = get('sp');
  const ty = get('ty');
  const carrier = req.transport === 'WEBSOCKET' ? wsCarrier(req) : 'headers';
  return {
    version: toInt(get('v')),
    capabilities: toInt(get('ca')),
    reconnectTimeoutMs: toInt(get('r')),
    hasToken: get('c') !== undefined,
    clientSequence: toInt(get('cs')),
    serverSequence: toInt(get('ss')),
    sessionProperties: sp === undefined ? null : parseProperties(sp),
    principal: get('username') ?? null,
    hasPassword: password !== undefined,
    credentialType: password === undefined ? null : credentialType(password),
    clientType: ty === undefined ? null : ty.trim(),
    carrier,
  };
}

/** The session token a request carries (`c`), decoded to the token's characters. */
export function tokenOf(req: RequestObservation): string | null {
  // Read for every poll and handshake: no reader closure, as paramReader would make.
  if (req.transport === 'WEBSOCKET' && wsCarrier(req) !== 'headers') return queryParams(req.url).get('c') ?? null;
  const c = req.requestHeaders?.['c'];
  return c === undefined ? null : safeDecode(c);
}

// WebSocket parameters are URI-encoded query values, or headers for the native clients that send them
// so; XHR ones are headers, of which 6.12 sends `c`/`password` raw and 5.9 URI-encoded, and
// `sp`/`username` are URI-encoded by both.
function paramReader(req: RequestObservation): (name: string) => string | undefined {
  if (req.transport === 'WEBSOCKET' && wsCarrier(req) !== 'headers') {
    const q = queryParams(req.url);
    return (name) => q.get(name);
  }
  const h: Headers = req.requestHeaders ?? {};
  return (name) => {
    const v = h[name];
    return v === undefined ? undefined : safeDecode(v);
  };
}

// Session properties are a map of strings: other values (nested thousands deep, say) are dropped, so
// nothing downstream walks or prints a structure the page made.
function parseProperties(text: string): Record<string, unknown> | string {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // not JSON: keep the text
  }
  return text;
}

function toInt(s: string | undefined): number | null {
  if (s === undefined || !/^-?\d{1,15}$/.test(s.trim())) return null;
  return Number(s);
}

function safeDecode(s: string): string {
  // Nothing to decode without a '%' (the usual token or header): skip the call, read for every poll.
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
