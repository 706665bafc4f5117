// From observations to connections: which requests are Diffusion handshakes, polls and sends; what each
// attempt got back; which attempts form one diffusion.connect() cascade (protocol fact sheet §4).
import type {
  AnalysisContext, Attempt, AttemptResult, Connection, Endpoint, Headers, Observation, Outcome, PageObservation,
  PollSummary, PreflightRecord, RequestObservation, SourceName, Transport, WorkerScriptRecord,
} from './model.ts';
import { combine, mergeGroups, type MergedRequest } from './merge.ts';
import { diffusionRole, handshakeParams, isDiffusionPreflight, parseEndpoint, tokenOf } from './diffusion/handshake.ts';
import { decodeConnectionResponse, textFrameError } from './diffusion/connection-response.ts';
import { familyOf, isDefinedFor } from './diffusion/response-codes.ts';
import { emptyRecord, own } from './records.ts';
import { clientFamily } from './diffusion/client-family.ts';
import { thousands } from './rules/format.ts';

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
  /** No source recorded when it started: it is placed by entry order, and no time gap to it means anything. */
  undated: boolean;
}

/** The browser client's transport list, in cascade order (6.12 in a window: ['WEBSOCKET', 'XHR']). */
const CASCADE_ORDER: Record<Transport, number> = { WEBSOCKET: 0, XHR: 1 };
/** A worker script that runs a Diffusion session: `diffusion.connect(options, name, 'diffusion-worker.js')`. */
const WORKER_SCRIPT = /\/[^/?#]*(?:diffusion[^/?#]*worker|worker[^/?#]*diffusion)[^/?#]*\.m?js(?:[?#]|$)/i;
/** The start of a non-Diffusion answer kept for naming what answered. */
const ANSWER_TEXT_CHARS = 512;
/** The client's clean close of a WebSocket ("closed by the client"). */
const CLOSED_BY_CLIENT = 1000;

export function reconstruct(observations: readonly Observation[]): Reconstruction {
  const requests: RequestObservation[] = [];
  const pages: PageObservation[] = [];
  for (const o of observations) (o.kind === 'page' ? pages : requests).push(o as never);
  const handshakes: Handshake[] = [];
  const pollsAndSends: RequestObservation[] = [];
  const preflights: PreflightRecord[] = [];
  const workers: WorkerScriptRecord[] = [];
  for (const group of mergeGroups(requests)) {
    // A request seen by one source is that observation, read as it is (no merged copy for each of
    // 100,000 polls or retries).
    const r: RequestObservation = group.length === 1 ? group[0]! : combine(group);
    const role = diffusionRole(r);
    if (role === 'ws-handshake' || role === 'xhr-handshake') handshakes.push({ r, sources: group.length === 1 ? onlySource(r.source) : (r as MergedRequest).sources });
    else if (role === 'xhr-poll' || role === 'xhr-send') pollsAndSends.push(r);
    else if (isDiffusionPreflight(r)) preflights.push(preflightRecord(r));
    else if (r.transport === 'XHR' && WORKER_SCRIPT.test(r.url)) {
      workers.push({ url: r.url, startedAt: r.startedAt, status: r.status ?? null, pageUrl: r.pageUrl ?? own(r.requestHeaders, 'referer') ?? null });
    }
  }

  const work: Work[] = inStartOrder(handshakes, (h) => h.r.startedAt).map(({ r, sources }, i) => {
    const attempt = buildAttempt(r, sources, `a${i + 1}`);
    return {
      attempt, token: tokenOf(r), undated: r.startUnknown === true,
      blind: r.framesUnknown === true && attempt.httpStatus === 101 && attempt.result === 'unknown',
    };
  });
  const ends = linkPolls(work, pollsAndSends);

  const groups = groupIntoConnections(work);
  const versions = clientVersions(pages);
  const connections = groups.map((g, i) => finishConnection(g, `c${i + 1}`, versions, ends));
  const context: AnalysisContext = { pages: pagesOf(pages, work), preflights };
  if (workers.length > 0) context.workers = workers;
  const notes = captureNotes(handshakes);
  if (notes.length > 0) context.notes = notes;
  return { connections, context };
}

/**
 * Said once per analysis: a capture that keeps no WebSocket messages (mitmproxy up to 9's contrib
 * har_dump, Firefox's HAR) cannot show what the server answered on an upgrade that went through.
 */
function captureNotes(handshakes: readonly Handshake[]): string[] {
  // Only upgrades that went through (101) had an answer to show; a failed one needs no frames.
  let blind = 0;
  for (const { r } of handshakes) if (r.transport === 'WEBSOCKET' && r.framesUnknown === true && r.status === 101 && r.body === undefined) blind++;
  if (blind === 0) return [];
  const n = blind === 1 ? 'its WebSocket attempt' : `its ${thousands(blind)} WebSocket attempts`;
  return [
    `this capture keeps no WebSocket messages, so for ${n} it cannot show the server's connection response: ` +
    'whether the session was accepted or rejected (e.g. 116 AUTHENTICATION_FAILED), the session id, or when and why the socket closed (drops). ' +
    'To capture them: mitmproxy 10.1 or later (mitmdump --set hardump=capture.har), HTTP Toolkit\'s HAR export, or Chromium\'s DevTools (Network, Export HAR).',
  ];
}

// A request one source saw is listed as seen by that source alone: one shared, frozen list per
// source, not one for each of 100,000 retries.
const ONLY_SOURCE = new Map<SourceName, SourceName[]>();

function onlySource(source: SourceName): SourceName[] {
  let list = ONLY_SOURCE.get(source);
  if (!list) ONLY_SOURCE.set(source, (list = Object.freeze([source]) as SourceName[]));
  return list;
}

/** A handshake request, and the sources that saw it. */
interface Handshake {
  r: RequestObservation;
  sources: SourceName[];
}

// Most attempts of a retry storm have no response headers and no cookies: they share one empty,
// frozen record each (collectCookies gives an attempt its own record at its first cookie).
const NO_HEADERS: Headers = Object.freeze({});
const NO_COOKIES: Record<string, string[]> = Object.freeze(emptyRecord<string[]>());

function buildAttempt(r: RequestObservation, sources: SourceName[], id: string): Attempt {
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
    requestHeaders: r.requestHeaders ?? NO_HEADERS,
    responseHeaders: r.responseHeaders ?? NO_HEADERS,
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
    sources,
    polls: r.transport === 'XHR' ? emptyPolls() : null,
    cookies: NO_COOKIES,
  };
  if (r.errorByProxy) attempt.errorByProxy = true;
  collectCookies(attempt, r, true);
  attempt.result = initialResult(attempt);
  // An answer that is not a connection response: keep its start to tell what answered (a web page, an error page).
  if (!response && r.body && r.body.length > 0 && (r.transport === 'XHR' || r.bodyIsText)) {
    attempt.answerText = latin1(r.body.subarray(0, ANSWER_TEXT_CHARS));
  }
  return attempt;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

// Chromium hides a failed upgrade's status (status 0) but names it in the error text it records:
// "Error during WebSocket handshake: Unexpected response code: 404".
const UNEXPECTED_CODE = /Unexpected response code: (\d{3})\b/;

function statusOf(r: RequestObservation): number | null {
  const status = r.status;
  if ((status === undefined || status === 0) && r.error) {
    const fromError = codeInError(r.error);
    if (fromError !== null) return fromError;
  }
  return status === undefined ? null : status;
}

// A retry storm repeats a few error texts 100,000 times: each is read once.
const codesInErrors = new Map<string, number | null>();

function codeInError(error: string): number | null {
  let code = codesInErrors.get(error);
  if (code === undefined) {
    if (codesInErrors.size >= 1024) codesInErrors.clear();
    const m = UNEXPECTED_CODE.exec(error);
    codesInErrors.set(error, (code = m ? Number(m[1]) : null));
  }
  return code;
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

/** A connection being built, with what the grouping asks of it kept at hand (no rescans). */
interface Group {
  works: Work[];
  firstConnect: Work | null;
  lastConnect: Work | null;
  connected: boolean;
}

function groupIntoConnections(work: Work[]): Work[][] {
  const groups: Group[] = [];
  // The latest group per endpoint (first connects) and per host, port and path (reconnects): the
  // client never changes endpoint within a cascade, so only the latest one can continue.
  const latestByEndpoint = new Map<string, Group>();
  const reconnectable = new Map<string, Group>();
  const byToken = new Map<string, Group>();
  for (const w of work) {
    const a = w.attempt;
    const key = endpointKeyOf(a.endpoint);
    const home = a.reconnect ? reconnectHome(w, byToken, reconnectable) : cascadeHome(latestByEndpoint.get(key), w);
    const g = home ?? { works: [], firstConnect: null, lastConnect: null, connected: false };
    if (!home) groups.push(g);
    g.works.push(w);
    if (!a.reconnect) {
      g.firstConnect ??= w;
      g.lastConnect = w;
      if (a.result === 'connected') g.connected = true;
      latestByEndpoint.set(key, g);
    }
    const token = a.response?.token;
    if (token && !byToken.has(token)) byToken.set(token, g);
    if (a.result === 'connected' || a.reconnect || w.blind) reconnectable.set(reconnectKeyOf(a.endpoint), g);
  }
  return groups.map((g) => g.works);
}

// Keys of an endpoint, made once per endpoint object: the attempts of one URL share it.
const endpointKeys = new WeakMap<Endpoint, string>();
const reconnectKeys = new WeakMap<Endpoint, string>();

function endpointKeyOf(e: Endpoint): string {
  let key = endpointKeys.get(e);
  if (key === undefined) endpointKeys.set(e, (key = `${e.secure ? 's' : ''}${e.host} ${e.port} ${e.path}`));
  return key;
}

function reconnectKeyOf(e: Endpoint): string {
  let key = reconnectKeys.get(e);
  if (key === undefined) reconnectKeys.set(e, (key = `${e.host} ${e.port} ${e.path}`));
  return key;
}

/** When an attempt was over: its end, or for a failure no source saw end (Chrome's refused sockets), its start. */
function endOf(a: Attempt): number | null {
  if (a.endedAt !== null && Number.isFinite(a.endedAt)) return a.endedAt;
  return a.result === 'failed' ? a.startedAt : null;
}

// A first-connect attempt continues the latest cascade to the same endpoint by the client's own
// rules: the next transport of the list after the previous one failed (Chrome ends a WebSocket entry
// only when the socket closed, so the next step may start before that end), or a `retry` re-walk
// of the list after the previous attempt was over. The whole cascade fits in the connect timeout.
function cascadeHome(g: Group | undefined, w: Work): Group | undefined {
  if (!g || !g.lastConnect || !g.firstConnect || g.connected) return undefined;
  const a = w.attempt;
  const lastWork = g.lastConnect;
  const last = lastWork.attempt;
  if (!sameEndpoint(last.endpoint, a.endpoint)) return undefined;
  if (a.startedAt < last.startedAt) return undefined;
  // An entry without a start time follows the one before it in the capture: no gap to measure.
  const undated = w.undated || lastWork.undated;
  const end = undated ? a.startedAt : endOf(last);
  const step = CASCADE_ORDER[a.transport] > CASCADE_ORDER[last.transport];
  if (step) {
    // The client moved on from the previous transport: it failed, or its answer could not be used.
    // An answer nobody saw (Firefox's HAR has no frames) does not stop a step: a new connect() would
    // start again with the first transport.
    if (!lastWork.blind && !cascadesAfter(last)) return undefined;
    if (a.startedAt - last.startedAt > CONNECT_TIMEOUT_MS) return undefined;
    return end === null || a.startedAt - end <= CASCADE_GAP_MS ? g : undefined;
  }
  // The same or an earlier transport again: a re-walk of the list, never across an unseen answer,
  // and only once the previous attempt was over (else two connect() calls run side by side).
  if (lastWork.blind || !cascadesAfter(last) || end === null) return undefined;
  const gap = a.startedAt - end;
  if (gap < 0) return undefined;
  const first = g.firstConnect.attempt;
  if (gap <= CASCADE_GAP_MS && a.transport !== first.transport) return g;
  const rewalk = a.transport === first.transport && gap <= RETRY_GAP_MS && a.startedAt - first.startedAt <= RETRY_SPAN_MS;
  return rewalk ? g : undefined;
}

// A reconnect carries the session token: it belongs to the connection whose response issued that
// token; failing that (a capture without frames), to the latest connection to the same host, port
// and path that had connected, or whose answer nobody saw.
function reconnectHome(w: Work, byToken: Map<string, Group>, reconnectable: Map<string, Group>): Group | undefined {
  if (w.token !== null) {
    const g = byToken.get(w.token);
    if (g) return g;
  }
  return reconnectable.get(reconnectKeyOf(w.attempt.endpoint));
}

/** How an XHR session's polling ended: the client ended it (its last poll aborted, nothing after), or a poll lost it. */
type SessionEnd = 'client' | 'lost';

/** The client version the hook read, latest first: any page's, and each page URL's. */
interface ClientVersions {
  latest: string | null;
  byUrl: Map<string, string>;
}

function clientVersions(pages: readonly PageObservation[]): ClientVersions {
  const out: ClientVersions = { latest: null, byUrl: new Map() };
  for (const p of pages) {
    if (!p.clientVersion) continue;
    out.latest = p.clientVersion;
    out.byUrl.set(p.url, p.clientVersion);
  }
  return out;
}

function finishConnection(group: Work[], id: string, versions: ClientVersions, ends: Map<Attempt, SessionEnd>): Connection {
  const attempts = group.map((w) => w.attempt);
  // An attempt the client moved on from had failed, even if no source saw it end.
  let reconnectAfter = false;
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    const next = attempts[i + 1];
    if (a.result === 'unknown' && !group[i]!.blind && next && next.reconnect === a.reconnect) a.result = 'failed';
    // A connected transport followed by a reconnect was dropped: a WebSocket entry ends when the socket
    // closed, an XHR session with its last poll.
    if (a.result === 'connected' && a.closedAt === null && reconnectAfter) {
      a.closedAt = a.transport === 'XHR' ? a.polls?.lastAt ?? a.endedAt : a.endedAt;
    }
    if (a.reconnect) reconnectAfter = true;
  }
  const first = attempts[0]!;
  const pageUrl = first.pageUrl;
  const clientVersion = (pageUrl ? versions.byUrl.get(pageUrl) : versions.latest) ?? null;
  return {
    id,
    endpoint: first.endpoint,
    clientVersion,
    protocolVersion: first.params.version,
    outcome: outcomeOf(attempts, ends),
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

function outcomeOf(attempts: Attempt[], ends: Map<Attempt, SessionEnd>): Outcome {
  const firsts = attempts.filter((a) => !a.reconnect);
  const considered = firsts.length ? firsts : attempts;
  if (considered.some((a) => a.result === 'connected')) return afterConnected(attempts, ends);
  const last = considered[considered.length - 1]!;
  if (last.result === 'rejected') return 'rejected';
  // A transport that was accepted but stayed silent for the whole connect timeout: the client gave up.
  const start = considered[0]!.startedAt;
  const silent = !last.response && !last.error && !last.responseError && (last.httpStatus === 101 || last.httpStatus === 200);
  if (silent && last.endedAt !== null && last.endedAt - start >= CONNECT_TIMEOUT_MS * 0.95) return 'timeout';
  if (last.result === 'unknown') return 'unknown';
  return considered.some((a) => a.result === 'rejected') ? 'rejected' : 'exhausted';
}

// A connection that had a session: did it keep it, lose it, or did the application close it?
function afterConnected(attempts: Attempt[], ends: Map<Attempt, SessionEnd>): Outcome {
  let lastOk = -1;
  attempts.forEach((a, i) => { if (a.result === 'connected') lastOk = i; });
  const session = attempts[lastOk]!;
  const reconnects = attempts.slice(lastOk + 1).filter((a) => a.reconnect);
  if (reconnects.length > 0) {
    // 117 UNKNOWN_SESSION (or any other answer than 105/106) ends the session; so do reconnects that all failed.
    if (reconnects.some((a) => a.response !== null && !a.response.success)) return 'lost';
    return reconnects.every((a) => a.result === 'failed') ? 'lost' : 'connected';
  }
  if (session.transport === 'WEBSOCKET' && session.closeCode !== null) return session.closeCode === CLOSED_BY_CLIENT ? 'closed' : 'lost';
  const end = ends.get(session);
  if (end === 'client') return 'closed';
  if (end === 'lost') return 'lost';
  return 'connected';
}

function linkPolls(work: Work[], requests: RequestObservation[]): Map<Attempt, SessionEnd> {
  // A reconnect answered 105 hands back the same token: a poll belongs to the latest handshake with
  // its token that started before it. Handshakes are in start order, so each list is too, and a
  // binary search finds that handshake (a day-long session polls 100,000 times).
  const byToken = new Map<string, Attempt[]>();
  // Without a known token: the latest XHR handshake to the same endpoint that was not rejected.
  const byEndpoint = new Map<string, Attempt[]>();
  // When reconnects carrying each token started: a poll that died before one of them was a drop.
  const reconnectStarts = new Map<string, number>();
  for (const w of work) {
    const a = w.attempt;
    if (a.reconnect && w.token !== null) reconnectStarts.set(w.token, Math.max(reconnectStarts.get(w.token) ?? -Infinity, a.startedAt));
    if (a.transport !== 'XHR') continue;
    const t = a.response?.token;
    if (t) pushTo(byToken, t, a);
    if (a.result !== 'rejected') pushTo(byEndpoint, endpointKeyOf(a.endpoint), a);
  }
  const last = new Map<Attempt, { at: number; status: number | undefined; clean: boolean }>();
  for (const r of inStartOrder(requests, (r) => r.startedAt)) {
    const token = tokenOf(r);
    const sameToken = token === null ? undefined : byToken.get(token);
    let owner = sameToken ? (latestStartedBy(sameToken, r.startedAt) ?? sameToken[0]) : undefined;
    if (!owner) {
      const ep = parseEndpoint(r.url);
      const candidates = ep === null ? undefined : byEndpoint.get(endpointKeyOf(ep));
      owner = candidates ? latestStartedBy(candidates, r.startedAt) : undefined;
    }
    if (!owner || !owner.polls) continue;
    const p = owner.polls;
    if (diffusionRole(r) === 'xhr-poll') p.polls++;
    else p.sends++;
    // A poll the client itself aborted (closing the session, leaving the page) got no answer: not a
    // failure. Firefox's HAR records the abort as status 0 with no error text: it is the client's
    // own doing unless a reconnect with the session's token followed it.
    const noAnswer = r.status === 0 || r.status === undefined;
    const followedByReconnect = token !== null && (reconnectStarts.get(token) ?? -Infinity) >= r.startedAt;
    // mitmproxy records the client's abort as its own error "Client disconnected.".
    const aborted = noAnswer && (/abort|client disconnected/i.test(r.error ?? '') || (!r.error && !followedByReconnect && r.status === 0));
    if (r.status !== undefined && r.status !== 200 && !aborted) p.failedStatuses.push(r.status);
    if ((own(r.responseHeaders, 'diffusion-connection') ?? '').toLowerCase().includes('reconnect')) p.reconnectSignals++;
    p.firstAt = p.firstAt === null ? r.startedAt : Math.min(p.firstAt, r.startedAt);
    p.lastAt = Math.max(p.lastAt ?? 0, r.endedAt ?? r.startedAt);
    collectCookies(owner, r, false);
    const previous = last.get(owner);
    if (!previous) last.set(owner, { at: r.startedAt, status: r.status, clean: aborted });
    else if (r.startedAt >= previous.at) {
      previous.at = r.startedAt;
      previous.status = r.status;
      previous.clean = aborted;
    }
  }
  const ends = new Map<Attempt, SessionEnd>();
  for (const [owner, l] of last) {
    if (l.clean) ends.set(owner, 'client');
    else if (l.status !== undefined && l.status !== 200) ends.set(owner, 'lost');
  }
  return ends;
}

/** The items sorted by start (stable); the list itself when it is in that order already. */
function inStartOrder<T>(items: readonly T[], startOf: (item: T) => number): readonly T[] {
  // Requests come from the capture in start order, as a rule: a check costs less than copying and
  // sorting 100,000 handshakes or polls.
  for (let i = 1; i < items.length; i++) {
    if (startOf(items[i]!) < startOf(items[i - 1]!)) return [...items].sort((a, b) => startOf(a) - startOf(b));
  }
  return items;
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The last attempt of a start-ordered list that started at or before `at`. */
function latestStartedBy(attempts: readonly Attempt[], at: number): Attempt | undefined {
  let lo = 0;
  let hi = attempts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (attempts[mid]!.startedAt <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? attempts[lo - 1] : undefined;
}

// Cookies of a session, in order. A handshake's own Cookie header predates the session, so a
// handshake contributes what its response sets. A poll or send contributes the cookies it sent, and
// a replacement the response sets for one of those: a Set-Cookie for a cookie the browser does not
// send back (cross-origin XHR without credentials) cannot carry affinity and says nothing.
function collectCookies(a: Attempt, r: RequestObservation, isHandshake: boolean): void {
  const setCookie = r.responseHeaders?.['set-cookie'];
  // A handshake without Set-Cookie (a refused socket) contributes nothing.
  if (isHandshake && !setCookie) return;
  const sent = isHandshake ? NO_PAIRS : cookiePairs(r.requestHeaders?.['cookie'] ?? '');
  for (const [name, value] of sent) addCookie(a, name, value);
  if (!setCookie) return;
  for (const line of setCookie.split('\n')) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (isHandshake || sent.some(([sentName]) => sentName === name)) addCookie(a, name, pair.slice(eq + 1).trim());
  }
}

function addCookie(a: Attempt, name: string, value: string): void {
  let list = own(a.cookies, name);
  if (list === undefined) {
    if (a.cookies === NO_COOKIES) a.cookies = emptyRecord<string[]>();
    a.cookies[name] = list = [];
  }
  if (list[list.length - 1] !== value) list.push(value);
}

type CookiePair = readonly [name: string, value: string];
const NO_PAIRS: readonly CookiePair[] = [];
// Every poll of a session sends the same Cookie header: each header text is split once, and the
// pairs are shared, so callers only read them.
const cookieHeaders = new Map<string, readonly CookiePair[]>();

function cookiePairs(header: string): readonly CookiePair[] {
  let pairs = cookieHeaders.get(header);
  if (pairs === undefined) {
    if (cookieHeaders.size >= 1024) cookieHeaders.clear();
    const parsed: CookiePair[] = [];
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      parsed.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
    }
    cookieHeaders.set(header, (pairs = parsed));
  }
  return pairs;
}

function preflightRecord(r: RequestObservation): PreflightRecord {
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
  // Attempts from one page come in runs (a retry storm): a run is looked up once.
  let previous: string | null = null;
  for (const { attempt } of work) {
    const url = attempt.pageUrl;
    if (url === previous) continue;
    previous = url;
    if (url && !known.has(url)) {
      known.add(url);
      out.push({ kind: 'page', source: attempt.sources[0] ?? 'har', url, startedAt: attempt.startedAt });
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
