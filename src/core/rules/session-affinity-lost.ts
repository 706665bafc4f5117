// Requests of one session reached a server that did not know it. Evidence, per connection:
// polls answered `diffusion-connection: reconnect`, 117 UNKNOWN_SESSION answering a reconnect,
// and a session cookie that changed value within one session.
import type { Attempt, Rule } from '../model.ts';
import { attemptLocation, listing, plural, quoted } from './format.ts';
import { finding, UNKNOWN_SESSION } from './facts.ts';
import { affinityFix, intermediaryOf } from './intermediary.ts';
import { failoverEvidence } from './session-lost-on-failover.ts';

/**
 * Affinity cookies that the load balancer re-issues with a new value on every response while
 * still routing to the same target (AWS Application Load Balancer): a new value is not a new server.
 */
export const ROTATING_AFFINITY_COOKIES: readonly string[] = ['AWSALB', 'AWSALBCORS', 'AWSALBTG', 'AWSALBTGCORS', 'AWSALBAPP-0', 'AWSALBAPP-1', 'AWSALBAPP-2', 'AWSALBAPP-3'];

const ROTATING = new Set(ROTATING_AFFINITY_COOKIES.map((n) => n.toLowerCase()));

/** Cookie names with two or more distinct non-empty values within the attempt's session. */
export function changedCookies(a: Attempt): string[] {
  // Asked for every attempt; most have no cookies at all.
  const names: string[] = [];
  for (const name in a.cookies) {
    if (!Object.hasOwn(a.cookies, name)) continue;
    const values = a.cookies[name]!;
    if (values.length >= 2 && !ROTATING.has(name.toLowerCase()) && new Set(values.filter((v) => v !== '')).size >= 2) names.push(name);
  }
  return names.sort();
}

/** A sign of a lost session on this attempt alone (what `check` then weighs per connection). */
function mayShowLoss(a: Attempt): boolean {
  return (a.polls?.reconnectSignals ?? 0) > 0 || (a.reconnect && a.response?.code === UNKNOWN_SESSION) || changedCookies(a).length > 0;
}

export const sessionAffinityLost: Rule = {
  id: 'session-affinity-lost',
  severity: 'error',
  summary: 'Requests of one session reached a server that did not know the session.',
  check(connections) {
    return connections.flatMap((c) => {
      // Most connections show none of the three signs: nothing to work out.
      if (!c.attempts.some(mayShowLoss)) return [];
      // A 117 after the server went away is session-lost-on-failover: affinity would not have helped.
      const failover = failoverEvidence(c);
      const signalled = c.attempts.filter((a) => (a.polls?.reconnectSignals ?? 0) > 0);
      const unknown = failover ? [] : c.attempts.filter((a) => a.reconnect && a.response?.code === UNKNOWN_SESSION);
      const cookieChanges = c.attempts.filter((a) => changedCookies(a).length > 0 && !failover?.unknown.includes(a));
      const marked = new Set([...signalled, ...unknown, ...cookieChanges]);
      const involved = c.attempts.filter((a) => marked.has(a));
      if (involved.length === 0) return [];

      const evidence: string[] = [];
      const signals = signalled.reduce((n, a) => n + (a.polls?.reconnectSignals ?? 0), 0);
      if (signals > 0) evidence.push(`${plural(signals, 'poll answer')} carried 'diffusion-connection: reconnect' (the server that received the poll did not own the session)`);
      if (unknown.length > 0) evidence.push(`${plural(unknown.length, 'reconnect attempt')} ${unknown.length === 1 ? 'was' : 'were'} answered 117 UNKNOWN_SESSION (the server reached did not know the session, or it had expired there)`);
      const names = [...new Set(cookieChanges.flatMap(changedCookies))].sort();
      if (names.length > 0) evidence.push(`the cookie${names.length > 1 ? 's' : ''} ${listing(names.map(quoted))} changed value within one session (the load balancer assigned a different server)`);

      const path = listing([...new Set(involved.map((a) => a.endpoint.path))].map(quoted));
      return [finding(sessionAffinityLost, {
        message: `Requests of one session to ${listing([...new Set(involved.map(attemptLocation))])} reached a server that did not know it: ${evidence.join('; ')}.`,
        fix: `${affinityFix(intermediaryOf(c.attempts), path)}; keep the client's reconnect timeout within the server's so the session still exists when the client reconnects.`,
        connection: c.id,
        attempts: involved,
      })];
    });
  },
};
