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

export const secureToInsecureCascade: Rule = {
  id: 'secure-to-insecure-cascade',
  severity: 'error',
  summary: 'A secure attempt (wss/https) was followed by an insecure one (ws/http) to the same host.',
  check(connections) {
    const all = allAttempts(connections);
    return connections.flatMap((c) => {
      const insecure = c.attempts.filter((a) => !a.endpoint.secure);
      const byHost = new Map<string, { secure: Attempt[]; insecure: Attempt[]; gapMs: number | null }>();
      for (const a of insecure) {
        const host = a.endpoint.host.toLowerCase();
        const before = all.filter(({ attempt: s, connection: sc }) => isSecureBefore(s, sc, a, c, host));
        if (before.length === 0) continue;
        const entry = byHost.get(host) ?? { secure: [], insecure: [], gapMs: null };
        for (const { attempt: s, connection: sc } of before) {
          if (!entry.secure.includes(s)) entry.secure.push(s);
          if (sc !== c) {
            const gap = a.startedAt - (s.endedAt ?? s.startedAt);
            entry.gapMs = entry.gapMs === null ? gap : Math.min(entry.gapMs, gap);
          }
        }
        entry.insecure.push(a);
        byHost.set(host, entry);
      }
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

function isSecureBefore(s: Attempt, sc: Connection, a: Attempt, c: Connection, host: string): boolean {
  if (!s.endpoint.secure || s.endpoint.host.toLowerCase() !== host) return false;
  if (sc === c) return c.attempts.indexOf(s) < c.attempts.indexOf(a);
  if (s.startedAt > a.startedAt || !samePage(pageUrlOf(s, sc), pageUrlOf(a, c))) return false;
  return a.startedAt - (s.endedAt ?? s.startedAt) <= APP_RETRY_WINDOW_MS;
}
