// One HAR entry → one RequestObservation; one HAR page → one PageObservation.
// Shapes measured in Chromium 156 (see docs/design.md): a refused WebSocket has method "", status 0,
// startedDateTime "1969-12-31T23:59:59.000Z" and one error message whose `time` is not epoch; a failed
// upgrade has status 0 and one error message; an accepted one has status 101 and its messages.
import type { Headers, PageObservation, RequestObservation, SourceName } from '../../core/model.ts';
import { base64ToBytes } from '../../core/diffusion/bytes.ts';
import type { HarEntry, HarHeader, HarPage, HarWebSocketMessage } from './har-types.ts';
import { emptyRecord, textValue } from '../../core/records.ts';

/** A mapped entry before the reader fills in what needs the whole file (pages, unknown start times). */
export interface MappedEntry {
  observation: RequestObservation;
  pageref: string | null;
  /** False when the HAR gave no usable start time (observation.startedAt is then a placeholder). */
  startKnown: boolean;
  /** Header values that are not text (objects, arrays): skipped, never converted. */
  skippedValues: number;
}

/** Counts header values left out because they are not text. */
export interface ValueCount {
  skipped: number;
}

// A header value from the file: text, a number or boolean written out, a missing one empty. An object
// or array is not converted (its own toString would run, or nest thousands deep): null, and counted.
function headerText(value: unknown, count?: ValueCount): string | null {
  if (value === undefined || value === null) return '';
  const text = textValue(value);
  if (text !== undefined) return text;
  if (count) count.skipped++;
  return null;
}

// Anything before 1971 is a placeholder (Chrome writes 1969-12-31T23:59:59Z for refused sockets).
const EARLIEST_REAL_MS = 366 * 24 * 3600 * 1000;
// WebSocket message times are epoch seconds, except on refused sockets where they count from an
// unknown origin; a value this large is a real date (2001 onwards).
const EARLIEST_REAL_SECONDS = 1e9;

export function headerValue(headers: readonly HarHeader[] | undefined, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  let out: string | undefined;
  for (const h of headers) {
    // Lower-casing never changes the length of a name that becomes ASCII: compare lengths first.
    if (typeof h !== 'object' || h === null || typeof h.name !== 'string' || h.name.length !== name.length || h.name.toLowerCase() !== name) continue;
    const v = headerText(h.value);
    if (v === null) continue;
    out = out === undefined ? v : `${out}\n${v}`;
  }
  return out;
}

/** Lower-cased names; repeated headers joined with "\n"; values that are not text skipped and counted. */
export function headerMap(headers: readonly HarHeader[] | undefined, count?: ValueCount, intern: Intern = same): Headers | undefined {
  if (!Array.isArray(headers)) return undefined;
  const out = emptyRecord<string>();
  for (const h of headers) {
    if (typeof h !== 'object' || h === null || typeof h.name !== 'string') continue;
    const value = headerText(h.value, count);
    if (value === null) continue;
    // As appendHeader; `out` has no prototype, so a plain read sees own values only.
    const name = h.name.toLowerCase();
    const prev = out[name];
    out[name] = prev === undefined ? intern(value) : `${prev}\n${value}`;
  }
  return out;
}

/** Gives back an equal string, the same one for equal texts where it can. */
export type Intern = (text: string) => string;

const same: Intern = (text) => text;

/** Longest text shared; longer ones (bodies, odd cookies) are rarely repeated. */
const INTERN_MAX_CHARS = 1024;
/** Distinct texts kept before the table starts again (a capture of all-different values). */
const INTERN_MAX_SIZE = 100_000;

/**
 * One copy of each URL and header value across a capture's entries. A retrying or polling client
 * repeats them in every entry: kept once, the observations take a fraction of the memory, and later
 * lookups by these strings (redaction, parameters by URL) find them already hashed.
 */
export function interner(): Intern {
  const table = new Map<string, string>();
  return (text) => {
    if (text.length > INTERN_MAX_CHARS) return text;
    const known = table.get(text);
    if (known !== undefined) return known;
    if (table.size >= INTERN_MAX_SIZE) table.clear();
    table.set(text, text);
    return text;
  };
}

