// Several sources can see the same request (the page hook sees the URL and the first frame, webRequest
// the HTTP status, a HAR everything it kept). Merge them into one observation per request, each
// field taken from the source that sees it best.
import type { Headers, RequestObservation, SourceName } from './model.ts';
import { emptyRecord } from './records.ts';

/** Observations of one URL by different sources this close together are the same request. */
const SAME_REQUEST_WINDOW_MS = 1500;

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
  next: Map<SourceName, number>;
}

/**
 * One group per request: an observation joins the oldest group of its URL that started within the
 * window and has no observation of its source yet. Linear: observations come in start order, so a
 * group that left the window, or took the source, is passed for good (one pointer per source and URL).
 */
export function mergeRequests(requests: readonly RequestObservation[]): MergedRequest[] {
  return mergeGroups(requests).map(combine);
}

/** The observations of each request, in the order mergeRequests gives them; `combine` makes one of them. */
export function mergeGroups(requests: readonly RequestObservation[]): RequestObservation[][] {
  // By URL, then by transport and method: no key string joined from the URL for every request.
  const byUrl = new Map<string, Map<string, KeyGroups>>();
  const order = [...requests].sort((a, b) => a.startedAt - b.startedAt);
  const groups: RequestObservation[][] = [];
  for (const r of order) {
    let ofUrl = byUrl.get(r.url);
    if (!ofUrl) byUrl.set(r.url, (ofUrl = new Map()));
    const key = `${r.transport} ${r.method ?? ''}`;
    let k = ofUrl.get(key);
    if (!k) {
      k = { groups: [], next: new Map() };
      ofUrl.set(key, k);
    }
    let i = k.next.get(r.source) ?? 0;
    while (i < k.groups.length) {
      const g = k.groups[i]!;
      if (r.startedAt - g[0]!.startedAt <= SAME_REQUEST_WINDOW_MS && !g.some((o) => o.source === r.source)) break;
      i++;
    }
    k.next.set(r.source, i);
    const home = k.groups[i];
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
