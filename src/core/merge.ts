// Several sources can see the same request (the page hook sees the URL and the first frame, webRequest
// the HTTP status, a HAR everything it kept). Merge them into one observation per request, each
// field taken from the source that sees it best.
import type { Headers, RequestObservation, SourceName } from './model.ts';
import { emptyRecord } from './records.ts';

/** Observations of one URL by different sources this close together are the same request. */
const SAME_REQUEST_WINDOW_MS = 1500;
/**
 * An observation dated by when its source reported the request's end (`datedAtEnd`) may come this
 * long after the request started: DevTools reports a refused socket seconds late on a busy machine.
 */
const LATE_REPORT_WINDOW_MS = 10_000;

export interface MergedRequest extends RequestObservation {
  sources: SourceName[];
}

// Who sees each field best, first wins.
const STATUS_ORDER: readonly SourceName[] = ['webRequest', 'cdp', 'har', 'devtools', 'hook'];
const BODY_ORDER: readonly SourceName[] = ['hook', 'cdp', 'har', 'devtools', 'webRequest'];
const ERROR_ORDER: readonly SourceName[] = ['hook', 'webRequest', 'cdp', 'har', 'devtools'];
// The network's own words come first for errors: the hook only sees an error event ("WebSocket error"),
// webRequest and HAR name the cause (net::ERR_CONNECTION_RESET, "Unexpected response code: 200").
const NETWORK_ERROR_ORDER: readonly SourceName[] = ['har', 'devtools', 'cdp', 'webRequest', 'hook'];
/** Errors that say only that something failed; any other error of the same request says more. */
const GENERIC_ERROR = /^(net::ERR_FAILED|WebSocket error|XMLHttpRequest error)$/;

/** The groups of one URL, oldest first, and for each source the first group that may still take it. */
interface KeyGroups {
  groups: RequestObservation[][];
  next: Map<string, number>;
}

/**
 * One group per request: an observation joins, among the groups of its URL that started within the
 * window and have no observation of its source yet, the one whose start is closest to its own (two
 * sources date one request within milliseconds; the oldest in the window could be an earlier retry).
 * Observations dated by their end (`datedAtEnd`) come last and join the oldest such group that
 * started before them. Linear: observations come in start order, so a group that left the window is
 * passed for good (one pointer per source and URL), and at most SCAN_LIMIT groups are compared.
 */
export function mergeRequests(requests: readonly RequestObservation[]): MergedRequest[] {
  return mergeGroups(requests).map(combine);
}

/** How many candidate groups one observation compares at most. */
const SCAN_LIMIT = 64;

/** The observations of each request, in the order mergeRequests gives them; `combine` makes one of them. */
export function mergeGroups(requests: readonly RequestObservation[]): RequestObservation[][] {
  // By URL, then by transport, then by method: no key string joined for every request.
  const byUrl = new Map<string, Map<string, Map<string, KeyGroups>>>();
  const order = inMergeOrder(requests) ? requests : [...requests].sort(mergeOrder);
  // Observations join only groups that lack their source: from one source (a HAR file alone), each
  // is a request of its own.
  if (oneSource(order)) return order.map((r) => [r]);
  const groups: RequestObservation[][] = [];
  for (const r of order) {
    const k = keyGroupsOf(byUrl, r);
    const late = r.datedAtEnd === true;
    const pointer = late ? `${r.source} late` : r.source;
    const window = late ? LATE_REPORT_WINDOW_MS : SAME_REQUEST_WINDOW_MS;
    let i = k.next.get(pointer) ?? 0;
    while (i < k.groups.length && (r.startedAt - k.groups[i]![0]!.startedAt > window || hasSource(k.groups[i]!, r.source))) i++;
    k.next.set(pointer, i);
    let home = k.groups[i];
    if (home && late && home[0]!.startedAt > r.startedAt) home = undefined;
    if (home && !late) {
      let best = Math.abs(r.startedAt - home[0]!.startedAt);
      for (let j = i + 1; j < k.groups.length && j <= i + SCAN_LIMIT; j++) {
        const g = k.groups[j]!;
        const d = Math.abs(r.startedAt - g[0]!.startedAt);
        if (d < best && !hasSource(g, r.source)) { home = g; best = d; }
      }
    }
    if (home) {
      home.push(r);
    } else {
      const g = [r];
      k.groups.push(g);
      groups.push(g);
    }
  }
  return groups;
}

