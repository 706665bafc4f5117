// Observations cross extension messaging and storage.session, which carry JSON only: bodies travel
// as base64. Decoding validates shape, because whatever arrives may have come from a hostile page.
import type { Observation, RequestObservation, SourceName, Transport } from './model.ts';
import { base64ToBytes, bytesToBase64 } from './diffusion/bytes.ts';
import { emptyRecord } from './records.ts';

export type WireObservation = Omit<RequestObservation, 'body'> & { body?: string } | Extract<Observation, { kind: 'page' }>;

const SOURCES: ReadonlySet<string> = new Set<SourceName>(['har', 'hook', 'webRequest', 'devtools', 'cdp']);
const TRANSPORTS: ReadonlySet<string> = new Set<Transport>(['WEBSOCKET', 'XHR']);
/** Longest URL or header value kept; longer ones are cut (a hostile page can send anything). */
export const MAX_TEXT = 8192;
export const MAX_BODY_BYTES = 64 * 1024;
const MAX_HEADERS = 100;

export function toWire(o: Observation): WireObservation {
  if (o.kind === 'page' || o.body === undefined) return o as WireObservation;
  const { body, ...rest } = o;
  return { ...rest, body: bytesToBase64(body) };
}

/** Parse one wire observation; null when it is not one (the caller counts what it skipped). */
export function fromWire(value: unknown): Observation | null {
  if (!isRecord(value)) return null;
  const source = value['source'];
  const url = value['url'];
  const startedAt = value['startedAt'];
  if (typeof source !== 'string' || !SOURCES.has(source) || typeof url !== 'string' || !isTime(startedAt)) return null;
  if (value['kind'] === 'page') {
    const v = value['clientVersion'];
    return { kind: 'page', source: source as SourceName, url: cut(url), startedAt, ...(typeof v === 'string' ? { clientVersion: cut(v, 64) } : {}) };
  }
  if (value['kind'] !== 'request') return null;
  const transport = value['transport'];
  if (typeof transport !== 'string' || !TRANSPORTS.has(transport)) return null;
  const out: RequestObservation = { kind: 'request', source: source as SourceName, transport: transport as Transport, url: cut(url), startedAt };
  for (const k of ['sourceId', 'method', 'error', 'pageUrl', 'frameId'] as const) {
    const v = value[k];
    if (typeof v === 'string') out[k] = cut(v);
  }
  for (const k of ['endedAt', 'closedAt'] as const) if (isTime(value[k])) out[k] = value[k];
  for (const k of ['status', 'closeCode'] as const) {
    const v = value[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10000) out[k] = v;
  }
  for (const k of ['bodyIsText', 'bodyLossy', 'preflight'] as const) if (value[k] === true) out[k] = true;
  for (const k of ['requestHeaders', 'responseHeaders'] as const) {
    const h = headersFrom(value[k]);
    if (h) out[k] = h;
  }
  if (typeof value['body'] === 'string') {
    const bytes = base64ToBytes(value['body'].slice(0, Math.ceil(MAX_BODY_BYTES / 3) * 4));
    if (bytes) out.body = bytes;
  }
  return out;
}

function headersFrom(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out = emptyRecord<string>();
  let n = 0;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' || ++n > MAX_HEADERS) continue;
    out[cut(k, 256).toLowerCase()] = cut(val);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function cut(s: string, max = MAX_TEXT): string {
  return s.length > max ? s.slice(0, max) : s;
}
