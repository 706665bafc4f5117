// From observations to connections: which requests are Diffusion handshakes, polls and sends; what each
// attempt got back; which attempts form one diffusion.connect() cascade (protocol fact sheet §4).
import type {
  AnalysisContext, Attempt, AttemptResult, Connection, Endpoint, Observation, Outcome, PageObservation,
  PollSummary, PreflightRecord, RequestObservation,
} from './model.ts';
import { mergeRequests, type MergedRequest } from './merge.ts';
import { diffusionRole, handshakeParams, isDiffusionPreflight, parseEndpoint, tokenOf } from './diffusion/handshake.ts';
import { decodeConnectionResponse, textFrameError } from './diffusion/connection-response.ts';
import { familyOf, isDefinedFor } from './diffusion/response-codes.ts';
import { clientFamily } from './diffusion/client-family.ts';

/** The client moves to the next transport at once; a longer pause means something else started the attempt. */
export const CASCADE_GAP_MS = 2000;
/** A `retry` re-walk waits `interval` ms, but the whole cascade is bounded by connectionTimeout (10 s by default). */
export const RETRY_GAP_MS = 10_000;
export const RETRY_SPAN_MS = 60_000;
/** The client's default connectionTimeout: an answered transport that stays silent this long timed out. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface Reconstruction {
  connections: Connection[];
  context: AnalysisContext;
}

interface Work {
  attempt: Attempt;
  token: string | null;
  /** An accepted upgrade whose frames no source could see: its answer is unknown, not missing. */
  blind: boolean;
}

export function reconstruct(observations: readonly Observation[]): Reconstruction {
  const requests: RequestObservation[] = [];
  const pages: PageObservation[] = [];
  for (const o of observations) (o.kind === 'page' ? pages : requests).push(o as never);
  const merged = mergeRequests(requests);

  const handshakes: MergedRequest[] = [];
  const pollsAndSends: MergedRequest[] = [];
  const preflights: PreflightRecord[] = [];
  for (const r of merged) {
    const role = diffusionRole(r);
    if (role === 'ws-handshake' || role === 'xhr-handshake') handshakes.push(r);
    else if (role === 'xhr-poll' || role === 'xhr-send') pollsAndSends.push(r);
    else if (isDiffusionPreflight(r)) preflights.push(preflightRecord(r));
  }

  handshakes.sort((a, b) => a.startedAt - b.startedAt);
  const work: Work[] = handshakes.map((r, i) => {
    const attempt = buildAttempt(r, `a${i + 1}`);
    return { attempt, token: tokenOf(r), blind: r.framesUnknown === true && attempt.httpStatus === 101 && attempt.result === 'unknown' };
  });
  linkPolls(work, pollsAndSends);

  const groups = groupIntoConnections(work);
  const connections = groups.map((g, i) => finishConnection(g, `c${i + 1}`, pages));
  const context: AnalysisContext = { pages: pagesOf(pages, work), preflights };
  const notes = captureNotes(handshakes);
  if (notes.length > 0) context.notes = notes;
  return { connections, context };
}

/**
 * Said once per analysis: a capture that keeps no WebSocket messages (mitmproxy up to 9's contrib
 * har_dump, Firefox's HAR) cannot show what the server answered on an upgrade that went through.
 */
function captureNotes(handshakes: readonly MergedRequest[]): string[] {
  // Only upgrades that went through (101) had an answer to show; a failed one needs no frames.
  const blind = handshakes.filter((r) => r.transport === 'WEBSOCKET' && r.framesUnknown === true && r.status === 101 && r.body === undefined);
  if (blind.length === 0) return [];
  const n = blind.length === 1 ? 'its WebSocket attempt' : `its ${blind.length} WebSocket attempts`;
  return [
    `this capture keeps no WebSocket messages, so for ${n} it cannot show the server's connection response: ` +
    'whether the session was accepted or rejected (e.g. 116 AUTHENTICATION_FAILED), the session id, or when and why the socket closed (drops). ' +
    'To capture them: mitmproxy 10.1 or later (mitmdump --set hardump=capture.har), HTTP Toolkit\'s HAR export, or Chromium\'s DevTools (Network, Export HAR).',
  ];
}

