// A load balancer that serves Diffusion under a prefix (/eu/diffusion) answers 404 to a client that
// leaves `path` unset and asks for the bare /diffusion. Inferred when every transport got 404 there
// while the prefix shows elsewhere: another connection of the page to the same host used one, or the
// page itself lives under a directory of that host.
import type { Attempt, Rule } from '../model.ts';
import { attemptLocation, hostPort, listing, pageLocation, pageOrigin, quoted } from './format.ts';
import { bareHost, finding, pageUrlOf } from './facts.ts';
import { intermediaryOf } from './intermediary.ts';

const NOT_FOUND = 404;

/** '/eu/app/' → '/eu', '/eu/app/index.html' → '/eu'; '/' and '/index.html' have none. */
export function pagePrefix(pageUrl: string): string | null {
  let path: string;
  try {
    path = new URL(pageUrl).pathname;
  } catch {
    return null;
  }
  const segments = path.split('/');
  // A first segment counts only when something follows it: '/eu/' or '/eu/app', not '/index.html'.
  if (segments.length < 3 || segments[1] === '') return null;
  return `/${segments[1]}`;
}

function sameHost(pageUrl: string, a: Attempt): boolean {
  try {
    return bareHost(new URL(pageUrl).hostname) === bareHost(a.endpoint.host);
  } catch {
    return false;
  }
}

export const missingPathPrefix: Rule = {
  id: 'missing-path-prefix',
  severity: 'error',
  summary: 'Every transport got 404 on a bare /diffusion while the page or another connection uses a path prefix: the client lacks the load balancer\'s prefix (the `path` option).',
  check(connections) {
    // Prefixes in use per page origin and host, from connections that asked for a prefixed path (connected ones first).
    const keyOf = (host: string, page: string | null) => `${page === null ? '' : pageOrigin(page)} ${host.toLowerCase()}`;
    const prefixesByHost = new Map<string, { prefix: string; connected: boolean }[]>();
    for (const c of connections) {
      if (c.endpoint.prefix === '') continue;
      const key = keyOf(c.endpoint.host, c.pageUrl);
      const list = prefixesByHost.get(key) ?? [];
      const connected = c.attempts.some((a) => a.result === 'connected');
      const known = list.find((x) => x.prefix === c.endpoint.prefix);
      if (known) known.connected ||= connected;
      else list.push({ prefix: c.endpoint.prefix, connected });
      prefixesByHost.set(key, list);
    }
    return connections.flatMap((c) => {
      const firsts = c.attempts.filter((a) => !a.reconnect);
      if (c.endpoint.path !== '/diffusion' || firsts.length === 0 || !firsts.every((a) => a.httpStatus === NOT_FOUND)) return [];
      const first = firsts[0]!;
      const page = pageUrlOf(first, c);
      const others = (prefixesByHost.get(keyOf(first.endpoint.host, c.pageUrl)) ?? []).sort((x, y) => Number(y.connected) - Number(x.connected));
      const fromPage = page !== null && sameHost(page, first) ? pagePrefix(page) : null;
      const prefix = others[0]?.prefix ?? fromPage;
      if (prefix === null) return [];
      const transports = [...new Set(firsts.map((a) => a.transport))];
      const both = transports.length > 1 ? 'Both transports' : `The ${transports[0] === 'XHR' ? 'XHR' : 'WebSocket'} transport`;
      const why = others[0]
        ? `another connection of this page to ${first.endpoint.host} used the prefix ${quoted(others[0].prefix)}${others[0].connected ? ' and connected' : ''}`
        : `the page lives under ${quoted(fromPage!)} (${pageLocation(page!)})`;
      const nginx = intermediaryOf(firsts) === 'nginx'
        ? ` The nginx that answered routes the prefix with a location such as location ${prefix}/ { proxy_pass http://backend/; } (the trailing slash of proxy_pass strips ${prefix}); no location proxies the bare /diffusion, so nginx answers it 404 from its own web root.`
        : '';
      return [finding(missingPathPrefix, {
        message: `${both} got 404 on the bare path /diffusion at ${hostPort(first.endpoint)} (${listing([...new Set(firsts.map(attemptLocation))])}), while ${why}: the load balancer serves Diffusion under a prefix the client does not use.`,
        fix: `Set path: ${quoted(prefix)} in the diffusion.connect() options, so the client asks for ${prefix}/diffusion.${nginx}`,
        connection: c.id,
        attempts: firsts,
      })];
    });
  },
};

