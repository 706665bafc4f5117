// An intermediary (proxy, load balancer, firewall, NAT) that drops connections idle for longer than
// its timeout cuts Diffusion sessions whenever the timeout is shorter than the server's ping
// period. Its fingerprint: several established connections closed by the network after about the
// same lifetime, each shorter than the ping period.
import type { Attempt, Connection, Rule } from '../model.ts';
import { duration, hostPort, listing, plural } from './format.ts';
import { allAttempts, commonConnection, finding, groupBy } from './facts.ts';
import { idleTimeoutFix, intermediaryOf } from './intermediary.ts';

/** At least this many drops at a similar lifetime. */
export const IDLE_MIN_DROPS = 2;
/** Lifetimes within ±20 % of each other count as similar. */
export const IDLE_TOLERANCE = 0.2;

const CLOSED_BY_CLIENT = 1000;
const FIRST_APPLICATION_CODE = 3000;

/**
 * How long an established session lived before the network ended it, or null. Measured from the
 * start of the handshake: captures disagree on what `endedAt` of a WebSocket means (end of the
 * upgrade, or of the whole socket), and the handshake takes milliseconds against minutes.
 */
export function networkDropLifetime(a: Attempt, c: Connection): number | null {
  if (a.result !== 'connected') return null;
  if (a.transport === 'WEBSOCKET') {
    if (a.closedAt === null) return null;
    if (a.closeCode === null) {
      // No close code seen (HAR has none): a later reconnect shows the client did not close it.
      if (!c.attempts.slice(c.attempts.indexOf(a) + 1).some((x) => x.reconnect)) return null;
    } else if (a.closeCode === CLOSED_BY_CLIENT || a.closeCode >= FIRST_APPLICATION_CODE) {
      return null;
    }
    return a.closedAt - a.startedAt;
  }
  // XHR: the session ended with failing polls; the last poll answer marks the end.
  if (!a.polls || a.polls.failedStatuses.length === 0 || a.polls.lastAt === null) return null;
  return a.polls.lastAt - a.startedAt;
}

function how(a: Attempt): string {
  if (a.transport === 'WEBSOCKET') return a.closeCode === null ? 'closed, then reconnected' : `close code ${a.closeCode}`;
  return `poll status ${listing([...new Set(a.polls?.failedStatuses ?? [])].map(String))}`;
}

export const idleTimeoutDisconnect: Rule = {
  id: 'idle-timeout-disconnect',
  severity: 'warning',
  summary: 'Established connections were repeatedly closed by the network after a similar time shorter than the ping period.',
  check(connections) {
    const drops = allAttempts(connections).flatMap((e) => {
      const lifetime = networkDropLifetime(e.attempt, e.connection);
      const ping = e.attempt.response?.pingPeriodMs ?? null;
      if (lifetime === null || lifetime <= 0 || ping === null || ping <= 0 || lifetime >= ping) return [];
      return [{ ...e, lifetime, ping }];
    });
    return [...groupBy(drops, (d) => hostPort(d.attempt.endpoint)).values()].flatMap((group) => {
      // The largest set of lifetimes within the tolerance of one of them (earliest anchor on ties).
      let best: typeof group = [];
      for (const anchor of group) {
        const similar = group.filter((d) => Math.abs(d.lifetime - anchor.lifetime) <= IDLE_TOLERANCE * anchor.lifetime);
        if (similar.length > best.length) best = similar;
      }
      if (best.length < IDLE_MIN_DROPS) return [];
      const lifetimes = best.map((d) => d.lifetime);
      const low = Math.min(...lifetimes);
      const high = Math.max(...lifetimes);
      const ping = Math.min(...best.map((d) => d.ping));
      const evidence = [...new Set(best.map((d) => how(d.attempt)))];
      return [finding(idleTimeoutDisconnect, {
        message: `${plural(best.length, 'established connection')} to ${hostPort(best[0]!.attempt.endpoint)} ended after ${low === high ? duration(low) : `${duration(low)} to ${duration(high)}`} (${listing(evidence)}), each shorter than the server's ping period of ${duration(ping)}: an intermediary (proxy, load balancer or firewall) drops connections idle for about ${duration(low)}.`,
        fix: `${idleTimeoutFix(intermediaryOf(best.map((d) => d.attempt)), duration(ping), best[0]!.attempt.endpoint.host)}, or lower the Diffusion server's system ping period below ${duration(low)}.`,
        connection: commonConnection(best),
        attempts: best.map((d) => d.attempt),
      })];
    });
  },
};
