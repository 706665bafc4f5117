// From what the page hook posts (src/page/channel.ts, short keys, raw bodies) to a validated
// HookEvent. Runs in the relay, on data that came from the page: nothing is trusted, and anything
// that does not convert cleanly is rejected with a reason.
import { bytesToBase64 } from '../../core/diffusion/bytes.ts';
import { MAX_BODY_LENGTH, validateHookEvent, type Checked, type HookEvent } from './event.ts';

type Fields = Record<string, unknown>;

const KIND_NAMES: Record<string, HookEvent['kind']> = {
  ws: 'ws-construct',
  wt: 'ws-throw',
  wo: 'ws-open',
  wm: 'ws-first-message',
  we: 'ws-error',
  wc: 'ws-close',
  xs: 'xhr-send',
  xe: 'xhr-end',
  cv: 'client-version',
};

const tag = (v: unknown): string => Object.prototype.toString.call(v);

function cut(bytes: Uint8Array): { body: string; truncated: boolean } {
  return { body: bytesToBase64(bytes.subarray(0, MAX_BODY_LENGTH)), truncated: bytes.length > MAX_BODY_LENGTH };
}

/** "name:value\n" lines as the hook records setRequestHeader calls. */
function requestHeaders(text: unknown): [string, string][] | null {
  if (typeof text !== 'string') return null;
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    out.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  return out;
}

/** getAllResponseHeaders(): "name: value\r\n" lines. */
function responseHeaders(text: unknown): [string, string][] | null {
  if (typeof text !== 'string') return null;
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

/**
 * Bytes of an x-user-defined responseText: each char code & 0xFF. Lossy when a character is
 * neither ASCII nor in U+F780–U+F7FF, i.e. the page did not decode as x-user-defined.
 */
function userDefinedBytes(text: string): { bytes: Uint8Array; lossy: boolean } {
  const bytes = new Uint8Array(text.length);
  let lossy = false;
  for (let n = 0; n < text.length; n++) {
    const c = text.charCodeAt(n);
    if (c >= 0x80 && (c < 0xf780 || c > 0xf7ff)) lossy = true;
    bytes[n] = c & 0xff;
  }
  return { bytes, lossy };
}

/**
 * Converts one wire event. `d` of a first message may be a string (text frame), an ArrayBuffer, or
 * a Uint8Array (the relay reads Blob messages into one first).
 */
export function fromWire(raw: unknown): Checked<HookEvent> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'wire event is not an object' };
  const w = raw as Fields;
  const kind = typeof w['k'] === 'string' ? KIND_NAMES[w['k']] : undefined;
  if (kind === undefined || !Object.hasOwn(KIND_NAMES, w['k'] as string)) return { ok: false, reason: 'unknown wire event kind' };
  const base = { kind, id: w['i'], at: w['t'] };
  let event: Fields;
  switch (kind) {
    case 'ws-construct':
      event = { ...base, url: w['u'] };
      break;
    case 'ws-throw':
      event = { ...base, url: w['u'], error: w['e'] };
      break;
    case 'ws-open':
    case 'ws-error':
      event = base;
      break;
    case 'ws-first-message': {
      const d = w['d'];
      let bytes: Uint8Array;
      if (typeof d === 'string') bytes = new TextEncoder().encode(d.slice(0, MAX_BODY_LENGTH + 1));
      // Tag checks, not instanceof: the buffer may come from another realm.
      else if (tag(d) === '[object ArrayBuffer]') bytes = new Uint8Array(d as ArrayBuffer);
      else if (tag(d) === '[object Uint8Array]') bytes = new Uint8Array(d as Uint8Array);
      else return { ok: false, reason: 'first message data is neither text nor bytes' };
      event = { ...base, ...cut(bytes), text: typeof d === 'string' };
      break;
    }
    case 'ws-close':
      event = { ...base, code: w['c'], reason: w['r'], clean: w['w'] };
      break;
    case 'xhr-send': {
      const headers = requestHeaders(w['h']);
      if (!headers) return { ok: false, reason: 'request headers are malformed' };
      event = { ...base, method: w['m'], url: w['u'], headers };
      break;
    }
    case 'xhr-end': {
      const headers = responseHeaders(w['h']);
      if (!headers) return { ok: false, reason: 'response headers are malformed' };
      event = { ...base, outcome: w['o'], status: w['s'], headers };
      if (w['b'] !== undefined) {
        if (typeof w['b'] !== 'string') return { ok: false, reason: 'response body is not text' };
        const { bytes, lossy } = userDefinedBytes(w['b']);
        event = { ...event, ...cut(bytes), bodyLossy: lossy };
      }
      break;
    }
    case 'client-version':
      event = { kind, at: w['t'], version: w['v'] };
      break;
  }
  return validateHookEvent(event);
}