function buildAttempt(r: MergedRequest, id: string): Attempt {
  const params = handshakeParams(r);
  const endpoint = parseEndpoint(r.url) ?? unknownEndpoint();
  let response: Attempt['response'] = null;
  let responseError: Attempt['responseError'] = null;
  const answered = r.transport === 'WEBSOCKET' ? r.body !== undefined : r.status === 200 && r.body !== undefined;
  if (answered && r.body) {
    if (r.bodyIsText) {
      responseError = textFrameError(r.body);
    } else if (r.body.length > 0 || r.transport === 'WEBSOCKET') {
      const decoded = decodeConnectionResponse(r.body, params.version);
      if (decoded.response) response = decoded.response;
      else {
        responseError = decoded.error;
        if (r.bodyLossy) responseError = { ...responseError, error: `${responseError.error} (the capture stored the body as text and replaced some bytes)` };
      }
    }
  }
  const attempt: Attempt = {
    id,
    transport: r.transport,
    url: r.url,
    endpoint,
    params,
    requestHeaders: r.requestHeaders ?? {},
    responseHeaders: r.responseHeaders ?? {},
    startedAt: r.startedAt,
    endedAt: r.endedAt ?? null,
    httpStatus: statusOf(r),
    error: r.error ?? null,
    response,
    responseError,
    result: 'unknown',
    reconnect: params.hasToken,
    closeCode: r.closeCode ?? null,
    closedAt: r.closedAt ?? null,
    pageUrl: r.pageUrl ?? null,
    sources: r.sources,
    polls: r.transport === 'XHR' ? emptyPolls() : null,
    cookies: {},
  };
  if (r.errorByProxy) attempt.errorByProxy = true;
  collectCookies(attempt, r, true);
  attempt.result = initialResult(attempt);
  return attempt;
}

// Chromium hides a failed upgrade's status (status 0) but names it in the error text it records:
// "Error during WebSocket handshake: Unexpected response code: 404".
const UNEXPECTED_CODE = /Unexpected response code: (\d{3})\b/;

function statusOf(r: MergedRequest): number | null {
  const fromError = r.error ? UNEXPECTED_CODE.exec(r.error) : null;
  if ((r.status === undefined || r.status === 0) && fromError) return Number(fromError[1]);
  return r.status === undefined ? null : r.status;
}

function initialResult(a: Attempt): AttemptResult {
  if (a.response) {
    const versionMismatch = a.params.version !== null && a.response.version !== a.params.version;
    return a.response.success && !versionMismatch ? 'connected' : 'rejected';
  }
  if (a.responseError) return 'failed';
  if (a.error) return 'failed';
  const s = a.httpStatus;
  if (a.transport === 'WEBSOCKET') {
    if (s !== null && s !== 101 && (s !== 0 || a.endedAt !== null)) return 'failed';
    if (a.closeCode !== null) return 'failed';
  } else if (s !== null && s !== 200 && (s !== 0 || a.endedAt !== null)) {
    return 'failed';
  }
  return 'unknown';
}

/** Would the client move on to the next transport after this attempt? (§4 "moves to the next transport when") */
function cascadesAfter(a: Attempt): boolean {
  if (a.result === 'failed' || a.result === 'unknown') return true;
  if (a.result !== 'rejected' || !a.response) return false;
  const family = familyOf(a.params.version);
  if (a.params.version !== null && a.response.version !== a.params.version) return true; // parse error in the client
  if (!isDefinedFor(a.response.code, family)) return true; // an undefined code is a parse error
  return family === '5.9' && a.response.code === 127;
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.host === b.host && a.port === b.port && a.secure === b.secure && a.path === b.path;
}

function groupIntoConnections(work: Work[]): Work[][] {
  const groups: Work[][] = [];
  for (const w of work) {
    const a = w.attempt;
    const home = a.reconnect ? reconnectHome(groups, w) : cascadeHome(groups, w);
    if (home) home.push(w);
    else groups.push([w]);
  }
  return groups;
}

