// The page hook's events as the relay forwards them and the background receives them: JSON-safe
// (bytes as base64), one event per message, labelled with the frame. Everything in them came from
// the page, so `validateHookMessage` checks every field again wherever a message is received.

export const HOOK_MESSAGE_TYPE = 'dci/hook-event';
export const HOOK_MESSAGE_VERSION = 1;

/** Longest URL (frame, socket, XHR) accepted, in characters. */
export const MAX_URL_LENGTH = 16384;
/** Most body bytes carried by one event. */
export const MAX_BODY_LENGTH = 65536;
export const MAX_HEADERS = 64;
export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 16384;
export const MAX_TEXT_LENGTH = 1024;

export type XhrOutcome = 'load' | 'error' | 'abort' | 'timeout';

/** `id` names one socket or XHR within its document; `at` is epoch milliseconds (Date.now in the page). */
export type HookEvent =
  | { kind: 'ws-construct'; id: number; at: number; url: string }
  /** The WebSocket constructor threw, e.g. "SecurityError: …" for mixed content; no socket exists. */
  | { kind: 'ws-throw'; id: number; at: number; url: string; error: string }
  | { kind: 'ws-open'; id: number; at: number }
  /** The first inbound message (the connection response). `text`: it was a text frame. */
  | { kind: 'ws-first-message'; id: number; at: number; body: string; text: boolean; truncated: boolean }
  | { kind: 'ws-error'; id: number; at: number }
  | { kind: 'ws-close'; id: number; at: number; code: number; reason: string; clean: boolean }
  /** An XHR that set the `m` header, at send(). Headers in the order set, names as given. */
  | { kind: 'xhr-send'; id: number; at: number; method: string; url: string; headers: [string, string][] }
  /** How it ended. `body` (base64) only for a loaded handshake (m=0); `bodyLossy`: the text was not x-user-defined. */
  | {
      kind: 'xhr-end';
      id: number;
      at: number;
      outcome: XhrOutcome;
      status: number;
      headers: [string, string][];
      body?: string;
      bodyLossy?: boolean;
      truncated?: boolean;
    }
  | { kind: 'client-version'; at: number; version: string };

export type HookEventKind = HookEvent['kind'];

/** What the relay sends to the background, one per event. */
export interface HookMessage {
  type: typeof HOOK_MESSAGE_TYPE;
  version: typeof HOOK_MESSAGE_VERSION;
  /** location.href of the frame, as the relay read it. */
  frameUrl: string;
  /** A random label of the document, so ids of different documents never collide. */
  document: string;
  event: HookEvent;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

type Fields = Record<string, unknown>;

const KINDS: Record<HookEventKind, readonly string[]> = {
  'ws-construct': ['kind', 'id', 'at', 'url'],
  'ws-throw': ['kind', 'id', 'at', 'url', 'error'],
  'ws-open': ['kind', 'id', 'at'],
  'ws-first-message': ['kind', 'id', 'at', 'body', 'text', 'truncated'],
  'ws-error': ['kind', 'id', 'at'],
  'ws-close': ['kind', 'id', 'at', 'code', 'reason', 'clean'],
  'xhr-send': ['kind', 'id', 'at', 'method', 'url', 'headers'],
  'xhr-end': ['kind', 'id', 'at', 'outcome', 'status', 'headers', 'body', 'bodyLossy', 'truncated'],
  'client-version': ['kind', 'at', 'version'],
};
const OUTCOMES: readonly string[] = ['load', 'error', 'abort', 'timeout'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const DOCUMENT_LABEL = /^[0-9a-f-]{8,64}$/;
// 2001-09-09 … 2286-11-20: any Date.now() a real page reports.
const MIN_TIME = 1e12;
const MAX_TIME = 1e13;

class Invalid extends Error {}

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

function text(o: Fields, key: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Invalid(`${key} is not a string`);
  if (v.length > max) throw new Invalid(`${key} is longer than ${max}`);
  return v;
}

function integer(o: Fields, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Invalid(`${key} is not an integer in ${min}..${max}`);
  return v;
}

function time(o: Fields, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < MIN_TIME || v > MAX_TIME) throw new Invalid(`${key} is not a plausible epoch time`);
  return v;
}

function flag(o: Fields, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new Invalid(`${key} is not a boolean`);
  return v;
}

function url(o: Fields, key: string): string {
  const v = text(o, key, MAX_URL_LENGTH);
  if (v.length === 0) throw new Invalid(`${key} is empty`);
  return v;
}

function base64(o: Fields, key: string): string {
  const v = text(o, key, Math.ceil(MAX_BODY_LENGTH / 3) * 4);
  if (v.length % 4 !== 0 || !BASE64.test(v)) throw new Invalid(`${key} is not base64`);
  return v;
}

function headerList(o: Fields, key: string): [string, string][] {
  const v = o[key];
  if (!Array.isArray(v)) throw new Invalid(`${key} is not a list`);
  if (v.length > MAX_HEADERS) throw new Invalid(`${key} has more than ${MAX_HEADERS} entries`);
  return v.map((pair: unknown, n) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new Invalid(`${key}[${n}] is not a [name, value] pair`);
    const [name, value] = pair as unknown[];
    if (typeof name !== 'string' || name.length > MAX_HEADER_NAME_LENGTH || !HEADER_NAME.test(name)) throw new Invalid(`${key}[${n}] has an invalid name`);
    if (typeof value !== 'string' || value.length > MAX_HEADER_VALUE_LENGTH || /[\r\n\0]/.test(value)) throw new Invalid(`${key}[${n}] has an invalid value`);
    return [name, value];
  });
}

