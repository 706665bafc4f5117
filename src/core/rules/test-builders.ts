// Realistic connections for the rule tests: a 6.12 browser client (v=29, ca=8) behind a load
// balancer that serves Diffusion under the prefix /lb, page https://app.example.com/trade.
import type {
  AnalysisContext, Attempt, Connection, ConnectionResponse, Endpoint, HandshakeParams, Outcome, PollSummary, PreflightRecord,
} from '../model.ts';
import { isSuccessCode, responseCodeName } from '../diffusion/response-codes.ts';
import { pathPrefix } from '../diffusion/handshake.ts';

export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
export const PAGE = 'https://app.example.com/trade';
export const PASSWORD = 'hunter2-secret';

/** The credential tunnel of a PLAIN password: base64([1, varint len, ...utf8]). */
export function tunnel(password: string): string {
  const bytes = Buffer.from(password, 'utf8');
  return Buffer.from([1, bytes.length, ...bytes]).toString('base64');
}

export function endpoint(o: Partial<Endpoint> = {}): Endpoint {
  const path = o.path ?? '/lb/diffusion';
  const secure = o.secure ?? true;
  return {
    host: o.host ?? 'push.example.com',
    port: o.port ?? (secure ? 443 : 80),
    secure,
    path,
    prefix: o.prefix ?? pathPrefix(path),
  };
}

export function params(o: Partial<HandshakeParams> = {}): HandshakeParams {
  return {
    version: 29, capabilities: 8, reconnectTimeoutMs: 60000, hasToken: false, clientSequence: null, serverSequence: null,
    sessionProperties: { $Environment: 'BROWSER' }, principal: null, hasPassword: false, credentialType: null, ...o,
  };
}

export function response(code = 100, o: Partial<ConnectionResponse> = {}): ConnectionResponse {
  const success = isSuccessCode(code);
  return {
    protocolByte: 35, version: 29, code, name: responseCodeName(code), success,
    sessionId: success ? '4f3c2a1b00000001-9e8d7c6b00000002' : null,
    token: success ? 'TOKENtokenTOKENtokenTOKE' : null,
    pingPeriodMs: success ? 90000 : null, trailer: success ? 10485760 : null, length: success ? 55 : 3, ...o,
  };
}

export function polls(o: Partial<PollSummary> = {}): PollSummary {
  return { polls: 4, sends: 1, failedStatuses: [], reconnectSignals: 0, firstAt: T0 + 100, lastAt: T0 + 30000, ...o };
}

export type AttemptOverrides = Partial<Omit<Attempt, 'endpoint' | 'params'>> & {
  endpoint?: Partial<Endpoint>;
  params?: Partial<HandshakeParams>;
  /** Cleartext password: the builder puts its tunnel in the URL (WebSocket) or header (XHR). */
  password?: string;
};

let counter = 0;

