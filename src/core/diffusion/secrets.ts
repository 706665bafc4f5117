// Redaction by knowledge. Redacting by name (a `password=` parameter, a Cookie header) misses the same
// value elsewhere: the page URL that carries the password in clear, a referer or location that
// repeats the token, a header value URL-encoded twice, a base64 body. So every secret the analysis
// learns is collected here (the decoded password of the credential tunnel, tokens, cookie and
// authorization values) and removed from any text, in each encoding it can take.
import type { Analysis, Attempt, Headers, RequestObservation } from '../model.ts';
import { base64ToBytes } from './bytes.ts';
import { REDACTED, isSecretHeader, isSecretParam } from './redact.ts';

/**
 * Shorter values cannot be told apart from ordinary text (a cookie "1", a theme "dark"): they are
 * still hidden wherever their name shows them (parameters, headers), not searched for elsewhere.
 */
export const MIN_SECRET_LENGTH = 6;
/** Passwords and authorization credentials are searched for from this length. */
export const MIN_PASSWORD_LENGTH = 4;
// Beyond this many encoded forms one regular expression gets slow to build and run: look them up by prefix instead.
const REGEX_LIMIT = 400;
/** Nor with forms longer than this in all: V8 refuses a regular expression that large (a 100,000-character value). */
const REGEX_CHARS_LIMIT = 20_000;

export class KnownSecrets {
  private readonly values = new Set<string>();
  private matcher: ((text: string) => string) | null = null;
  // What was already read: a session sends the same URL and secret headers with every poll.
  private readonly seenUrls = new Set<string>();
  private readonly seenHeaders = new Map<string, Set<string>>();
  // Header records already read whole: an attempt shares its request's, which the reader has seen.
  private readonly seenRecords = new WeakSet<Headers>();

  /** Remember a secret value (ignored when too short to search for). */
  add(value: string | null | undefined, min = MIN_SECRET_LENGTH): void {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (v.length < min || v === REDACTED || this.values.has(v)) return;
    this.values.add(v);
    this.matcher = null;
    // The same value as it was before one round of URL encoding, when it was encoded.
    const decoded = safeDecode(v);
    if (decoded !== v && decoded.length >= min) this.values.add(decoded);
  }

  /** Everything secret one request carries: credential parameters, the password tunnel, secret headers. */
  addRequest(r: Pick<RequestObservation, 'url' | 'requestHeaders' | 'responseHeaders'>): void {
    if (!this.seenUrls.has(r.url)) {
      this.seenUrls.add(r.url);
      for (const [name, value] of queryPairs(r.url)) if (isSecretParam(name)) this.addParam(name, value);
    }
    this.addHeaders(r.requestHeaders);
    this.addHeaders(r.responseHeaders);
  }

  addAttempt(a: Attempt): void {
    this.addRequest(a);
    this.add(a.response?.token);
    for (const values of Object.values(a.cookies)) for (const v of values) this.add(v);
  }

  get size(): number {
    return this.values.size;
  }

  /** The text with every known secret, in any of its encodings, replaced by [redacted]. */
  redact(text: string): string {
    if (this.values.size === 0 || text.length < MIN_PASSWORD_LENGTH) return text;
    this.matcher ??= buildMatcher(this.forms());
    return this.matcher(text);
  }

  /** Bytes with every known secret (as UTF-8 or in one of its text encodings) overwritten by '*', same length. */
  maskBytes(bytes: Uint8Array): Uint8Array {
    if (this.values.size === 0) return bytes;
    let latin1 = '';
    for (let i = 0; i < bytes.length; i += 0x8000) latin1 += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    const masked = buildMatcher([...this.forms()].map(utf8AsLatin1), (m) => '*'.repeat(m.length))(latin1);
    if (masked === latin1) return bytes;
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < out.length; i++) out[i] = masked.charCodeAt(i);
    return out;
  }

  private forms(): Set<string> {
    const forms = new Set<string>();
    for (const v of this.values) for (const f of encodings(v)) if (f.length >= MIN_PASSWORD_LENGTH) forms.add(f);
    return forms;
  }

  private addParam(name: string, value: string): void {
    const decoded = safeDecode(value);
    this.add(value, MIN_PASSWORD_LENGTH);
    if (name.toLowerCase() === 'password') this.add(tunnelPassword(decoded), MIN_PASSWORD_LENGTH);
  }

  private addHeaders(headers: Headers | undefined): void {
    if (!headers || this.seenRecords.has(headers)) return;
    this.seenRecords.add(headers);
    for (const name in headers) {
      if (!Object.hasOwn(headers, name) || !isSecretHeader(name)) continue;
      const value = headers[name]!;
      // By name, then value: no key joined for every poll (the values are shared strings, already hashed).
      const lower = name.toLowerCase();
      let seen = this.seenHeaders.get(lower);
      if (!seen) this.seenHeaders.set(lower, (seen = new Set()));
      if (seen.has(value)) continue;
      seen.add(value);
      for (const line of value.split('\n')) {
        this.add(line, MIN_PASSWORD_LENGTH);
        switch (name.toLowerCase()) {
          case 'password':
            this.add(tunnelPassword(safeDecode(line)), MIN_PASSWORD_LENGTH);
            break;
          case 'cookie':
            for (const part of line.split(';')) this.add(cookieValue(part));
            break;
          case 'set-cookie':
            this.add(cookieValue(line.split(';')[0] ?? ''));
            break;
          case 'authorization':
          case 'proxy-authorization':
            this.addAuthorization(line);
            break;
        }
      }
    }
  }

  // "Basic base64(user:password)", "Bearer token", …: the credential, and a Basic password in clear.
  private addAuthorization(value: string): void {
    const space = value.indexOf(' ');
    const credential = space < 0 ? value : value.slice(space + 1).trim();
    this.add(credential, MIN_PASSWORD_LENGTH);
    if (/^basic$/i.test(value.slice(0, space))) {
      const bytes = base64ToBytes(credential);
      if (!bytes) return;
      const clear = new TextDecoder().decode(bytes);
      this.add(clear, MIN_PASSWORD_LENGTH);
      const colon = clear.indexOf(':');
      if (colon >= 0) this.add(clear.slice(colon + 1), MIN_PASSWORD_LENGTH);
    }
  }
}

