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
/** Lifetimes within ±20 % of each other count as similar… */
export const IDLE_TOLERANCE = 0.2;
/** …or within half a second: a capture's timings jitter by a few hundred ms whatever the timeout. */
export const IDLE_SLACK_MS = 500;

/** How far from `center` a lifetime may be and still count as the same timeout. */
function spread(center: number): number {
  return Math.max(IDLE_TOLERANCE * center, IDLE_SLACK_MS);
}

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
      if (!reconnectsAfter(c).has(a)) return null;
    } else if (a.closeCode === CLOSED_BY_CLIENT || a.closeCode >= FIRST_APPLICATION_CODE) {
      return null;
    }
    return a.closedAt - a.startedAt;
  }
  // XHR: the session ended with failing polls; the last poll answer marks the end.
  if (!a.polls || a.polls.failedStatuses.length === 0 || a.polls.lastAt === null) return null;
  return a.polls.lastAt - a.startedAt;
}

// Which attempts of a connection are followed by a reconnect: one pass per connection, remembered,
// so asking for each of 10,000 reconnects stays linear.
const followedByReconnect = new WeakMap<Connection, Set<Attempt>>();

function reconnectsAfter(c: Connection): Set<Attempt> {
  let set = followedByReconnect.get(c);
  if (!set) {
    set = new Set();
    let seen = false;
    for (let i = c.attempts.length - 1; i >= 0; i--) {
      const x = c.attempts[i]!;
      if (seen) set.add(x);
      if (x.reconnect) seen = true;
    }
    followedByReconnect.set(c, set);
  }
  return set;
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
    // One pass over every attempt, without a list per attempt (a session reconnects thousands of times).
    const drops: { attempt: Attempt; connection: Connection; lifetime: number; ping: number }[] = [];
    for (const { attempt, connection } of allAttempts(connections)) {
      const lifetime = networkDropLifetime(attempt, connection);
      const ping = attempt.response?.pingPeriodMs ?? null;
      if (lifetime === null || lifetime <= 0 || ping === null || ping <= 0 || lifetime >= ping) continue;
      drops.push({ attempt, connection, lifetime, ping });
    }
    return [...groupBy(drops, (d) => hostPort(d.attempt.endpoint)).values()].flatMap((group) => {
      // The largest set of lifetimes within the tolerance of one of them (earliest anchor on ties),
      // counted by binary search over the sorted lifetimes: n log n for thousands of drops.
      const sorted = group.map((d) => d.lifetime).sort((x, y) => x - y);
      let anchor: number | null = null;
      let most = 0;
      for (const d of group) {
        const n = countUpTo(sorted, d.lifetime + spread(d.lifetime)) - countBelow(sorted, d.lifetime - spread(d.lifetime));
        if (n > most) { most = n; anchor = d.lifetime; }
      }
      if (anchor === null || most < IDLE_MIN_DROPS) return [];
      const center = anchor;
      const best = group.filter((d) => Math.abs(d.lifetime - center) <= spread(center));
      let low = Infinity;
      let high = -Infinity;
      let ping = Infinity;
      for (const d of best) {
        low = Math.min(low, d.lifetime);
        high = Math.max(high, d.lifetime);
        ping = Math.min(ping, d.ping);
      }
      const evidence = [...new Set(best.map((d) => how(d.attempt)))];
      return [finding(idleTimeoutDisconnect, {
        message: `${plural(best.length, 'established connection')} to ${hostPort(best[0]!.attempt.endpoint)} ended after ${lifetimes(low, high)} (${listing(evidence)}), each shorter than the server's ping period of ${duration(ping)}: an intermediary (proxy, load balancer or firewall) drops connections idle for about ${duration(low)}.`,
        fix: `${idleTimeoutFix(intermediaryOf(best.map((d) => d.attempt)), duration(ping), best[0]!.attempt.endpoint.host)}, or lower the Diffusion server's system ping period below ${duration(low)}.`,
        connection: commonConnection(best),
        attempts: best.map((d) => d.attempt),
      })];
    });
  },
};

/** "59.5 s to 61 s"; "1.5 s" when both ends read the same (1,520 and 1,540 ms), not "1.5 s to 1.5 s". */
function lifetimes(low: number, high: number): string {
  const from = duration(low);
  const to = duration(high);
  return from === to ? from : `${from} to ${to}`;
}

/** How many of the sorted values are ≤ x. */
function countUpTo(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many of the sorted values are < x. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
