// The Diffusion server accepts handshakes only on a path ending in "/diffusion". The real client
// always appends it, so a path without it means a hand-built URL or a proxy rewriting the path.
import type { Rule } from '../model.ts';
import { attemptLocation, plural, quoted } from './format.ts';
import { finding, groupBy } from './facts.ts';

const SUFFIX = '/diffusion';

export const missingDiffusionSuffix: Rule = {
  id: 'missing-diffusion-suffix',
  severity: 'error',
  summary: 'A Diffusion handshake went to a path that does not end in /diffusion.',
  check(connections) {
    return connections.flatMap((c) => {
      const byPath = groupBy(c.attempts.filter((a) => !a.endpoint.path.endsWith(SUFFIX)), (a) => a.endpoint.path);
      return [...byPath.values()].flatMap((attempts) => {
        // A path the server answered with success is evidently served; nothing to fix.
        if (attempts.some((a) => a.result === 'connected')) return [];
        const first = attempts[0]!;
        const path = first.endpoint.path;
        const wanted = `${path.replace(/\/+$/, '')}${SUFFIX}`;
        return [finding(missingDiffusionSuffix, {
          message: `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}, whose path ${quoted(path)} does not end in '${SUFFIX}'. Diffusion servers only accept connections on a path ending in '${SUFFIX}', and the Diffusion client always adds it, so this URL was built by hand or a proxy rewrote the path.`,
          fix: `Let the Diffusion client build the URL with path: ${quoted(wanted)}; if a proxy or load balancer rewrites the path, make it keep the '${SUFFIX}' suffix.`,
          connection: c.id,
          attempts,
        })];
      });
    });
  },
};