/** One handshake attempt; by default a WebSocket to wss://push.example.com/lb/diffusion answered 100 OK. */
export function attempt(o: AttemptOverrides = {}): Attempt {
  counter += 1;
  const transport = o.transport ?? 'WEBSOCKET';
  const e = endpoint(o.endpoint);
  const p = params({ ...(o.password !== undefined ? { hasPassword: true, credentialType: 'PLAIN' as const } : {}), ...o.params });
  const reconnect = o.reconnect ?? p.hasToken;
  const result = o.result ?? 'connected';
  const rsp = o.response !== undefined ? o.response : result === 'connected' ? response(reconnect ? 105 : 100) : null;
  const scheme = transport === 'WEBSOCKET' ? (e.secure ? 'wss' : 'ws') : e.secure ? 'https' : 'http';
  const base = `${scheme}://${e.host}${e.port === (e.secure ? 443 : 80) ? '' : `:${e.port}`}${e.path}`;
  const requestHeaders: Record<string, string> = {};
  let url = base;
  if (transport === 'WEBSOCKET') {
    url += `?ty=WB&v=${p.version ?? 29}&ca=${p.capabilities ?? 8}&r=${p.reconnectTimeoutMs ?? 60000}`;
    if (reconnect) url += '&c=TOKENtokenTOKENtokenTOKE&cs=0&ss=3';
    if (p.principal !== null) url += `&username=${encodeURIComponent(p.principal)}`;
    if (o.password !== undefined) url += `&password=${encodeURIComponent(tunnel(o.password))}`;
  } else {
    Object.assign(requestHeaders, { ty: 'B', v: String(p.version ?? 29), ca: String(p.capabilities ?? 8), r: String(p.reconnectTimeoutMs ?? 60000), m: '0' });
    if (reconnect) requestHeaders['c'] = 'TOKENtokenTOKENtokenTOKE';
    if (p.principal !== null) requestHeaders['username'] = encodeURIComponent(p.principal);
    if (o.password !== undefined) requestHeaders['password'] = tunnel(o.password);
  }
  const startedAt = o.startedAt ?? T0;
  return {
    id: o.id ?? `a${counter}`,
    transport,
    url: o.url ?? url,
    endpoint: e,
    params: p,
    requestHeaders: o.requestHeaders ?? requestHeaders,
    responseHeaders: o.responseHeaders ?? {},
    startedAt,
    endedAt: o.endedAt !== undefined ? o.endedAt : startedAt + 40,
    httpStatus: o.httpStatus !== undefined ? o.httpStatus : transport === 'WEBSOCKET' ? (rsp ? 101 : 0) : rsp ? 200 : 0,
    error: o.error ?? null,
    response: rsp,
    responseError: o.responseError ?? null,
    result,
    reconnect,
    closeCode: o.closeCode ?? null,
    closedAt: o.closedAt ?? null,
    pageUrl: o.pageUrl !== undefined ? o.pageUrl : PAGE,
    sources: o.sources ?? ['har'],
    polls: o.polls !== undefined ? o.polls : null,
    cookies: o.cookies ?? {},
    ...(o.answerText !== undefined ? { answerText: o.answerText } : {}),
    ...(o.errorByProxy ? { errorByProxy: true } : {}),
  };
}

/** A failed attempt: no response, status 0, an error string. */
export function failedAttempt(o: AttemptOverrides = {}): Attempt {
  return attempt({ result: 'failed', response: null, error: 'net::ERR_FAILED', ...o });
}

export function rejectedAttempt(code: number, o: AttemptOverrides = {}): Attempt {
  return attempt({ result: 'rejected', response: response(code), ...o });
}

function outcomeOf(attempts: readonly Attempt[]): Outcome {
  if (attempts.some((a) => a.result === 'connected')) return 'connected';
  if (attempts.some((a) => a.result === 'rejected')) return 'rejected';
  if (attempts.length > 0 && attempts.every((a) => a.result === 'failed')) return 'exhausted';
  return 'unknown';
}

let connections = 0;

export function connection(attempts: Attempt[], o: Partial<Connection> = {}): Connection {
  connections += 1;
  const first = attempts[0];
  return {
    id: o.id ?? `c${connections}`,
    endpoint: o.endpoint ?? first?.endpoint ?? endpoint(),
    clientVersion: '6.12.1',
    protocolVersion: first?.params.version ?? 29,
    outcome: o.outcome ?? outcomeOf(attempts),
    attempts,
    startedAt: first?.startedAt ?? T0,
    pageUrl: first?.pageUrl ?? PAGE,
    client: 'browser',
    ...o,
  };
}

export function preflight(o: Partial<PreflightRecord> = {}): PreflightRecord {
  return {
    url: 'https://push.example.com/lb/diffusion', startedAt: T0, status: 200, error: null,
    requestedHeaders: 'ca,m,password,r,sp,ty,username,v', allowHeaders: 'ca,m,password,r,sp,ty,username,v,c,s', allowOrigin: 'https://app.example.com', pageUrl: PAGE, ...o,
  };
}

export function context(o: Partial<AnalysisContext> = {}): AnalysisContext {
  return { pages: [{ kind: 'page', source: 'har', url: PAGE, startedAt: T0 - 1000, clientVersion: '6.12.1' }], preflights: [], ...o };
}

/** All text a finding shows, for secret checks. */
export function shownText(findings: readonly { message: string; fix: string }[]): string {
  return findings.map((f) => `${f.message}\n${f.fix}`).join('\n');
}
