// Facts about attempts that several rules need, derived from the model's fields.
import type { Attempt, Connection, Endpoint, Finding, Rule } from '../model.ts';
import { base64ToBytes } from '../diffusion/bytes.ts';

export const DOWNGRADE = 102;
export const UNKNOWN_SESSION = 117;

export function finding(
  rule: Pick<Rule, 'id' | 'severity'>,
  f: { message: string; fix: string; connection: string | null; attempts: readonly Attempt[] | readonly string[]; severity?: Finding['severity'] },
): Finding {
  const attempts = f.attempts.map((a) => (typeof a === 'string' ? a : a.id));
  return { rule: rule.id, severity: f.severity ?? rule.severity, message: f.message, fix: f.fix, connection: f.connection, attempts };
}

/** The attempt closed or errored before the server sent any connection response bytes. */
export function failedWithoutResponse(a: Attempt): boolean {
  return a.result === 'failed' && a.response === null && a.responseError === null;
}

/** The server answered with a failure code. */
export function isRejection(a: Attempt): boolean {
  return a.response !== null && !a.response.success;
}

/** Status 0 / missing: the browser got no HTTP answer it was willing to show. */
export function noHttpStatus(a: Attempt): boolean {
  return a.httpStatus === null || a.httpStatus === 0;
}

export function pageUrlOf(a: Attempt, c: Connection): string | null {
  return a.pageUrl ?? c.pageUrl;
}

export function isSecurePage(pageUrl: string | null): boolean {
  // Asked for every attempt: page URLs are mostly lower case, so the expression is only for the rest.
  if (pageUrl === null || pageUrl.startsWith('http:')) return false;
  return pageUrl.startsWith('https:') || /^https:/i.test(pageUrl);
}

/** A host name as compared: lower case, an IPv6 literal without its brackets. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Browsers treat loopback as potentially trustworthy: no mixed-content block, no traffic on a network. */
export function isLoopback(host: string): boolean {
  // Asked for every attempt by several rules: 100,000 attempts go to a few hosts.
  let loopback = loopbackHosts.get(host);
  if (loopback === undefined) {
    const h = bareHost(host);
    loopback = h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h);
    if (loopbackHosts.size >= 4096) loopbackHosts.clear();
    loopbackHosts.set(host, loopback);
  }
  return loopback;
}

const loopbackHosts = new Map<string, boolean>();

/** Same host, port and path: what "the same endpoint" means across transports and connections. */
export function endpointKey(e: Endpoint): string {
  // Made once per endpoint object: the attempts of one URL share it.
  let key = endpointKeys.get(e);
  if (key === undefined) endpointKeys.set(e, (key = `${e.host.toLowerCase()}:${e.port}${e.path}`));
  return key;
}

const endpointKeys = new WeakMap<Endpoint, string>();

/** The origin the XHR transport requests go to, normalised like a page origin. */
export function xhrOrigin(e: Endpoint): string {
  const scheme = e.secure ? 'https' : 'http';
  const host = e.host.includes(':') && !e.host.startsWith('[') ? `[${e.host}]` : e.host;
  try {
    return new URL(`${scheme}://${host}:${e.port}`).origin;
  } catch {
    return `${scheme}://${host}:${e.port}`;
  }
}

export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The raw `password` value as sent (query for WebSocket, header for XHR). Read only to test emptiness. */
function sentPasswordTunnel(a: Attempt): string | null {
  const header = a.requestHeaders['password'];
  if (header !== undefined) return safeDecode(header);
  const q = a.url.indexOf('?');
  if (q < 0) return null;
  for (const pair of a.url.slice(q + 1).split('#')[0]!.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && safeDecode(pair.slice(0, eq)) === 'password') return safeDecode(pair.slice(eq + 1));
  }
  return null;
}

/** A tunnel whose length varint is 0: 6.12 sends PLAIN "" when only a principal is set, 5.9 sends NONE. */
function isEmptyTunnel(tunnel: string): boolean {
  const bytes = base64ToBytes(tunnel);
  return bytes !== null && bytes.length >= 2 && bytes[1] === 0;
}

/** A non-empty principal or a non-empty password travelled with the handshake. */
export function sentCredentials(a: Attempt): { principal: boolean; password: boolean } {
  const principal = a.params.principal !== null && a.params.principal !== '';
  let password = a.params.hasPassword && a.params.credentialType !== 'NONE';
  if (password) {
    const tunnel = sentPasswordTunnel(a);
    if (tunnel !== null && isEmptyTunnel(tunnel)) password = false;
  }
  return { principal, password };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Group items by a key, keeping first-seen order of keys and items. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  // Items in a row mostly share their key (a retrying client's attempts): the Map is asked only when it changes.
  let lastKey: string | undefined;
  let lastGroup: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (k !== lastKey) {
      lastKey = k;
      const g = groups.get(k);
      if (g) lastGroup = g;
      else groups.set(k, (lastGroup = []));
    }
    lastGroup.push(item);
  }
  return groups;
}