export function isWebSocketEntry(entry: HarEntry): boolean {
  const url = entry.request?.url;
  if (typeof url === 'string' && /^wss?:/i.test(url)) return true;
  if (entry._resourceType === 'websocket') return true;
  return /websocket/i.test(headerValue(entry.request?.headers, 'upgrade') ?? '');
}

export function isUrlLike(text: unknown): text is string {
  return typeof text === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S/i.test(text);
}

/** Map one entry, or null when it is not an object with a request URL. */
export function mapEntry(entry: unknown, index: number, source: SourceName, intern: Intern = same): MappedEntry | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const e = entry as HarEntry;
  const request = e.request;
  if (typeof request !== 'object' || request === null || typeof request.url !== 'string' || request.url === '') return null;
  const response = typeof e.response === 'object' && e.response !== null ? e.response : undefined;

  const websocket = isWebSocketEntry(e);
  const messages = websocket ? wsMessages(e._webSocketMessages) : [];
  const obs: RequestObservation = {
    kind: 'request',
    source,
    sourceId: String(index),
    transport: websocket ? 'WEBSOCKET' : 'XHR',
    // Some browsers record the upgrade under its http(s) URL; the client asked for ws(s).
    url: intern(websocket ? request.url.replace(/^http(s?):/i, 'ws$1:') : request.url),
    startedAt: 0,
  };
  const method = typeof request.method === 'string' && request.method !== '' ? request.method : undefined;
  if (method) obs.method = method;
  const count: ValueCount = { skipped: 0 };
  const requestHeaders = headerMap(request.headers, count, intern);
  if (requestHeaders) obs.requestHeaders = requestHeaders;
  const responseHeaders = headerMap(response?.headers, count, intern);
  if (responseHeaders && Object.keys(responseHeaders).length > 0) obs.responseHeaders = responseHeaders;
  const status = response?.status;
  if (typeof status === 'number' && Number.isFinite(status)) obs.status = status;

  const netError = typeof response?._error === 'string' && response._error !== '' ? response._error : undefined;
  const errorFrame = messages.find((m) => m.type === 'error');
  if (netError) obs.error = intern(netError);
  else if (errorFrame && obs.status !== 101) obs.error = typeof errorFrame.data === 'string' && errorFrame.data !== '' ? errorFrame.data : 'WebSocket error';

  if (websocket) {
    if (!Array.isArray(e._webSocketMessages)) obs.framesUnknown = true;
    const close = webSocketClose(e._webSocketClose);
    if (close.code !== undefined) obs.closeCode = close.code;
    if (close.at !== undefined) obs.closedAt = close.at;
    if (close.aborted && !obs.error && (obs.status === undefined || obs.status === 0)) obs.error = 'aborted';
    const first = messages.find((m) => m.type === 'receive');
    if (first) {
      const bytes = wsMessageBytes(first);
      if (bytes) {
        obs.body = bytes.bytes;
        if (bytes.text) obs.bodyIsText = true;
      }
    }
  } else {
    const content = response?.content;
    if (content && typeof content.text === 'string' && (content.text !== '' || content.size === 0)) {
      const decoded = content.encoding === 'base64' ? base64ToBytes(content.text) : null;
      if (decoded) {
        obs.body = decoded;
      } else {
        const { bytes, lossy } = textToBytes(content.text);
        obs.body = bytes;
        if (lossy || content.encoding === 'base64') obs.bodyLossy = true;
      }
    }
  }

  const method0 = (method ?? '').toUpperCase();
  if (method0 === 'OPTIONS' || e._resourceType === 'preflight') obs.preflight = true;
  if (!obs.pageUrl) {
    const referer = requestHeaders?.['referer'];
    const origin = requestHeaders?.['origin'];
    if (isUrlLike(referer)) obs.pageUrl = referer;
    else if (isUrlLike(origin)) obs.pageUrl = origin;
  }

  // Times: startedDateTime, unless it is Chrome's 1969 placeholder (then `time` is meaningless too);
  // else the first message, if it carries a real date.
  const dated = typeof e.startedDateTime === 'string' ? Date.parse(e.startedDateTime) : NaN;
  const dateKnown = Number.isFinite(dated) && dated > EARLIEST_REAL_MS;
  // A long socket can hold many messages: no spread into Math.min/max.
  let firstMessage = Infinity;
  let lastMessage = -Infinity;
  for (const m of messages) {
    if (typeof m.time !== 'number' || !(m.time > EARLIEST_REAL_SECONDS)) continue;
    if (m.time < firstMessage) firstMessage = m.time;
    if (m.time > lastMessage) lastMessage = m.time;
  }
  const hasMessageTime = lastMessage > -Infinity;
  let startKnown = true;
  let end: number | undefined;
  if (dateKnown) {
    obs.startedAt = dated;
    if (typeof e.time === 'number' && Number.isFinite(e.time) && e.time >= 0) end = dated + e.time;
  } else if (hasMessageTime) {
    obs.startedAt = firstMessage * 1000;
  } else {
    startKnown = false;
  }
  if (hasMessageTime) end = Math.max(end ?? 0, lastMessage * 1000);
  if (end !== undefined) obs.endedAt = end;
  const pageref = typeof e.pageref === 'string' ? e.pageref : null;
  return { observation: obs, pageref, startKnown, skippedValues: count.skipped };
}

