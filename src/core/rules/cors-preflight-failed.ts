// The XHR transport sends its parameters as custom request headers, so a cross-origin XHR fallback
// needs a CORS preflight that allows them. Evidence: failed preflights in the context, matched to
// XHR handshakes by origin, path and time, and cross-origin XHR handshakes that died with status 0
// and no response (how a browser reports a CORS failure to the network log).
import type { Attempt, Connection, PreflightRecord, Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing, pageOrigin, plural } from './format.ts';
import { failedWithoutResponse, finding, groupBy, isMixedContentBlocked, noHttpStatus, originOf, pageUrlOf, xhrOrigin } from './facts.ts';
import { redactUrl } from '../diffusion/redact.ts';

export const HANDSHAKE_HEADERS: readonly string[] = ['ca', 'm', 'password', 'r', 'sp', 'ty', 'username', 'v'];
export const POLL_HEADERS: readonly string[] = ['c', 'm', 's', 'v'];
/** Asked for by every Diffusion preflight, handshake or poll: their absence is a failure for sure. */
const ALWAYS_ASKED = ['m', 'v'];
/** A preflight this close to an XHR handshake to the same URL belongs to it. */
export const PREFLIGHT_MATCH_MS = 5_000;

const CORS_LIKE_ERROR = /cors|access-control|ERR_FAILED/i;
// Failures below CORS: the host is down, unknown or unreachable, so no CORS header could help.
// Chromium says net::ERR_*; Firefox NS_ERROR_* (and SSL_ERROR_*, SEC_ERROR_* for TLS).
const NETWORK_ERROR = /ERR_(CONNECTION_(REFUSED|RESET|CLOSED|TIMED_OUT|FAILED)|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|TIMED_OUT|INTERNET_DISCONNECTED|CERT_|SSL_|BLOCKED_BY_CLIENT)|NS_ERROR_(CONNECTION_REFUSED|NET_(RESET|INTERRUPT|TIMEOUT)|UNKNOWN_HOST|OFFLINE)|SSL_ERROR_|SEC_ERROR_|MOZILLA_PKIX_ERROR_/i;

/** Why a preflight failed, or [] when it passed. */
export function preflightProblems(p: PreflightRecord): string[] {
  const problems: string[] = [];
  if (p.error !== null && NETWORK_ERROR.test(p.error)) return [];
  if (p.error !== null) problems.push(`the OPTIONS preflight failed with ${errorLabel(p.error)}`);
  else if (p.status === null || p.status === 0) problems.push('the OPTIONS preflight got no HTTP answer');
  else if (p.status < 200 || p.status > 299) problems.push(`the OPTIONS preflight was answered ${p.status}`);
  if (p.error === null && p.status !== null && p.status >= 200 && p.status <= 299) {
    if (p.allowOrigin === null) problems.push('the preflight answer has no Access-Control-Allow-Origin');
    else if (p.allowOrigin !== '*' && p.pageUrl !== null && p.allowOrigin !== pageOrigin(p.pageUrl)) {
      problems.push(`the preflight answer allows the origin '${p.allowOrigin}', not the page's`);
    }
    const allowed = new Set((p.allowHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''));
    // Every header the browser asked for must be allowed; without the request's list, at least m and v.
    const asked = splitList(p.requestedHeaders);
    const missing = allowed.has('*') ? [] : (asked.length ? asked : ALWAYS_ASKED).filter((h) => !allowed.has(h));
    if (p.allowHeaders === null) problems.push('the preflight answer has no Access-Control-Allow-Headers');
    else if (missing.length > 0) problems.push(`its Access-Control-Allow-Headers lacks ${listing(missing)}`);
  }
  return problems;
}