// A first-connect attempt continues the latest cascade to the same endpoint when the previous attempt
// failed and this one started right after it ended (or restarts the transport list within a retry).
function cascadeHome(groups: Work[][], w: Work): Work[] | undefined {
  const a = w.attempt;
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    const firsts = g.filter((x) => !x.attempt.reconnect);
    const lastWork = firsts[firsts.length - 1];
    const last = lastWork?.attempt;
    if (!last || !sameEndpoint(last.endpoint, a.endpoint)) continue;
    // Whether the client moved on from an answer nobody saw cannot be told: no cascade across it.
    if (lastWork.blind) return undefined;
    if (!cascadesAfter(last) || firsts.some((x) => x.attempt.result === 'connected')) return undefined;
    if (last.endedAt === null) return undefined; // still open: a parallel connect(), not the next step
    const gap = a.startedAt - last.endedAt;
    if (gap < -50) return undefined;
    if (gap <= CASCADE_GAP_MS) return g;
    const first = firsts[0]!.attempt;
    const rewalk = a.transport === first.transport && gap <= RETRY_GAP_MS && a.startedAt - first.startedAt <= RETRY_SPAN_MS;
    return rewalk ? g : undefined;
  }
  return undefined;
}

// A reconnect carries the session token: it belongs to the connection whose response issued that
// token; failing that, to the latest connection to the same endpoint that had connected.
function reconnectHome(groups: Work[][], w: Work): Work[] | undefined {
  if (w.token !== null) {
    const byToken = groups.find((g) => g.some((x) => x.attempt.response?.token === w.token));
    if (byToken) return byToken;
  }
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    const e = g[0]!.attempt.endpoint;
    const ep = w.attempt.endpoint;
    if (e.host === ep.host && e.port === ep.port && e.path === ep.path && g.some((x) => x.attempt.result === 'connected' || x.attempt.reconnect)) return g;
  }
  return undefined;
}

function finishConnection(group: Work[], id: string, pages: PageObservation[]): Connection {
  const attempts = group.map((w) => w.attempt);
  // An attempt the client moved on from had failed, even if no source saw it end.
  attempts.forEach((a, i) => {
    const next = attempts[i + 1];
    if (a.result === 'unknown' && !group[i]!.blind && next && next.reconnect === a.reconnect) a.result = 'failed';
    // A connected transport followed by a reconnect was dropped: a WebSocket entry ends when the socket
    // closed, an XHR session with its last poll.
    if (a.result === 'connected' && a.closedAt === null && attempts.slice(i + 1).some((x) => x.reconnect)) {
      a.closedAt = a.transport === 'XHR' ? a.polls?.lastAt ?? a.endedAt : a.endedAt;
    }
  });
  const first = attempts[0]!;
  const pageUrl = first.pageUrl;
  const clientVersion = pages.filter((p) => p.clientVersion && (!pageUrl || p.url === pageUrl)).pop()?.clientVersion ?? null;
  return {
    id,
    endpoint: first.endpoint,
    clientVersion,
    protocolVersion: first.params.version,
    outcome: outcomeOf(attempts),
    attempts,
    startedAt: first.startedAt,
    pageUrl,
    client: connectionClient(attempts),
  };
}

/** The family the attempts name; the first that names one wins (a stripped upgrade names none). */
function connectionClient(attempts: Attempt[]): Connection['client'] {
  for (const a of attempts) {
    const family = clientFamily(a);
    if (family !== 'unknown') return family;
  }
  return 'unknown';
}

function outcomeOf(attempts: Attempt[]): Outcome {
  const firsts = attempts.filter((a) => !a.reconnect);
  const considered = firsts.length ? firsts : attempts;
  if (considered.some((a) => a.result === 'connected')) return 'connected';
  const last = considered[considered.length - 1]!;
  if (last.result === 'rejected') return 'rejected';
  // A transport that was accepted but stayed silent for the whole connect timeout: the client gave up.
  const start = considered[0]!.startedAt;
  const silent = !last.response && !last.error && !last.responseError && (last.httpStatus === 101 || last.httpStatus === 200);
  if (silent && last.endedAt !== null && last.endedAt - start >= CONNECT_TIMEOUT_MS * 0.95) return 'timeout';
  if (last.result === 'unknown') return 'unknown';
  return considered.some((a) => a.result === 'rejected') ? 'rejected' : 'exhausted';
}

