// The shapes that flow through the core: Observation[] → (reconstruct) → Connection[] → (rules) → Finding[].
// Everything here is plain data (JSON-safe apart from Uint8Array bodies) so it crosses extension
// messaging, storage.session and worker boundaries unchanged.

export type Transport = 'WEBSOCKET' | 'XHR';

/** Where an observation came from. Sources differ in what they can see (see docs/design.md). */
export type SourceName = 'har' | 'hook' | 'webRequest' | 'devtools' | 'cdp';

/** Lower-cased header name → value. Repeated headers are joined with "\n" (as HAR and fetch do for Set-Cookie). */
export type Headers = Record<string, string>;

/**
 * One network request as one source saw it. Sources fill what they can; everything but
 * `source`, `transport`, `url` and `startedAt` may be missing. Two sources seeing the same
 * request produce two observations, merged by `mergeObservations`.
 */
export interface RequestObservation {
  kind: 'request';
  source: SourceName;
  /** A source-local id (HAR entry index, webRequest requestId, hook socket id) used only for merging. */
  sourceId?: string;
  /** WEBSOCKET for upgrades, XHR for every HTTP request (XHR/fetch/preflight). */
  transport: Transport;
  url: string;
  method?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** The source recorded no start time (Chrome's 1969-12-31 for refused sockets): `startedAt` is its neighbour's. */
  startUnknown?: boolean;
  /**
   * `startedAt` is when the source reported the request ended (a live DevTools entry with no start
   * time): the request started at or before it, by as much as the source lagged.
   */
  datedAtEnd?: boolean;
  endedAt?: number;
  requestHeaders?: Headers;
  responseHeaders?: Headers;
  /** HTTP status: 101 for an accepted upgrade; 0 or missing when none was received. */
  status?: number;
  /** A network or browser error string, e.g. "net::ERR_FAILED", "SecurityError: …". */
  error?: string;
  /** WEBSOCKET: the first inbound message; XHR: the response body. Raw bytes. */
  body?: Uint8Array;
  /** True when `body` came from a text WebSocket frame (a parse error for the client). */
  bodyIsText?: boolean;
  /** WEBSOCKET: the source records no messages at all (Firefox's HAR), so a missing first frame says nothing. */
  framesUnknown?: boolean;
  /** True when the body was decoded as text by the browser and bytes ≥0x80 may have been replaced. */
  bodyLossy?: boolean;
  /** WEBSOCKET: close code and time, when the source saw the close. */
  closeCode?: number;
  closedAt?: number;
  /** The document that made the request, when known (HAR page, hook location, webRequest initiator). */
  pageUrl?: string;
  /** True for a CORS preflight (OPTIONS) request. */
  preflight?: boolean;
  /** Frame / tab labels, for display. */
  frameId?: string;
  /**
   * `error` is an intercepting proxy's own: it recorded that it could not reach the server
   * (mitmproxy ≥ 10.1: status 0 with `_error`, e.g. "[Errno 111] Connect call failed"), so the
   * request never got to the server and the client saw the proxy's failure, not the server's.
   */
  errorByProxy?: boolean;
}

/** Something known about the page rather than one request. */
export interface PageObservation {
  kind: 'page';
  source: SourceName;
  url: string;
  startedAt: number;
  /** `window.diffusion.version` when the hook could read it. */
  clientVersion?: string;
}

export type Observation = RequestObservation | PageObservation;

export type DiffusionRole = 'ws-handshake' | 'xhr-handshake' | 'xhr-poll' | 'xhr-send';

export interface Endpoint {
  host: string;
  port: number;
  secure: boolean;
  /** The full request path, e.g. "/lb/app/diffusion". */
  path: string;
  /** The path before the trailing "/diffusion" (the load-balancer prefix), "" when none. */
  prefix: string;
}

/** What the handshake request says about the client's configuration. */
export interface HandshakeParams {
  /** Protocol version `v`. */
  version: number | null;
  /** Capabilities bitmask `ca`. */
  capabilities: number | null;
  /** Reconnect timeout `r` in ms. */
  reconnectTimeoutMs: number | null;
  /** A reconnect token `c` was sent (a reconnect or a reconnect attempt). */
  hasToken: boolean;
  /** Client / server sequence numbers sent with a reconnect. */
  clientSequence: number | null;
  serverSequence: number | null;
  /** Decoded session properties `sp`, or the raw text when it is not JSON. */
  sessionProperties: Record<string, unknown> | string | null;
  /** The principal (`username`), decoded. */
  principal: string | null;
  /** A `password` credential tunnel was sent. */
  hasPassword: boolean;
  /** Credential type from the tunnel: NONE, PLAIN, CUSTOM (never the value). */
  credentialType: 'NONE' | 'PLAIN' | 'CUSTOM' | null;
  /** The client type `ty` as sent (WB, B, WJ, WIOS, PY, …), null when none was sent. */
  clientType?: string | null;
  /**
   * Where the parameters travelled: the URL query (JavaScript, Java up to 6.1), request headers (XHR,
   * Java 6.2+, Apple, Python), or nowhere: an upgrade on …/diffusion without any, which a proxy stripped.
   */
  carrier?: 'query' | 'headers' | 'none';
}

export type ResponseFamily = '5.9' | '6.x';

/** A decoded connection response (§3 of the protocol fact sheet). */
export interface ConnectionResponse {
  protocolByte: number;
  version: number;
  code: number;
  /** Name of the code, e.g. "AUTHENTICATION_FAILED"; "UNKNOWN" when neither client family defines it. */
  name: string;
  /** True for 100/105/106. */
  success: boolean;
  sessionId: string | null;
  /** Printable form of the token; a secret, never in output. */
  token: string | null;
  pingPeriodMs: number | null;
  /** 100/106: maximum message size; 105: recovery sequence. */
  trailer: number | null;
  /** Total bytes read. */
  length: number;
}

export interface ResponseDecodeError {
  error: string;
  /** Up to the first 64 bytes, hex, for evidence. */
  hex: string;
}

export type AttemptResult = 'connected' | 'rejected' | 'failed' | 'unknown';

/** Long-poll traffic that belongs to an XHR session. */
export interface PollSummary {
  polls: number;
  sends: number;
  /** Poll or send answers with status ≠ 200. */
  failedStatuses: number[];
  /** Answers carrying `diffusion-connection: reconnect`. */
  reconnectSignals: number;
  firstAt: number | null;
  lastAt: number | null;
}

/** One transport attempt: a WebSocket upgrade or an XHR m=0 handshake. */
export interface Attempt {
  id: string;
  transport: Transport;
  /** The request URL exactly as sent (contains secrets: redact before output). */
  url: string;
  endpoint: Endpoint;
  params: HandshakeParams;
  /** Request headers as sent (XHR handshakes carry the parameters here; contains secrets). */
  requestHeaders: Headers;
  responseHeaders: Headers;
  startedAt: number;
  endedAt: number | null;
  httpStatus: number | null;
  error: string | null;
  response: ConnectionResponse | null;
  responseError: ResponseDecodeError | null;
  result: AttemptResult;
  /** The attempt carried a reconnect token `c`. */
  reconnect: boolean;
  /** WebSocket close after the connection was established. */
  closeCode: number | null;
  closedAt: number | null;
  pageUrl: string | null;
  sources: SourceName[];
  /** XHR only: polls and sends linked to this handshake by token. */
  polls: PollSummary | null;
  /** Cookie name → values seen on this attempt's session, in order (handshake and its polls). */
  cookies: Record<string, string[]>;
  /**
   * The start of an answer that is not a connection response (an error page, a web page, a JSON
   * document), as text: what answered, for naming the intermediary. Untrusted; never shown as is.
   */
  answerText?: string;
  /** `error` is an intercepting proxy's own: it could not reach the server (see RequestObservation). */
  errorByProxy?: boolean;
}

/**
 * How a connection ended, in the words a user asks about:
 * - connected: it has a session and nothing ended it in the capture;
 * - lost: it had a session, then lost it without the application closing it (117 on reconnect,
 *   reconnects exhausted, a poll that lost its session);
 * - closed: the application closed it cleanly (neutral: not a drop, not an error);
 * - rejected: the server answered with a failure code;
 * - exhausted: every transport failed without a connection response;
 * - timeout / unknown: no answer within the capture / the capture cannot tell.
 */
export type Outcome = 'connected' | 'lost' | 'closed' | 'rejected' | 'exhausted' | 'timeout' | 'unknown';

/**
 * The client library that made a connection, from its client type `ty` and its `$Environment`
 * session property (the `diffusion` npm typings' ClientType: JAVASCRIPT_BROWSER, ANDROID, C, DOTNET,
 * IOS, JAVA, MQTT, PYTHON, OTHER).
 */
export type ClientFamily = 'browser' | 'node' | 'java' | 'android' | 'apple' | 'python' | 'dotnet' | 'c' | 'unknown';

/** One `diffusion.connect()` worth of attempts (the cascade), plus its reconnects. */
export interface Connection {
  id: string;
  endpoint: Endpoint;
  clientVersion: string | null;
  protocolVersion: number | null;
  outcome: Outcome;
  /** First-connect attempts and reconnect attempts, in start order. */
  attempts: Attempt[];
  startedAt: number;
  pageUrl: string | null;
  /** The client library that made it, from `ty` and `$Environment` (see clientFamily in diffusion/client-family.ts). */
  client: ClientFamily;
}

/** A CORS preflight that belongs to the Diffusion XHR transport (it asks for the `m` header). */
export interface PreflightRecord {
  url: string;
  startedAt: number;
  status: number | null;
  error: string | null;
  /** Access-Control-Request-Headers: what the browser asked permission to send. */
  requestedHeaders: string | null;
  allowHeaders: string | null;
  allowOrigin: string | null;
  pageUrl: string | null;
}

/** A script the page loaded to run a Diffusion session in a worker, whose traffic the page's capture cannot show. */
export interface WorkerScriptRecord {
  url: string;
  startedAt: number;
  status: number | null;
  pageUrl: string | null;
}

/** Everything the rules may look at besides the connections. */
export interface AnalysisContext {
  pages: PageObservation[];
  preflights: PreflightRecord[];
  /** Worker scripts that run a Diffusion session (`diffusion.connect(options, name, 'diffusion-worker.js')`). */
  workers?: WorkerScriptRecord[];
  /** What the capture cannot show (e.g. it keeps no WebSocket messages), each said once for the whole analysis. */
  notes?: string[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
  connection: string | null;
  attempts: string[];
}

export interface Rule {
  id: string;
  /** The highest severity the rule can raise (for `dci rules`). */
  severity: Severity;
  /** One line: what the rule detects. */
  summary: string;
  /** The client families the rule can be raised for; absent means every client. */
  clients?: readonly ClientFamily[];
  check(connections: readonly Connection[], context: AnalysisContext): Finding[];
}

/**
 * The answer to "why did this connection go this way, and what do I change?": one finding as the
 * root cause, the evidence that proves it, the fix, and the other findings of the same connections
 * as its consequences. Connections with the same cause share one verdict (an application retrying
 * into the same wall is one story). Produced by `diagnose` after the rules.
 */
export interface Verdict {
  /** Stable within one analysis: the cause's rule id and its place, e.g. "cors-preflight-failed#1". */
  id: string;
  /** The root cause's rule id. */
  rule: string;
  severity: Severity;
  /** One line in words: what happened and why, e.g. "XHR fallback blocked by CORS: the preflight was answered 403". */
  title: string;
  /** The cause's explanation (the root finding's message, or one written for the group). */
  message: string;
  /** Facts from the capture that prove the cause, one per line, redacted. */
  evidence: string[];
  fix: string;
  /** The connections this verdict explains, in capture order. */
  connections: string[];
  /** The attempts the cause points at. */
  attempts: string[];
  /** The root finding(s): one per connection the verdict groups. */
  causes: Finding[];
  /** The other findings of these connections, which the cause explains. */
  consequences: Finding[];
}

export interface Analysis {
  connections: Connection[];
  findings: Finding[];
  /** Ordered by severity, then by how much they explain. */
  verdicts: Verdict[];
  context: AnalysisContext;
}
