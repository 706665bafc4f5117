// One page reaching one host under different path prefixes usually means two pieces of code (or two
// configuration sources) disagree about the load balancer's prefix, and only one of them works.
import type { Rule } from '../model.ts';
import { listing, pageLocation, plural, quoted } from './format.ts';
import { allAttempts, commonConnection, finding, groupBy, pageUrlOf } from './facts.ts';

export const pathPrefixMismatch: Rule = {
  id: 'path-prefix-mismatch',
  severity: 'warning',
  summary: "One page's attempts to the same host use different path prefixes.",
  // It compares the attempts of one page: only browser clients have one.
  clients: ['browser'],
  check(connections) {
    // A doubled suffix shows up as a prefix ending in /diffusion; duplicated-diffusion-suffix explains it.
    const entries = allAttempts(connections).filter((e) => pageUrlOf(e.attempt, e.connection) !== null && !e.attempt.endpoint.path.endsWith('/diffusion/diffusion'));
    // One prefix in all of them: no page reached a host under two.
    const prefix = entries[0]?.attempt.endpoint.prefix;
    if (entries.every((e) => e.attempt.endpoint.prefix === prefix)) return [];
    // Attempts in a row mostly share page and host: their key is built once, not once per attempt.
    let lastPage: string | null = null;
    let lastHost: string | null = null;
    let lastKey = '';
    const byPageHost = groupBy(entries, (e) => {
      const page = pageUrlOf(e.attempt, e.connection)!;
      const host = e.attempt.endpoint.host;
      if (page !== lastPage || host !== lastHost) {
        [lastPage, lastHost] = [page, host];
        lastKey = `${pageLocation(page)} ${host.toLowerCase()}`;
      }
      return lastKey;
    });
    return [...byPageHost.values()].flatMap((group) => {
      const byPrefix = groupBy(group, (e) => e.attempt.endpoint.prefix);
      if (byPrefix.size < 2) return [];
      const first = group[0]!;
      const parts = [...byPrefix.entries()].map(([prefix, es]) => {
        const connected = es.some((e) => e.attempt.result === 'connected');
        return { prefix, path: es[0]!.attempt.endpoint.path, connected, text: `${quoted(prefix)} (${plural(es.length, 'attempt')}, ${connected ? 'connected' : 'never connected'})` };
      });
      const working = parts.filter((p) => p.connected);
      const fix = working.length === 1
        ? `Use one path for every connect() on this page: ${quoted(working[0]!.prefix)} is the prefix that connected, so set path: ${quoted(working[0]!.path)} everywhere.`
        : 'Use one path for every connect() on this page: the one the load balancer routes to the Diffusion servers.';
      return [finding(pathPrefixMismatch, {
        message: `The page ${pageLocation(pageUrlOf(first.attempt, first.connection)!)} reached ${first.attempt.endpoint.host} under ${byPrefix.size} different path prefixes: ${listing(parts.map((p) => p.text))}.`,
        fix,
        connection: commonConnection(group),
        attempts: group.map((e) => e.attempt),
      })];
    });
  },
};