export interface AttemptEntry { attempt: Attempt; connection: Connection }

/**
 * Work several rules share, done once per analysis: kept with the connections array, and done again
 * if its connections or their attempts changed in number (tests build and extend analyses by hand).
 */
const shared = new WeakMap<readonly Connection[], { count: number; values: Map<string, unknown> }>();

export function sharedFact<T>(connections: readonly Connection[], name: string, compute: () => T): T {
  let count = connections.length;
  // An indexed loop: this runs a dozen times per analysis, mostly before V8 optimises it, when a
  // for-of over 10,000 connections takes twice as long (over a millisecond a call).
  for (let i = 0; i < connections.length; i++) count += connections[i]!.attempts.length;
  let memo = shared.get(connections);
  if (!memo || memo.count !== count) shared.set(connections, (memo = { count, values: new Map() }));
  if (!memo.values.has(name)) memo.values.set(name, compute());
  return memo.values.get(name) as T;
}

/** Every attempt with its connection, in connection order then attempt order. Shared: read it, do not change it. */
export function allAttempts(connections: readonly Connection[]): readonly AttemptEntry[] {
  return sharedFact(connections, 'allAttempts', () => {
    // Loops, not flatMap: V8's flatMap is slow on 100,000 elements before it warms up.
    const out: AttemptEntry[] = [];
    for (const connection of connections) for (const attempt of connection.attempts) out.push({ attempt, connection });
    return out;
  });
}

/**
 * The number N of an id `aN` as reconstruct names attempts (a1, a2, …), else -1: such ids index an
 * array, where a Map of 100,000 ids costs more to build and to read than the rules' own work.
 */
function attemptNumber(id: string): number {
  if (id.length < 2 || id.length > 9 || id.charCodeAt(0) !== 97 /* a */ || id.charCodeAt(1) === 48 /* 0 */) return -1;
  let n = 0;
  for (let i = 1; i < id.length; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** Attempts by place: every attempt in connection order then attempt order, and where each id is. */
export interface AttemptPlaces {
  /** Every attempt; its place is its index here. */
  attempts: readonly Attempt[];
  /** The id of the attempt at each place. */
  ids: readonly string[];
  /** No two attempts share an id. */
  unique: boolean;
  /** The connection index of each place. */
  connectionOf: Int32Array;
  /** The place of each connection's first attempt. */
  firstPlace: Int32Array;
  /** The place of the first attempt with this id, or -1. */
  placeOf(id: string): number;
  /** The last attempt with this id. */
  attemptById(id: string): Attempt | undefined;
}

/** runRules and diagnose find attempts by id: worked out once per analysis. Shared: read it, do not change it. */
export function attemptPlaces(connections: readonly Connection[]): AttemptPlaces {
  return sharedFact(connections, 'attemptPlaces', () => {
    // One pass over the attempts: reading 100,000 of them from memory is most of the cost.
    const attempts: Attempt[] = [];
    const ids: string[] = [];
    let count = 0;
    for (const c of connections) count += c.attempts.length;
    const connectionOf = new Int32Array(count);
    const firstPlace = new Int32Array(connections.length);
    connections.forEach((c, ci) => {
      firstPlace[ci] = attempts.length;
      for (const a of c.attempts) {
        connectionOf[attempts.length] = ci;
        attempts.push(a);
        ids.push(a.id);
      }
    });
    // Places by id number (first and last attempt of each), other ids by Map.
    const numbers = ids.map(attemptNumber);
    const limit = 4 * attempts.length + 16;
    const first = new Int32Array(limit).fill(-1);
    const last = new Int32Array(limit).fill(-1);
    const firstByName = new Map<string, number>();
    const lastByName = new Map<string, number>();
    let unique = true;
    numbers.forEach((n, place) => {
      if (n >= 0 && n < limit) {
        if (first[n] === -1) first[n] = place;
        else unique = false;
        last[n] = place;
      } else {
        const id = ids[place]!;
        if (!firstByName.has(id)) firstByName.set(id, place);
        else unique = false;
        lastByName.set(id, place);
      }
    });
    const numbered = (id: string): number => {
      const n = attemptNumber(id);
      return n >= 0 && n < limit ? n : -1;
    };
    return {
      attempts,
      ids,
      unique,
      connectionOf,
      firstPlace,
      placeOf(id) {
        const n = numbered(id);
        return n >= 0 ? first[n]! : (firstByName.get(id) ?? -1);
      },
      attemptById(id) {
        const n = numbered(id);
        const place = n >= 0 ? last[n]! : (lastByName.get(id) ?? -1);
        return place >= 0 ? attempts[place] : undefined;
      },
    };
  });
}

/** Where one finding's attempts are: the earliest (connection index, attempt index), and the connection indexes, ascending. */
export interface FindingHomes {
  first: readonly [number, number] | null;
  connections: readonly number[];
}

/**
 * Where a finding's attempts are (the first connection of each id). Kept
 * per attempt list, so diagnose reads what runRules worked out for the same findings. Shared: read
 * it, do not change it.
 */
export function homesOfFindings(connections: readonly Connection[]): (ids: readonly string[]) => FindingHomes {
  const { placeOf, connectionOf, firstPlace, ids: idAt, unique } = attemptPlaces(connections);
  const known = sharedFact(connections, 'findingHomes', () => new WeakMap<readonly string[], FindingHomes>());
  return (ids) => {
    let homes = known.get(ids);
    if (homes) return homes;
    let earliest = -1;
    const found: number[] = [];
    let ascending = true;
    let previous = -1;
    for (const id of ids) {
      // Findings mostly list attempts in capture order: the place after the last one is tried first.
      const place = unique && idAt[previous + 1] === id ? previous + 1 : placeOf(id);
      if (place < 0) continue;
      previous = place;
      if (earliest < 0 || place < earliest) earliest = place;
      const ci = connectionOf[place]!;
      const last = found[found.length - 1];
      if (last !== ci) {
        if (last !== undefined && ci < last) ascending = false;
        found.push(ci);
      }
    }
    const first = earliest < 0 ? null : [connectionOf[earliest]!, earliest - firstPlace[connectionOf[earliest]!]!] as const;
    homes = { first, connections: ascending ? found : [...new Set(found)].sort((x, y) => x - y) };
    known.set(ids, homes);
    return homes;
  };
}

/** Every attempt by endpoint (endpointKey), in start order (stable). Shared: read it, do not change it. */
export function attemptsByEndpoint(connections: readonly Connection[]): ReadonlyMap<string, readonly AttemptEntry[]> {
  return sharedFact(connections, 'attemptsByEndpoint', () => {
    const groups = groupBy(allAttempts(connections), (e) => endpointKey(e.attempt.endpoint));
    // Mostly already in start order: checking is one read per attempt, a sort a comparator call or more.
    for (const g of groups.values()) if (!inStartOrder(g)) g.sort((x, y) => x.attempt.startedAt - y.attempt.startedAt);
    return groups;
  });
}

function inStartOrder(entries: readonly AttemptEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]!.attempt.startedAt <= entries[i]!.attempt.startedAt)) return false;
  return true;
}