/** Observations dated by their start first, then those dated by their end; each in time order. */
function mergeOrder(a: RequestObservation, b: RequestObservation): number {
  return Number(a.datedAtEnd === true) - Number(b.datedAtEnd === true) || a.startedAt - b.startedAt;
}

// A capture usually comes in that order already: a check costs less than copying and sorting 100,000 requests.
function inMergeOrder(requests: readonly RequestObservation[]): boolean {
  for (let i = 1; i < requests.length; i++) if (mergeOrder(requests[i - 1]!, requests[i]!) > 0) return false;
  return true;
}

function keyGroupsOf(byUrl: Map<string, Map<string, Map<string, KeyGroups>>>, r: RequestObservation): KeyGroups {
  let ofUrl = byUrl.get(r.url);
  if (!ofUrl) byUrl.set(r.url, (ofUrl = new Map()));
  let ofTransport = ofUrl.get(r.transport);
  if (!ofTransport) ofUrl.set(r.transport, (ofTransport = new Map()));
  const method = r.method ?? '';
  let k = ofTransport.get(method);
  if (!k) ofTransport.set(method, (k = { groups: [], next: new Map() }));
  return k;
}

function oneSource(requests: readonly RequestObservation[]): boolean {
  for (const r of requests) if (r.source !== requests[0]!.source) return false;
  return true;
}

function hasSource(group: readonly RequestObservation[], source: SourceName): boolean {
  for (const o of group) if (o.source === source) return true;
  return false;
}

export function combine(group: RequestObservation[]): MergedRequest {
  const first = group[0]!;
  if (group.length === 1) return { ...first, sources: [first.source] };
  const pick = <K extends keyof RequestObservation>(field: K, order: readonly SourceName[]): RequestObservation[K] | undefined => {
    const sorted = [...group].sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
    for (const o of sorted) if (o[field] !== undefined && !(field === 'status' && o.status === 0)) return o[field];
    return sorted.find((o) => o[field] !== undefined)?.[field];
  };
  const bodySource = [...group].sort((a, b) => BODY_ORDER.indexOf(a.source) - BODY_ORDER.indexOf(b.source)).find((o) => o.body !== undefined);
  const merged: MergedRequest = {
    ...first,
    sources: [...new Set(group.map((o) => o.source))],
    startedAt: group.reduce((min, o) => Math.min(min, o.startedAt), Infinity),
    endedAt: maxDefined(group.map((o) => o.endedAt)),
    requestHeaders: mergeHeaders(group.map((o) => o.requestHeaders)),
    responseHeaders: mergeHeaders(group.map((o) => o.responseHeaders)),
    status: pick('status', STATUS_ORDER),
    error: bestError(group),
    closeCode: pick('closeCode', ERROR_ORDER),
    closedAt: pick('closedAt', ERROR_ORDER),
    pageUrl: pick('pageUrl', ERROR_ORDER),
    method: pick('method', STATUS_ORDER),
    preflight: group.some((o) => o.preflight) || undefined,
    // Unknown only if no source could see frames.
    framesUnknown: group.every((o) => o.framesUnknown) || undefined,
    errorByProxy: group.some((o) => o.errorByProxy) || undefined,
  };
  if (bodySource) {
    merged.body = bodySource.body;
    merged.bodyIsText = bodySource.bodyIsText;
    merged.bodyLossy = bodySource.bodyLossy;
  }
  return merged;
}

// A construction exception (SecurityError) only the hook sees; otherwise the most specific error wins.
function bestError(group: RequestObservation[]): string | undefined {
  const errors = [...group]
    .sort((a, b) => NETWORK_ERROR_ORDER.indexOf(a.source) - NETWORK_ERROR_ORDER.indexOf(b.source))
    .map((o) => o.error)
    .filter((e): e is string => e !== undefined && e !== '');
  return errors.find((e) => !GENERIC_ERROR.test(e)) ?? errors[0];
}

// The first source that has a header wins. Names are page data: no prototype, own properties only.
function mergeHeaders(all: (Headers | undefined)[]): Headers | undefined {
  const present = all.filter((h): h is Headers => h !== undefined);
  if (present.length === 0) return undefined;
  const out = emptyRecord<string>();
  for (const h of present) {
    for (const [name, value] of Object.entries(h)) if (!Object.hasOwn(out, name)) out[name] = value;
  }
  return out;
}

function maxDefined(values: (number | undefined)[]): number | undefined {
  let max: number | undefined;
  for (const v of values) if (v !== undefined && (max === undefined || v > max)) max = v;
  return max;
}