// HTTP Toolkit's record of how a socket ended: `{ code, reason, timestamp }` (epoch ms or s), or "aborted".
function webSocketClose(value: unknown): { code?: number; at?: number; aborted: boolean } {
  if (value === 'aborted') return { aborted: true };
  if (typeof value !== 'object' || value === null) return { aborted: false };
  const { code, timestamp } = value as { code?: unknown; timestamp?: unknown };
  const out: { code?: number; at?: number; aborted: boolean } = { aborted: false };
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < 5000) out.code = code;
  if (typeof timestamp === 'number' && Number.isFinite(timestamp) && timestamp > EARLIEST_REAL_SECONDS) {
    out.at = timestamp > 1e12 ? timestamp : timestamp * 1000;
  }
  return out;
}

function wsMessages(value: unknown): HarWebSocketMessage[] {
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is HarWebSocketMessage => typeof m === 'object' && m !== null);
}

function wsMessageBytes(m: HarWebSocketMessage): { bytes: Uint8Array; text: boolean } | null {
  const data = typeof m.data === 'string' ? m.data : '';
  if (m.opcode === 2) {
    const bytes = base64ToBytes(data);
    return bytes ? { bytes, text: false } : null;
  }
  return { bytes: new TextEncoder().encode(data), text: true };
}

// windows-1252 decodes 0x80–0x9F to these code points; a browser that decoded the body that way
// still lets us recover the byte.
const CP1252: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/**
 * The response bytes behind a body the browser stored as text. The client reads responses as
 * x-user-defined (0x80–0xFF → U+F780–U+F7FF), so char code & 0xFF recovers them, as it does for
 * latin-1; windows-1252 punctuation maps back through its table. U+FFFD (an undecodable byte) or any
 * other character above 0xFF means the bytes are lost: `lossy`.
 */
export function textToBytes(text: string): { bytes: Uint8Array; lossy: boolean } {
  const bytes = new Uint8Array(text.length);
  let lossy = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0xff || (c >= 0xf780 && c <= 0xf7ff)) {
      bytes[i] = c & 0xff;
    } else {
      const b = CP1252.get(c);
      if (b === undefined) lossy = true;
      bytes[i] = b ?? c & 0xff;
    }
  }
  return { bytes, lossy };
}

/** A PageObservation for a HAR page whose title is its URL (Chrome); Firefox titles are document titles. */
export function mapPage(page: unknown, source: SourceName): { observation: PageObservation | null; id: string | null; startKnown: boolean } {
  if (typeof page !== 'object' || page === null) return { observation: null, id: null, startKnown: false };
  const p = page as HarPage;
  const id = typeof p.id === 'string' ? p.id : null;
  if (!isUrlLike(p.title)) return { observation: null, id, startKnown: false };
  const start = typeof p.startedDateTime === 'string' ? Date.parse(p.startedDateTime) : NaN;
  const startKnown = Number.isFinite(start) && start > EARLIEST_REAL_MS;
  return { observation: { kind: 'page', source, url: p.title, startedAt: startKnown ? start : 0 }, id, startKnown };
}