function splitList(v: string | null): string[] {
  return (v ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}

function isCrossOrigin(a: Attempt, c: Connection): boolean {
  const page = pageUrlOf(a, c);
  const origin = page === null ? null : originOf(page);
  return origin !== null && origin !== xhrOrigin(a.endpoint);
}

/** A cross-origin XHR handshake that failed the way CORS failures look. */
function looksBlockedByCors(a: Attempt, c: Connection): boolean {
  if (a.transport !== 'XHR' || !failedWithoutResponse(a) || !isCrossOrigin(a, c) || isMixedContentBlocked(a, pageUrlOf(a, c))) return false;
  if (noHttpStatus(a)) return a.error === null ? !hostUnreachable(a, c) : CORS_LIKE_ERROR.test(a.error) && !NETWORK_ERROR.test(a.error);
  // The server answered but without Access-Control-Allow-Origin: the browser hid the answer.
  const s = a.httpStatus ?? 0;
  return s >= 200 && s <= 299 && Object.keys(a.responseHeaders).length > 0 && a.responseHeaders['access-control-allow-origin'] === undefined;
}

// Host and port of every attempt of a connection that failed below HTTP, one pass per connection.
const unreachableHosts = new WeakMap<Connection, Set<string>>();

/**
 * Another attempt of the connection to the same host failed below HTTP: a silent XHR failure is that,
 * not CORS. A WebSocket upgrade is not subject to CORS, so one that got no HTTP answer at all (no
 * status, no error text: Firefox's HAR; or the listener closed at once) says the host did not speak
 * HTTP there either.
 */
function hostUnreachable(a: Attempt, c: Connection): boolean {
  let hosts = unreachableHosts.get(c);
  if (!hosts) {
    hosts = new Set(c.attempts
      .filter((x) => (x.error !== null && NETWORK_ERROR.test(x.error)) || (x.transport === 'WEBSOCKET' && noHttpAnswer(x, c)))
      .map((x) => `${x.endpoint.host} ${x.endpoint.port}`));
    unreachableHosts.set(c, hosts);
  }
  return hosts.has(`${a.endpoint.host} ${a.endpoint.port}`);
}

const NO_HANDSHAKE_ANSWER = /closed before receiving a handshake response|ERR_EMPTY_RESPONSE/i;

function noHttpAnswer(ws: Attempt, c: Connection): boolean {
  if (!failedWithoutResponse(ws) || !noHttpStatus(ws) || isMixedContentBlocked(ws, pageUrlOf(ws, c))) return false;
  return ws.error === null || NO_HANDSHAKE_ANSWER.test(ws.error);
}

function unreachable(a: Attempt, c: Connection): boolean {
  return (a.error !== null && NETWORK_ERROR.test(a.error)) || hostUnreachable(a, c);
}

function preflightTarget(p: PreflightRecord): string {
  try {
    const u = new URL(p.url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return redactUrl(p.url).split(/[?#]/)[0] ?? '';
  }
}

function matches(p: PreflightRecord, a: Attempt, c: Connection): boolean {
  if (a.transport !== 'XHR' || Math.abs(a.startedAt - p.startedAt) > PREFLIGHT_MATCH_MS) return false;
  if (preflightTarget(p) !== `${xhrOrigin(a.endpoint)}${a.endpoint.path}`) return false;
  const page = pageUrlOf(a, c);
  return p.pageUrl === null || page === null || pageOrigin(p.pageUrl) === pageOrigin(page);
}

function fixFor(host: string, path: string, page: string | null): string {
  const origin = page ?? 'the page origin';
  return `Make ${host} (the server or the load balancer in front of it) answer OPTIONS on '${path}' with 200, Access-Control-Allow-Origin: ${origin} and Access-Control-Allow-Headers: ${[...new Set([...HANDSHAKE_HEADERS, ...POLL_HEADERS])].join(', ')}; add Access-Control-Expose-Headers: diffusion-connection to the POST answers so the client sees reconnect requests.`;
}

export const corsPreflightFailed: Rule = {
  id: 'cors-preflight-failed',
  severity: 'error',
  summary: 'The cross-origin XHR fallback failed its CORS preflight.',
  // CORS is the browser's: only its XHR transport sends preflights.
  clients: ['browser'],
  check(connections, context) {
    const failedPreflights = context.preflights.map((p) => ({ p, problems: preflightProblems(p), target: preflightTarget(p) })).filter((x) => x.problems.length > 0);
    // By target and start time, so each handshake looks only at the preflights near it.
    const byTarget = groupBy(failedPreflights, (x) => x.target);
    for (const list of byTarget.values()) list.sort((x, y) => x.p.startedAt - y.p.startedAt);
    const near = (a: Attempt, c: Connection): typeof failedPreflights => {
      if (a.transport !== 'XHR') return [];
      const list = byTarget.get(`${xhrOrigin(a.endpoint)}${a.endpoint.path}`);
      if (!list) return [];
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid]!.p.startedAt < a.startedAt - PREFLIGHT_MATCH_MS) lo = mid + 1;
        else hi = mid;
      }
      const out: typeof failedPreflights = [];
      for (let i = lo; i < list.length && list[i]!.p.startedAt <= a.startedAt + PREFLIGHT_MATCH_MS; i++) if (matches(list[i]!.p, a, c)) out.push(list[i]!);
      return out;
    };
    const matched = new Set<PreflightRecord>();
    const perConnection = connections.flatMap((c) => {
      const attempts: Attempt[] = [];
      const problems: string[] = [];
      for (const a of c.attempts) {
        // Only the XHR transport is subject to CORS (near and looksBlockedByCors say so too).
        if (a.transport !== 'XHR') continue;
        let pre = near(a, c);
        // A preflight that got no HTTP answer from a host that is down failed below CORS: Chromium's
        // webRequest reports it as net::ERR_FAILED while the request itself says ERR_CONNECTION_RESET.
        if (unreachable(a, c)) {
          for (const x of pre) if (x.p.status === null || x.p.status === 0) matched.add(x.p);
          pre = pre.filter(({ p }) => p.status !== null && p.status !== 0);
        }
        const blocked = looksBlockedByCors(a, c);
        if (pre.length === 0 && !blocked) continue;
        attempts.push(a);
        for (const { p, problems: ps } of pre) { matched.add(p); problems.push(...ps); }
        if (blocked && pre.length === 0) {
          problems.push(noHttpStatus(a)
            ? `the handshake failed with status 0${a.error !== null ? ` (${errorLabel(a.error)})` : ''} and no response, which is how the browser reports a blocked cross-origin request`
            : `the handshake was answered ${a.httpStatus} without Access-Control-Allow-Origin, so the browser hid the answer from the client`);
        }
      }
      const first = attempts[0];
      if (!first) return [];
      const page = pageUrlOf(first, c);
      const pageText = page !== null ? ` for the page ${pageOrigin(page)}` : '';
      return [finding(corsPreflightFailed, {
        message: `The XHR transport to ${listing([...new Set(attempts.map(attemptLocation))])} is cross-origin${pageText}, so the browser asks the server first with a CORS preflight, and the request was refused: ${[...new Set(problems)].join('; ')}.`,
        fix: fixFor(first.endpoint.host, first.endpoint.path, page !== null ? pageOrigin(page) : null),
        connection: c.id,
        attempts,
      })];
    });
    // Failed preflights without a handshake to pin them on still show the problem.
    const unmatched = failedPreflights.filter(({ p }) => !matched.has(p));
    const loose = [...groupBy(unmatched, ({ p }) => `${preflightTarget(p)} ${p.pageUrl === null ? '' : pageOrigin(p.pageUrl)}`).values()].map((group) => {
      const { p } = group[0]!;
      const target = preflightTarget(p);
      const page = p.pageUrl !== null ? pageOrigin(p.pageUrl) : null;
      let host = target;
      let path = '/diffusion';
      try { const u = new URL(p.url); host = u.host; path = u.pathname; } catch { /* keep the defaults */ }
      return finding(corsPreflightFailed, {
        message: `${plural(group.length, 'CORS preflight')} of the Diffusion XHR transport to ${target}${page !== null ? ` from the page ${page}` : ''} failed: ${[...new Set(group.flatMap((g) => g.problems))].join('; ')}.`,
        fix: fixFor(host, path, page),
        connection: null,
        attempts: [],
      });
    });
    return [...perConnection, ...loose];
  },
};
