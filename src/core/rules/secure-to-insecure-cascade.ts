// The Diffusion client never changes `secure` while cascading (wss falls back to https), so a secure
// attempt followed by an insecure one to the same host is application code or configuration
// retrying without TLS, within one connect() or as a new connect() shortly after.
import type { Attempt, Connection, Rule } from '../model.ts';
import { attemptLocation, duration, listing, pageOrigin } from './format.ts';
import { allAttempts, finding, pageUrlOf } from './facts.ts';

/** How long after a secure attempt ended a new connect() still counts as its retry. */
export const APP_RETRY_WINDOW_MS = 60_000;

function samePage(a: string | null, b: string | null): boolean {
  return a === null || b === null || pageOrigin(a) === pageOrigin(b);
}

interface SecureEntry {
  attempt: Attempt;
  connection: Connection;
  end: number;
}

/** Secure attempts of one host and page group, in start order, with the two that ended latest so far (from different connections). */
interface Bucket {
  entries: SecureEntry[];
  best: (SecureEntry | undefined)[];
  second: (SecureEntry | undefined)[];
}

function bucketOf(entries: SecureEntry[]): Bucket {
  entries.sort((x, y) => x.attempt.startedAt - y.attempt.startedAt);
  const best: (SecureEntry | undefined)[] = [];
  const second: (SecureEntry | undefined)[] = [];
  let b1: SecureEntry | undefined;
  let b2: SecureEntry | undefined;
  for (const e of entries) {
    if (!b1 || e.end > b1.end) {
      if (b1 && b1.connection !== e.connection) b2 = b1;
      b1 = e;
    } else if (e.connection !== b1.connection && (!b2 || e.end > b2.end)) {
      b2 = e;
    }
    best.push(b1);
    second.push(b2);
  }
  return { entries, best, second };
}

/** In another connection than `c`: the secure attempt started by `at` that ended latest. */
function latestBefore(bucket: Bucket | undefined, at: number, c: Connection): SecureEntry | undefined {
  if (!bucket) return undefined;
  let lo = 0;
  let hi = bucket.entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bucket.entries[mid]!.attempt.startedAt <= at) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const b1 = bucket.best[lo - 1];
  return b1 && b1.connection !== c ? b1 : bucket.second[lo - 1];
}

/** Secure attempts per host: all of them, those by page origin, and those whose page is unknown (they match any page). */
interface HostBuckets {
  all: Bucket;
  byOrigin: Map<string, Bucket>;
  noPage: Bucket | undefined;
}

function hostBuckets(connections: readonly Connection[]): Map<string, HostBuckets> {
  const raw = new Map<string, { all: SecureEntry[]; byOrigin: Map<string, SecureEntry[]>; noPage: SecureEntry[] }>();
  for (const { attempt, connection } of allAttempts(connections)) {
    if (!attempt.endpoint.secure) continue;
    const host = attempt.endpoint.host.toLowerCase();
    let h = raw.get(host);
    if (!h) raw.set(host, (h = { all: [], byOrigin: new Map(), noPage: [] }));
    const e: SecureEntry = { attempt, connection, end: attempt.endedAt ?? attempt.startedAt };
    h.all.push(e);
    const page = pageUrlOf(attempt, connection);
    if (page === null) h.noPage.push(e);
    else {
      const origin = pageOrigin(page);
      const list = h.byOrigin.get(origin);
      if (list) list.push(e);
      else h.byOrigin.set(origin, [e]);
    }
  }
  const out = new Map<string, HostBuckets>();
  for (const [host, h] of raw) {
    out.set(host, {
      all: bucketOf(h.all),
      byOrigin: new Map([...h.byOrigin].map(([o, es]) => [o, bucketOf(es)])),
      noPage: h.noPage.length ? bucketOf(h.noPage) : undefined,
    });
  }
  return out;
}

