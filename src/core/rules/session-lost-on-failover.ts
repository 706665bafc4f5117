// A session lost because its server went away: the connection dropped, the reconnect reached another
// server, and that one answered 117 UNKNOWN_SESSION. Sessions do not move between servers unless
// the cluster replicates them, so affinity cannot save a session whose server died. Evidence that
// the server went away (not merely that the balancer had no affinity): the balancer replaced the
// affinity cookie the reconnect carried (HAProxy's `cookie … insert` does that when the server is
// DOWN), or between the drop and the 117 the proxy answered 502/503 or the server refused connections.
import type { Attempt, Connection, Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing, plural, quoted } from './format.ts';
import { finding, UNKNOWN_SESSION } from './facts.ts';
import { intermediaryOf } from './intermediary.ts';

const SERVER_GONE_STATUSES = new Set([502, 503]);
const SERVER_GONE_ERROR = /ERR_CONNECTION_(REFUSED|RESET|CLOSED)|ERR_EMPTY_RESPONSE|NS_ERROR_CONNECTION_REFUSED|NS_ERROR_NET_RESET/;

export interface FailoverEvidence {
  /** The reconnects answered 117. */
  unknown: Attempt[];
  /** Attempts between the drop and the 117 that show the server gone, and the 117s that replaced a cookie. */
  attempts: Attempt[];
  facts: string[];
  /** Cookies the balancer replaced on the 117 answer. */
  replacedCookies: string[];
}

function sentCookies(a: Attempt): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (a.requestHeaders['cookie'] ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Whether the connection lost its session to a server that went away, with the facts that show it. */
export function failoverEvidence(c: Connection): FailoverEvidence | null {
  const unknown = c.attempts.filter((a) => a.reconnect && a.response?.code === UNKNOWN_SESSION);
  if (unknown.length === 0) return null;
  const firstUnknown = c.attempts.indexOf(unknown[0]!);
  const before = c.attempts.slice(0, firstUnknown);
  // While the session lived, requests already strayed to other servers: that is missing affinity.
  if (before.some((a) => (a.polls?.reconnectSignals ?? 0) > 0)) return null;
  const facts: string[] = [];
  const attempts: Attempt[] = [];
  const replaced = new Set<string>();
  for (const a of unknown) {
    const sent = sentCookies(a);
    for (const [name, values] of Object.entries(a.cookies)) {
      const value = sent.get(name);
      if (value === undefined || value === '' || !values.some((v) => v !== '' && v !== value)) continue;
      // The cookie held one value for the whole session (affinity worked) until the server went away.
      const held = before.every((b) => (b.cookies[name] ?? []).every((v) => v === value || v === ''));
      if (held) replaced.add(name);
    }
  }
  if (replaced.size > 0) {
    facts.push(`the reconnect carried the affinity cookie${replaced.size > 1 ? 's' : ''} ${listing([...replaced].sort().map(quoted))} and the load balancer answered with a new value: the server the cookie named was no longer available`);
    attempts.push(...unknown);
  }
  // Between the last working session and the first 117: what the drop looked like.
  let lastOk = -1;
  c.attempts.forEach((a, i) => { if (i < firstUnknown && a.result === 'connected') lastOk = i; });
  const session = c.attempts[lastOk];
  const between = c.attempts.slice(lastOk + 1, firstUnknown).filter((a) => a.reconnect);
  const gone = between.filter((a) => (a.httpStatus !== null && SERVER_GONE_STATUSES.has(a.httpStatus)) || (a.error !== null && SERVER_GONE_ERROR.test(a.error)));
  if (gone.length > 0) {
    const how = [...new Set(gone.map((a) => (a.httpStatus !== null && SERVER_GONE_STATUSES.has(a.httpStatus) ? `${a.httpStatus}` : errorLabel(a.error ?? ''))))];
    facts.push(`${plural(gone.length, 'reconnect attempt')} before it ${gone.length === 1 ? 'was' : 'were'} answered ${listing(how)} (the server was down)`);
    attempts.push(...gone, ...unknown.filter((a) => !attempts.includes(a)));
  }
  const pollsGone = session?.polls?.failedStatuses.filter((s) => SERVER_GONE_STATUSES.has(s)) ?? [];
  if (pollsGone.length > 0) {
    facts.push(`the session's polls were answered ${listing([...new Set(pollsGone)].map(String))} by the proxy (it could no longer reach the server)`);
    if (session) attempts.unshift(session);
    for (const a of unknown) if (!attempts.includes(a)) attempts.push(a);
  }
  if (facts.length === 0) return null;
  return { unknown, attempts: [...new Set(attempts)].sort((x, y) => c.attempts.indexOf(x) - c.attempts.indexOf(y)), facts, replacedCookies: [...replaced] };
}

export const sessionLostOnFailover: Rule = {
  id: 'session-lost-on-failover',
  severity: 'error',
  summary: 'A session was lost because its server went away: a drop, then 117 UNKNOWN_SESSION from another server.',
  check(connections) {
    return connections.flatMap((c) => {
      const e = failoverEvidence(c);
      if (!e) return [];
      const haproxy = intermediaryOf(c.attempts) === 'haproxy' || e.replacedCookies.length > 0;
      const lb = haproxy ? ' (a load balancer such as HAProxy marks the dead server DOWN and, with option redispatch, sends the reconnect to another one)' : '';
      return [finding(sessionLostOnFailover, {
        message: `The session's server went away and the reconnect to ${listing([...new Set(e.unknown.map(attemptLocation))])} reached another server, which answered 117 UNKNOWN_SESSION: ${e.facts.join('; ')}${lb}. Sessions do not move between servers unless the cluster replicates them, so the session was lost; a sticky cookie or source-IP affinity cannot save a session whose server died.`,
        fix: 'Find out why the server went away (its log, the load balancer\'s health checks). To keep sessions through the loss of a server, enable session replication in the Diffusion cluster so another server can resume them; otherwise have the application open a new session and restore its state when the session closes (close reason 4 after 117).',
        connection: c.id,
        attempts: e.attempts,
      })];
    });
  },
};
