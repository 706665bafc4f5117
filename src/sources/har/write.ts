// A HAR of only the Diffusion traffic, safe to attach to a ticket: what `dci` needs to rebuild the
// connections, without the secrets. Redacted: secret query values (password, c) in URLs and
// queryString, secret headers (password, c, cookie, set-cookie, authorization…), cookies, request
// bodies, the session token inside connection responses, poll and send bodies (application data),
// every WebSocket message after the first inbound one, and `_initiator` (stack traces, page URLs).
import { REDACTED, isSecretHeader, redactUrl, SECRET_PARAMS } from '../../core/diffusion/redact.ts';
import { base64ToBytes, bytesToBase64 } from '../../core/diffusion/bytes.ts';
import type { HarEntry, HarLog } from './har-types.ts';
import { headerValue } from './map.ts';
import { isDiffusionCandidate } from './prefilter.ts';

export interface HarWriteOptions {
  /** Keep secrets (for a capture that stays local). Message pruning still applies. */
  includeSecrets?: boolean;
  /** The `log.creator` of the written HAR. */
  creator?: { name: string; version: string };
}

// Connection response (protocol fact sheet §3): bytes 19–42 are the session token.
const TOKEN_START = 19;
const TOKEN_END = 43;
const PROTOCOL_BYTE = 35;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function redactHeaderList(headers: unknown): unknown {
  if (!Array.isArray(headers)) return headers;
  return headers.map((h: unknown) => (isObj(h) && typeof h['name'] === 'string' && isSecretHeader(h['name']) ? { ...h, value: REDACTED } : h));
}

function redactQueryString(qs: unknown): unknown {
  if (!Array.isArray(qs)) return qs;
  return qs.map((p: unknown) => (isObj(p) && typeof p['name'] === 'string' && SECRET_PARAMS.includes(p['name'].toLowerCase()) ? { ...p, value: REDACTED } : p));
}

function redactCookies(cookies: unknown): unknown {
  if (!Array.isArray(cookies)) return cookies;
  return cookies.map((c: unknown) => (isObj(c) ? { ...c, value: REDACTED } : c));
}

/** Bytes of a successful connection response with the token overwritten; other bytes unchanged. */
function maskToken(bytes: Uint8Array): Uint8Array {
  if (bytes.length < TOKEN_END || bytes[0] !== PROTOCOL_BYTE) return bytes;
  const out = bytes.slice();
  out.fill(0x78, TOKEN_START, TOKEN_END); // 'x'
  return out;
}

/** The same for a body stored as text (one char per byte). */
function maskTokenText(text: string): string {
  if (text.length < TOKEN_END || text.charCodeAt(0) !== PROTOCOL_BYTE) return text;
  return text.slice(0, TOKEN_START) + 'x'.repeat(TOKEN_END - TOKEN_START) + text.slice(TOKEN_END);
}

/** Keep messages up to and including the first inbound one (the connection response). */
function pruneMessages(messages: unknown, includeSecrets: boolean): unknown {
  if (!Array.isArray(messages)) return messages;
  const out: unknown[] = [];
  for (const m of messages) {
    if (!isObj(m)) continue;
    if (m['type'] === 'receive') {
      if (!includeSecrets && m['opcode'] === 2 && typeof m['data'] === 'string') {
        const bytes = base64ToBytes(m['data']);
        out.push(bytes ? { ...m, data: bytesToBase64(maskToken(bytes)) } : m);
      } else {
        out.push(m);
      }
      break;
    }
    out.push(m);
  }
  return out;
}

/** One Diffusion entry as it goes into an exported HAR. */
export function redactEntry(entry: HarEntry, opts: HarWriteOptions = {}): Obj {
  const secrets = opts.includeSecrets ?? false;
  const e: Obj = { ...(entry as Obj) };
  delete e['_initiator'];
  if ('_webSocketMessages' in e) e['_webSocketMessages'] = pruneMessages(e['_webSocketMessages'], secrets);
  const request = isObj(e['request']) ? { ...e['request'] } : null;
  const response = isObj(e['response']) ? { ...e['response'] } : null;
  const m = headerValue(entry.request?.headers, 'm');
  if (response && m !== undefined && m !== '0' && isObj(response['content'])) {
    // Poll and send bodies are the application's messages, not connection facts.
    const { text: _text, encoding: _encoding, ...rest } = response['content'];
    response['content'] = rest;
  }
  if (!secrets) {
    if (request) {
      if (typeof request['url'] === 'string') request['url'] = redactUrl(request['url']);
      request['headers'] = redactHeaderList(request['headers']);
      request['queryString'] = redactQueryString(request['queryString']);
      request['cookies'] = redactCookies(request['cookies']);
      if (isObj(request['postData'])) request['postData'] = { mimeType: request['postData']['mimeType'], text: REDACTED };
    }
    if (response) {
      response['headers'] = redactHeaderList(response['headers']);
      response['cookies'] = redactCookies(response['cookies']);
      const content = response['content'];
      if (m === '0' && isObj(content) && typeof content['text'] === 'string') {
        if (content['encoding'] === 'base64') {
          const bytes = base64ToBytes(content['text']);
          response['content'] = { ...content, text: bytes ? bytesToBase64(maskToken(bytes)) : REDACTED };
        } else {
          response['content'] = { ...content, text: maskTokenText(content['text']) };
        }
      }
    }
  }
  if (request) e['request'] = request;
  if (response) e['response'] = response;
  return e;
}

/** A HAR object holding only the entries that may be Diffusion traffic, redacted. */
export function diffusionHar(log: HarLog, opts: HarWriteOptions = {}): { log: Obj } {
  const entries = Array.isArray(log.entries) ? log.entries : [];
  const kept = entries.filter((e): e is HarEntry => isObj(e) && isDiffusionCandidate(e as HarEntry)).map((e) => redactEntry(e, opts));
  const out: Obj = { version: '1.2', creator: opts.creator ?? { name: 'dci', version: '0' } };
  if (Array.isArray(log.pages)) {
    out['pages'] = log.pages.map((p: unknown) => (isObj(p) && typeof p['title'] === 'string' && !opts.includeSecrets ? { ...p, title: redactUrl(p['title']) } : p));
  }
  out['entries'] = kept;
  return { log: out };
}

/** The same as JSON text. */
export function writeDiffusionHar(log: HarLog, opts: HarWriteOptions = {}): string {
  return `${JSON.stringify(diffusionHar(log, opts), null, 2)}\n`;
}
