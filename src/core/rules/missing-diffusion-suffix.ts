// The Diffusion server accepts handshakes only on a path ending in "/diffusion". The client
// appends it to any configured path that lacks it, so a request path without it means the
// configured path smuggled in a query string ("/gateway?route=/diffusion" ends in /diffusion as
// text, so the client keeps it) or a proxy rewrote the path.
import type { Attempt, Rule } from '../model.ts';
import { redactText } from '../diffusion/redact.ts';
import { attemptLocation, plural, quoted } from './format.ts';
import { finding, groupBy } from './facts.ts';
import { setPathAdvice } from './clients.ts';

const SUFFIX = '/diffusion';

/** The query text the configured path carried, if any: the client's own WebSocket query starts with ty=, XHR has none. */
export function queryFromPath(a: Attempt): string | null {
  const q = a.url.indexOf('?');
  if (q < 0) return null;
  const query = a.url.slice(q + 1).split('#')[0] ?? '';
  if (a.transport === 'XHR') return query;
  if (query.startsWith('ty=')) return null;
  const own = query.search(/[?&]ty=/);
  return own < 0 ? query : query.slice(0, own);
}

export const missingDiffusionSuffix: Rule = {
  id: 'missing-diffusion-suffix',
  severity: 'error',
  summary: 'A Diffusion handshake went to a path that does not end in /diffusion.',
  check(connections) {
    return connections.flatMap((c) => {
      const unsuffixed = c.attempts.filter((a) => !a.endpoint.path.endsWith(SUFFIX));
      if (unsuffixed.length === 0) return [];
      const byPath = groupBy(unsuffixed, (a) => a.endpoint.path);
      return [...byPath.values()].flatMap((attempts) => {
        // A path the server answered with success is evidently served; nothing to fix.
        if (attempts.some((a) => a.result === 'connected')) return [];
        const first = attempts[0]!;
        const path = first.endpoint.path;
        const wanted = `${path.replace(/\/+$/, '')}${SUFFIX}`;
        const query = attempts.map(queryFromPath).find((x) => x !== null && x !== '') ?? null;
        const javascript = c.client === 'browser' || c.client === 'node';
        const why = query !== null && javascript
          ? `The configured path carried a query string (${quoted(`?${redactText(query)}`)}); it ends in '${SUFFIX}' as text, so the client kept it unchanged, and the request path became ${quoted(path)}.`
          : javascript
            ? `The Diffusion client always adds '${SUFFIX}', so this URL was built by hand or a proxy rewrote the path.`
            : c.client === 'apple'
              ? `The Apple client uses the URL the application gives it as it is, so that URL lacks '${SUFFIX}' (or a proxy rewrote the path).`
              : c.client === 'java' || c.client === 'android'
                ? `The Java client sends the session factory's request path as it is, so that path lacks '${SUFFIX}' (or a proxy rewrote the path).`
                : `The application's URL or a proxy on the way left '${SUFFIX}' out.`;
        return [finding(missingDiffusionSuffix, {
          message: `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}, whose path ${quoted(path)} does not end in '${SUFFIX}', and Diffusion servers only accept connections on a path ending in '${SUFFIX}'. ${why}`,
          fix: query !== null && (c.client === 'browser' || c.client === 'node')
            ? `Put the routing information in the path, not a query string: set path: ${quoted(wanted)} and route that path at the load balancer.`
            : c.client === 'browser' || c.client === 'node'
              ? `Let the Diffusion client build the URL with path: ${quoted(wanted)}; if a proxy or load balancer rewrites the path, make it keep the '${SUFFIX}' suffix.`
              : `${capitalise(setPathAdvice(c.client, wanted))}; if a proxy or load balancer rewrites the path, make it keep the '${SUFFIX}' suffix.`,
          connection: c.id,
          attempts,
        })];
      });
    });
  },
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