function linkPolls(work: Work[], requests: MergedRequest[]): void {
  // A reconnect answered 105 hands back the same token: a poll belongs to the latest handshake with
  // its token that started before it.
  const byToken = new Map<string, Attempt[]>();
  for (const w of work) {
    const t = w.attempt.transport === 'XHR' ? w.attempt.response?.token : undefined;
    if (t) byToken.set(t, [...(byToken.get(t) ?? []), w.attempt]);
  }
  const xhr = work.map((w) => w.attempt).filter((a) => a.transport === 'XHR');
  for (const r of [...requests].sort((a, b) => a.startedAt - b.startedAt)) {
    const token = tokenOf(r);
    const sameToken = token === null ? undefined : byToken.get(token);
    let owner = sameToken?.filter((a) => a.startedAt <= r.startedAt).pop() ?? sameToken?.[0];
    if (!owner) {
      const ep = parseEndpoint(r.url);
      owner = [...xhr].reverse().find((a) => a.startedAt <= r.startedAt && a.result !== 'rejected' && ep !== null && sameEndpoint(a.endpoint, ep));
    }
    if (!owner || !owner.polls) continue;
    const p = owner.polls;
    if (diffusionRole(r) === 'xhr-poll') p.polls++;
    else p.sends++;
    // A poll the client itself aborted (closing the session, leaving the page) got no answer: not a failure.
    const aborted = r.status === 0 && /abort/i.test(r.error ?? '');
    if (r.status !== undefined && r.status !== 200 && !aborted) p.failedStatuses.push(r.status);
    if ((r.responseHeaders?.['diffusion-connection'] ?? '').toLowerCase().includes('reconnect')) p.reconnectSignals++;
    p.firstAt = p.firstAt === null ? r.startedAt : Math.min(p.firstAt, r.startedAt);
    p.lastAt = Math.max(p.lastAt ?? 0, r.endedAt ?? r.startedAt);
    collectCookies(owner, r, false);
  }
}

// Cookies of a session, in order. A handshake's own Cookie header predates the session, so a
// handshake contributes what its response sets. A poll or send contributes the cookies it sent, and
// a replacement the response sets for one of those: a Set-Cookie for a cookie the browser does not
// send back (cross-origin XHR without credentials) cannot carry affinity and says nothing.
function collectCookies(a: Attempt, r: RequestObservation, isHandshake: boolean): void {
  const add = (name: string, value: string) => {
    const list = (a.cookies[name] ??= []);
    if (list[list.length - 1] !== value) list.push(value);
  };
  const sent = new Set<string>();
  if (!isHandshake) {
    for (const part of (r.requestHeaders?.['cookie'] ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      sent.add(name);
      add(name, part.slice(eq + 1).trim());
    }
  }
  for (const line of (r.responseHeaders?.['set-cookie'] ?? '').split('\n')) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (isHandshake || sent.has(name)) add(name, pair.slice(eq + 1).trim());
  }
}

function preflightRecord(r: MergedRequest): PreflightRecord {
  const h = r.responseHeaders ?? {};
  return {
    url: r.url,
    startedAt: r.startedAt,
    status: r.status === undefined ? null : r.status,
    error: r.error ?? null,
    requestedHeaders: r.requestHeaders?.['access-control-request-headers'] ?? null,
    allowHeaders: h['access-control-allow-headers'] ?? null,
    allowOrigin: h['access-control-allow-origin'] ?? null,
    pageUrl: r.pageUrl ?? r.requestHeaders?.['origin'] ?? null,
  };
}

function pagesOf(pages: PageObservation[], work: Work[]): PageObservation[] {
  const out = [...pages];
  const known = new Set(pages.map((p) => p.url));
  for (const { attempt } of work) {
    if (attempt.pageUrl && !known.has(attempt.pageUrl)) {
      known.add(attempt.pageUrl);
      out.push({ kind: 'page', source: attempt.sources[0] ?? 'har', url: attempt.pageUrl, startedAt: attempt.startedAt });
    }
  }
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

function emptyPolls(): PollSummary {
  return { polls: 0, sends: 0, failedStatuses: [], reconnectSignals: 0, firstAt: null, lastAt: null };
}

function unknownEndpoint(): Endpoint {
  return { host: '', port: 0, secure: false, path: '', prefix: '' };
}