function checkEvent(o: unknown): HookEvent {
  if (!isRecord(o)) throw new Invalid('event is not a plain object');
  const kind = o['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(KINDS, kind)) throw new Invalid(`unknown event kind ${JSON.stringify(String(kind).slice(0, 40))}`);
  const allowed = KINDS[kind as HookEventKind];
  for (const key of Object.keys(o)) if (!allowed.includes(key)) throw new Invalid(`${kind} has an unexpected field ${JSON.stringify(key.slice(0, 40))}`);
  const id = (): number => integer(o, 'id', 1, 2 ** 31);
  const at = time(o, 'at');
  switch (kind as HookEventKind) {
    case 'ws-construct':
      return { kind: 'ws-construct', id: id(), at, url: url(o, 'url') };
    case 'ws-throw':
      return { kind: 'ws-throw', id: id(), at, url: url(o, 'url'), error: text(o, 'error', MAX_TEXT_LENGTH) };
    case 'ws-open':
      return { kind: 'ws-open', id: id(), at };
    case 'ws-error':
      return { kind: 'ws-error', id: id(), at };
    case 'ws-first-message':
      return { kind: 'ws-first-message', id: id(), at, body: base64(o, 'body'), text: flag(o, 'text'), truncated: flag(o, 'truncated') };
    case 'ws-close':
      return { kind: 'ws-close', id: id(), at, code: integer(o, 'code', 0, 65535), reason: text(o, 'reason', MAX_TEXT_LENGTH), clean: flag(o, 'clean') };
    case 'xhr-send': {
      const method = text(o, 'method', 32);
      if (!METHOD.test(method)) throw new Invalid('method is not an HTTP method');
      return { kind: 'xhr-send', id: id(), at, method, url: url(o, 'url'), headers: headerList(o, 'headers') };
    }
    case 'xhr-end': {
      const outcome = text(o, 'outcome', 16);
      if (!OUTCOMES.includes(outcome)) throw new Invalid('outcome is not load, error, abort or timeout');
      const event: HookEvent = { kind: 'xhr-end', id: id(), at, outcome: outcome as XhrOutcome, status: integer(o, 'status', 0, 999), headers: headerList(o, 'headers') };
      if (o['body'] !== undefined) {
        if (outcome !== 'load') throw new Invalid('body on an XHR that did not load');
        event.body = base64(o, 'body');
        event.bodyLossy = flag(o, 'bodyLossy');
        event.truncated = flag(o, 'truncated');
      } else if (o['bodyLossy'] !== undefined || o['truncated'] !== undefined) {
        throw new Invalid('bodyLossy or truncated without a body');
      }
      return event;
    }
    case 'client-version':
      return { kind: 'client-version', at, version: text(o, 'version', 64) };
  }
}

/** Checks one event strictly: known kind, no unknown fields, types, ranges and lengths. */
export function validateHookEvent(raw: unknown): Checked<HookEvent> {
  try {
    return { ok: true, value: checkEvent(raw) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Checks a relay message and the event inside it. */
export function validateHookMessage(raw: unknown): Checked<HookMessage> {
  try {
    if (!isRecord(raw)) throw new Invalid('message is not a plain object');
    for (const key of Object.keys(raw)) if (!['type', 'version', 'frameUrl', 'document', 'event'].includes(key)) throw new Invalid(`message has an unexpected field ${JSON.stringify(key.slice(0, 40))}`);
    if (raw['type'] !== HOOK_MESSAGE_TYPE) throw new Invalid('message type is not ' + HOOK_MESSAGE_TYPE);
    if (raw['version'] !== HOOK_MESSAGE_VERSION) throw new Invalid('unsupported message version');
    const frameUrl = url(raw, 'frameUrl');
    const document = text(raw, 'document', 64);
    if (!DOCUMENT_LABEL.test(document)) throw new Invalid('document label is malformed');
    return { ok: true, value: { type: HOOK_MESSAGE_TYPE, version: HOOK_MESSAGE_VERSION, frameUrl, document, event: checkEvent(raw['event']) } };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}