/** The one connection id shared by all entries, or null when they span several. */
export function commonConnection(entries: readonly { connection: Connection }[]): string | null {
  // A loop that stops at the first other connection, not a Set: a retry storm spans 100,000 attempts.
  const first = entries[0]?.connection;
  if (first === undefined) return null;
  for (const e of entries) if (e.connection !== first && e.connection.id !== first.id) return null;
  return first.id;
}

const MIXED_CONTENT_ERROR = /mixed[- ]content|securityerror|insecure/i;

/**
 * An insecure attempt from an https page that the browser blocked: the error says so, or it
 * failed with no status and no response. Loopback hosts are exempt from mixed-content blocking,
 * so for them only an explicit error counts.
 */
export function isMixedContentBlocked(a: Attempt, pageUrl: string | null): boolean {
  if (a.endpoint.secure || !isSecurePage(pageUrl) || a.response !== null) return false;
  if (a.error !== null && MIXED_CONTENT_ERROR.test(a.error)) return true;
  return !isLoopback(a.endpoint.host) && a.result === 'failed' && noHttpStatus(a);
}

/** Statuses a proxy or load balancer gives when it cannot reach (or hear back from) its backend. */
export const PROXY_ERROR_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

const HTML_START = /^\s*<(?:!doctype|html|head|body|\?xml|!--)/i;
const JSON_START = /^\s*[{[]/;

/**
 * What says that the answer came from something that is not a Diffusion server (a web page, a JSON
 * API, a static server refusing POST), in words, or null. A 404 is not such evidence: it says only
 * that nothing is routed there.
 */
export function nonDiffusionAnswer(a: Attempt): string | null {
  const type = (a.responseHeaders['content-type'] ?? '').toLowerCase();
  const text = a.answerText ?? '';
  const s = a.httpStatus;
  const what = a.transport === 'XHR' ? 'the XHR handshake (POST)' : 'the WebSocket upgrade';
  if (a.transport === 'XHR' && s === 405) return `${what} was answered 405 Method Not Allowed, as a static web server answers a POST`;
  if (s === null || s < 200 || s > 299 || a.response !== null) return null;
  if (type.includes('text/html') || HTML_START.test(text)) return `${what} was answered ${s} with a web page (HTML)`;
  if (type.includes('json') || (a.transport === 'XHR' && JSON_START.test(text))) return `${what} was answered ${s} with a JSON document`;
  return null;
}
