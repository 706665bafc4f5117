// Which HAR entries can possibly be Diffusion traffic. Most entries of a real capture (images,
// scripts, styles) cannot, and mapping only the rest keeps reading a HAR close to the cost of
// JSON.parse. This only drops what cannot be Diffusion; deciding what is Diffusion is the core's job.
//
// An entry is kept when ANY of these holds (`isDiffusionCandidate`):
//   1. it is a WebSocket: URL scheme ws: or wss:, or `_resourceType` "websocket", or a request header
//      `upgrade` whose value contains "websocket" (any case);
//   2. its request has a header named `m` or `ty` (any case): the XHR transport's handshake, polls, sends;
//   3. it is an OPTIONS request (or `_resourceType` "preflight") whose access-control-request-headers
//      lists `m`: the CORS preflight of the XHR transport;
//   4. its URL path contains "diffusion" (any case), so traffic on a wrong path is still seen.
//
// `mayBeDiffusion` runs on the raw text of an entry before JSON.parse. It must be true for every
// entry `isDiffusionCandidate` keeps, so it looks for a marker of each rule above, any case:
//   `websocket` (rule 1: _resourceType, upgrade header), `"ws:` / `"wss:` (rule 1: the URL string starts
//   with the scheme), `"m"` and `"ty"` (rule 2: a header name as a whole JSON string), `options` and
//   `preflight` (rule 3), `diffusion` (rule 4).
// Blind spot: a writer that spells these ASCII letters as \u escapes. Browsers never do.
import type { HarEntry } from './har-types.ts';
import { headerValue, isWebSocketEntry } from './map.ts';

const MARKERS = /websocket|"wss?:|"(?:m|ty)"|options|preflight|diffusion/i;

/** Cheap test on an entry's raw JSON text: false means the entry cannot be Diffusion traffic. */
export function mayBeDiffusion(rawEntry: string): boolean {
  return MARKERS.test(rawEntry);
}

/** The exact predicate, on a parsed entry (see the list at the top of this file). */
export function isDiffusionCandidate(entry: HarEntry): boolean {
  const request = entry.request;
  if (!request || typeof request.url !== 'string') return false;
  if (isWebSocketEntry(entry)) return true;
  const headers = Array.isArray(request.headers) ? request.headers : [];
  for (const h of headers) {
    // Only names of one or two characters can lower-case to these (lengths first: every entry's headers).
    const name = typeof h?.name === 'string' && h.name.length <= 2 ? h.name.toLowerCase() : '';
    if (name === 'm' || name === 'ty') return true;
  }
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : '';
  if (method === 'OPTIONS' || entry._resourceType === 'preflight') {
    const asked = (headerValue(headers, 'access-control-request-headers') ?? '').toLowerCase();
    if (asked.split(',').some((s) => s.trim() === 'm')) return true;
  }
  return /diffusion/i.test(urlPath(request.url));
}

/** The path of a URL, by text (a URL that does not parse still has one). */
function urlPath(url: string): string {
  const scheme = url.indexOf('://');
  const afterHost = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
  if (afterHost < 0) return '';
  let end = url.length;
  const q = url.indexOf('?', afterHost);
  if (q >= 0) end = q;
  const h = url.indexOf('#', afterHost);
  if (h >= 0 && h < end) end = h;
  return url.slice(afterHost, end);
}