/** Every secret the analysis has seen, from its attempts and preflights. */
export function secretsOfAnalysis(analysis: Pick<Analysis, 'connections'>): KnownSecrets {
  const secrets = new KnownSecrets();
  for (const c of analysis.connections) for (const a of c.attempts) secrets.addAttempt(a);
  return secrets;
}

/** Every secret the requests carry (for an export of the observations themselves). */
export function secretsOfRequests(requests: Iterable<Pick<RequestObservation, 'url' | 'requestHeaders' | 'responseHeaders'>>, into = new KnownSecrets()): KnownSecrets {
  for (const r of requests) into.addRequest(r);
  return into;
}

/** The cleartext password inside a credential tunnel: base64 of [type][varint length][UTF-8 bytes]. */
export function tunnelPassword(tunnel: string): string | null {
  const bytes = base64ToBytes(tunnel);
  if (!bytes || bytes.length < 2 || bytes[0] === 0) return null;
  let length = 0;
  let shift = 0;
  let i = 1;
  for (; i < bytes.length && i < 6; i++) {
    length |= (bytes[i]! & 0x7f) << shift;
    shift += 7;
    if ((bytes[i]! & 0x80) === 0) break;
  }
  const start = i + 1;
  if (length <= 0 || start + length > bytes.length) return null;
  return new TextDecoder().decode(bytes.subarray(start, start + length));
}

function cookieValue(pair: string): string | null {
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const v = pair.slice(eq + 1).trim();
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
}

function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const out: [string, string][] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out.push([safeDecode(pair.slice(0, eq)), pair.slice(eq + 1)]);
  }
  return out;
}

/** The forms a value takes in captures: as is, URL-encoded once or twice (either hex case, `+` for space), base64 with or without padding, base64url. */
export function encodings(value: string): string[] {
  // encodeURIComponent throws on a lone surrogate; a browser writes one into a URL as U+FFFD's bytes.
  const once = encodeURIComponent(wellFormed(value));
  const twice = encodeURIComponent(once);
  const b64 = utf8Base64(value);
  const forms = [value, once, twice, once.replace(/%20/g, '+'), lowerHex(once), lowerHex(twice), b64, b64.replace(/=+$/, ''), b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')];
  return [...new Set(forms)];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with each lone surrogate replaced by U+FFFD (String#toWellFormed, before ES2024). */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

function lowerHex(s: string): string {
  return s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

function utf8Base64(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function utf8AsLatin1(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// One matcher for all forms of all values, longest first so a value inside a longer one goes with it.
function buildMatcher(forms: Iterable<string>, replace: (match: string) => string = () => REDACTED): (text: string) => string {
  const sorted = [...new Set(forms)].sort((a, b) => b.length - a.length);
  let chars = 0;
  for (const f of sorted) chars += f.length;
  if (sorted.length <= REGEX_LIMIT && chars <= REGEX_CHARS_LIMIT) {
    const re = new RegExp(sorted.map(escapeRegex).join('|'), 'g');
    return (text) => text.replace(re, replace);
  }
  // Many values (a capture full of distinct cookies), or very long ones: look up each position's prefix in a table.
  const key = MIN_PASSWORD_LENGTH;
  const byPrefix = new Map<string, string[]>();
  for (const f of sorted) {
    const k = f.slice(0, key);
    const list = byPrefix.get(k);
    if (list) list.push(f);
    else byPrefix.set(k, [f]);
  }
  return (text) => {
    let out = '';
    let from = 0;
    for (let i = 0; i + key <= text.length;) {
      const list = byPrefix.get(text.slice(i, i + key));
      const hit = list?.find((f) => text.startsWith(f, i));
      if (hit) {
        out += text.slice(from, i) + replace(hit);
        i += hit.length;
        from = i;
      } else {
        i++;
      }
    }
    return from === 0 ? text : out + text.slice(from);
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
