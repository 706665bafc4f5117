// Adapter: the page hook's messages (as the relay forwarded them) → the core's observations.
// One RequestObservation per WebSocket or XHR (source 'hook'), one PageObservation per client
// version seen. Pure: no browser APIs. Messages are untrusted; each is validated, and the ones that
// are malformed or do not fit the socket they name are returned as rejected, with a reason.
import { base64ToBytes } from '../../core/diffusion/bytes.ts';
import type { Headers, Observation, PageObservation, RequestObservation } from '../../core/model.ts';
import { appendHeader, emptyRecord } from '../../core/records.ts';
import { validateHookMessage, type HookEvent, type HookMessage } from './event.ts';

export interface Rejected {
  /** Position in the input. */
  index: number;
  reason: string;
}

export interface HookObservations {
  observations: Observation[];
  rejected: Rejected[];
}

/** The error text of a WebSocket that fired `error` (the page sees no detail). */
export const WS_ERROR = 'WebSocket error';
export const XHR_ERRORS = { error: 'XMLHttpRequest error', abort: 'XMLHttpRequest aborted', timeout: 'XMLHttpRequest timed out' } as const;

// XHR upper-cases these methods, any other is sent as given (XHR spec "normalize a method").
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

class Misfit extends Error {}

function headerRecord(pairs: readonly [string, string][], joiner: string): Headers {
  const out = emptyRecord<string>();
  for (const [name, value] of pairs) appendHeader(out, name.toLowerCase(), value, joiner);
  return out;
}

function resolve(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

function bytes(base64: string): Uint8Array {
  const b = base64ToBytes(base64);
  if (!b) throw new Misfit('body is not base64');
  return b;
}

export function observationsFromHook(messages: readonly unknown[]): HookObservations {
  const requests = new Map<string, RequestObservation>();
  const pages: PageObservation[] = [];
  const rejected: Rejected[] = [];
  const thrown = new Set<string>();

  const apply = (message: HookMessage): void => {
    const e: HookEvent = message.event;
    if (e.kind === 'client-version') {
      pages.push({ kind: 'page', source: 'hook', url: message.frameUrl, startedAt: e.at, clientVersion: e.version });
      return;
    }
    const key = `${message.document}:${e.id}`;
    const existing = requests.get(key);
    const base = { kind: 'request', source: 'hook', sourceId: key, startedAt: e.at, pageUrl: message.frameUrl, frameId: message.document } as const;
    if (e.kind === 'ws-construct' || e.kind === 'ws-throw' || e.kind === 'xhr-send') {
      if (existing) throw new Misfit(`id ${e.id} was already used in this document`);
      if (e.kind === 'xhr-send') {
        const method = NORMALIZED_METHODS.has(e.method.toUpperCase()) ? e.method.toUpperCase() : e.method;
        requests.set(key, { ...base, transport: 'XHR', method, url: resolve(e.url, message.frameUrl), requestHeaders: headerRecord(e.headers, ', ') });
      } else {
        const ws: RequestObservation = { ...base, transport: 'WEBSOCKET', method: 'GET', url: e.url };
        if (e.kind === 'ws-throw') {
          thrown.add(key);
          ws.error = e.error;
          ws.endedAt = e.at;
        }
        requests.set(key, ws);
      }
      return;
    }
    if (!existing) throw new Misfit(`${e.kind} for id ${e.id}, which was never constructed or sent`);
    if (e.at < existing.startedAt) throw new Misfit(`${e.kind} is earlier than its request`);
    const wantWebSocket = e.kind !== 'xhr-end';
    if ((existing.transport === 'WEBSOCKET') !== wantWebSocket) throw new Misfit(`${e.kind} names an id of the other transport`);
    if (thrown.has(key)) throw new Misfit(`${e.kind} for a socket whose constructor threw`);
    switch (e.kind) {
      case 'ws-open':
        existing.status = 101;
        existing.endedAt = e.at;
        break;
      case 'ws-first-message':
        if (existing.body !== undefined) throw new Misfit('a second first message');
        existing.body = bytes(e.body);
        existing.bodyIsText = e.text;
        break;
      case 'ws-error':
        existing.error ??= WS_ERROR;
        existing.endedAt ??= e.at;
        break;
      case 'ws-close':
        if (existing.closeCode !== undefined) throw new Misfit('a second close');
        existing.closeCode = e.code;
        existing.closedAt = e.at;
        existing.endedAt ??= e.at;
        break;
      case 'xhr-end':
        if (existing.endedAt !== undefined) throw new Misfit('a second end');
        existing.endedAt = e.at;
        existing.status = e.status;
        existing.responseHeaders = headerRecord(e.headers, '\n');
        if (e.outcome !== 'load') existing.error = XHR_ERRORS[e.outcome];
        if (e.body !== undefined) {
          existing.body = bytes(e.body);
          if (e.bodyLossy) existing.bodyLossy = true;
        }
        break;
    }
  };

  messages.forEach((raw, index) => {
    const checked = validateHookMessage(raw);
    if (!checked.ok) {
      rejected.push({ index, reason: checked.reason });
      return;
    }
    try {
      apply(checked.value);
    } catch (e) {
      if (!(e instanceof Misfit)) throw e;
      rejected.push({ index, reason: e.message });
    }
  });

  const observations: Observation[] = [...requests.values(), ...pages];
  observations.sort((a, b) => a.startedAt - b.startedAt);
  return { observations, rejected };
}