export const secureToInsecureCascade: Rule = {
  id: 'secure-to-insecure-cascade',
  severity: 'error',
  summary: 'A secure attempt (wss/https) was followed by an insecure one (ws/http) to the same host.',
  check(connections) {
    // Linear in the attempts: secure attempts are indexed by host and page once. From another
    // connect(), the retry is pinned on the connection whose secure attempt ended last before it
    // (within the window), with that connection's secure attempts to the host.
    const buckets = hostBuckets(connections);
    // Without a secure attempt anywhere there is nothing to fall back from.
    if (buckets.size === 0) return [];
    const order = new Map(connections.map((c, i) => [c, i]));
    return connections.flatMap((c) => {
      const byHost = new Map<string, { secure: Attempt[]; seen: Set<Attempt>; insecure: Attempt[]; gapMs: number | null; from: Set<Connection> }>();
      const firstSecure = new Map<string, number>();
      const scanned = new Map<string, number>();
      c.attempts.forEach((a, i) => {
        const host = a.endpoint.host.toLowerCase();
        if (a.endpoint.secure) {
          if (!firstSecure.has(host)) firstSecure.set(host, i);
          return;
        }
        const first = firstSecure.get(host);
        const h = buckets.get(host);
        // No secure attempt to the host anywhere it could come from: nothing to look for.
        if (first === undefined && !h) return;
        const entry = byHost.get(host) ?? { secure: [], seen: new Set<Attempt>(), insecure: [], gapMs: null, from: new Set<Connection>() };
        const before: { attempt: Attempt; connection: Connection; index: number }[] = [];
        // Earlier secure attempts of this connection: each scanned once, from where the last insecure one stopped.
        if (first !== undefined) {
          for (let k = Math.max(first, scanned.get(host) ?? 0); k < i; k++) {
            const s = c.attempts[k]!;
            if (s.endpoint.secure && s.endpoint.host.toLowerCase() === host) before.push({ attempt: s, connection: c, index: k });
          }
          scanned.set(host, i);
        }
        const page = pageUrlOf(a, c);
        let other: SecureEntry | undefined;
        if (h) {
          if (page === null) other = latestBefore(h.all, a.startedAt, c);
          else {
            const byOrigin = latestBefore(h.byOrigin.get(pageOrigin(page)), a.startedAt, c);
            const noPage = latestBefore(h.noPage, a.startedAt, c);
            other = !byOrigin ? noPage : !noPage ? byOrigin : noPage.end > byOrigin.end ? noPage : byOrigin;
          }
        }
        if (other && a.startedAt - other.end <= APP_RETRY_WINDOW_MS) {
          const gap = a.startedAt - other.end;
          entry.gapMs = entry.gapMs === null ? gap : Math.min(entry.gapMs, gap);
          if (!entry.from.has(other.connection)) {
            entry.from.add(other.connection);
            other.connection.attempts.forEach((s, index) => {
              if (isSecureBefore(s, other.connection, a, c, host)) before.push({ attempt: s, connection: other.connection, index });
            });
          }
        } else if (first === undefined) {
          return;
        }
        before.sort((x, y) => order.get(x.connection)! - order.get(y.connection)! || x.index - y.index);
        for (const { attempt: s } of before) {
          if (!entry.seen.has(s)) {
            entry.seen.add(s);
            entry.secure.push(s);
          }
        }
        entry.insecure.push(a);
        byHost.set(host, entry);
      });
      return [...byHost.values()].map(({ secure, insecure: downgraded, gapMs }) => {
        const from = [...new Set(secure.map(attemptLocation))];
        const to = [...new Set(downgraded.map(attemptLocation))];
        const how = gapMs === null ? 'within the same connect()' : `by a new connect() ${duration(Math.max(0, gapMs))} later`;
        return finding(secureToInsecureCascade, {
          message: `After trying ${listing(from)}, the page retried without TLS at ${listing(to)} ${how}. The Diffusion client never drops TLS on its own (it falls back from wss to https), so application code or configuration chose the insecure connection; traffic and any credentials then travel in clear text.`,
          fix: `Remove the fallback to secure: false (or to a ws:// / http:// URL) and fix the secure endpoint instead; see the other findings on ${listing(from)} for why it failed.`,
          connection: c.id,
          attempts: [...secure, ...downgraded].sort((x, y) => x.startedAt - y.startedAt),
        });
      });
    });
  },
};

// Another connection's secure attempt before `a`: started before it, from the same page, ended within the window.
function isSecureBefore(s: Attempt, sc: Connection, a: Attempt, c: Connection, host: string): boolean {
  if (!s.endpoint.secure || s.endpoint.host.toLowerCase() !== host) return false;
  if (s.startedAt > a.startedAt || !samePage(pageUrlOf(s, sc), pageUrlOf(a, c))) return false;
  return a.startedAt - (s.endedAt ?? s.startedAt) <= APP_RETRY_WINDOW_MS;
}
