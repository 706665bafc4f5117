// Several sources can see the same request (the page hook sees the URL and the first frame, webRequest
// the HTTP status, a HAR everything it kept). Merge them into one observation per request, each
// field taken from the source that sees it best.
import type { Headers, RequestObservation, SourceName } from './model.ts';

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

export function mergeRequests(requests: readonly RequestObservation[]): MergedRequest[] {
  const byKey = new Map<string, RequestObservation[][]>();
  const order = [...requests].sort((a, b) => a.startedAt - b.startedAt);
  const groups: RequestObservation[][] = [];
  for (const r of order) {
    const key = `${r.transport} ${r.method ?? ''} ${r.url}`;
    const candidates = byKey.get(key) ?? [];
    const home = candidates.find((g) => !g.some((o) => o.source === r.source) && Math.abs(g[0]!.startedAt - r.startedAt) <= SAME_REQUEST_WINDOW_MS);
    if (home) {
      home.push(r);
    } else {
      const g = [r];
      candidates.push(g);
      byKey.set(key, candidates);
      groups.push(g);
    }
  }
  return groups.map(combine);
}

function combine(group: RequestObservation[]): MergedRequest {
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
    startedAt: Math.min(...group.map((o) => o.startedAt)),
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

function mergeHeaders(all: (Headers | undefined)[]): Headers | undefined {
  const present = all.filter((h): h is Headers => h !== undefined);
  if (present.length === 0) return undefined;
  return Object.assign({}, ...present.reverse()) as Headers;
}

function maxDefined(values: (number | undefined)[]): number | undefined {
  const d = values.filter((v): v is number => v !== undefined);
  return d.length ? Math.max(...d) : undefined;
}
