// A configured path ending in "/diffusion/" loses its trailing slash and gets "/diffusion" appended
// again by the client (protocol fact sheet §1): "/lb/diffusion/" becomes "/lb/diffusion/diffusion".
import type { Rule } from '../model.ts';
import { attemptLocation, plural, quoted } from './format.ts';
import { finding, groupBy } from './facts.ts';
import { setPathAdvice } from './clients.ts';

const DOUBLED = '/diffusion/diffusion';

export const duplicatedDiffusionSuffix: Rule = {
  id: 'duplicated-diffusion-suffix',
  severity: 'error',
  summary: 'The path ends in /diffusion/diffusion: the configured path ended in "/diffusion/".',
  check(connections) {
    return connections.flatMap((c) => {
      const doubled = c.attempts.filter((a) => a.endpoint.path.endsWith(DOUBLED));
      if (doubled.length === 0) return [];
      const byPath = groupBy(doubled, (a) => a.endpoint.path);
      return [...byPath.values()].flatMap((attempts) => {
        // A server that answered with success on this path evidently serves it.
        if (attempts.some((a) => a.result === 'connected')) return [];
        const first = attempts[0]!;
        const path = first.endpoint.path;
        const intended = path.slice(0, -'/diffusion'.length);
        return [finding(duplicatedDiffusionSuffix, {
          message: c.client === 'browser' || c.client === 'node'
            ? `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}: the path ends in '${DOUBLED}' because the configured path was ${quoted(`${intended}/`)}, and the Diffusion client appends '/diffusion' to any path that does not end exactly in '/diffusion'.`
            : c.client === 'python'
              ? `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}: the path ends in '${DOUBLED}' because the application's URL ended in ${quoted(`${intended}/`)} and the Python client appends 'diffusion' to it (urljoin(url, "diffusion")).`
              : `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}: the path ends in '${DOUBLED}', so '/diffusion' was written twice into the URL or request path the application configured.`,
          fix: c.client === 'browser' || c.client === 'node'
            ? `Set path to ${quoted(intended)} (without the trailing slash).`
            : c.client === 'python'
              ? `Give the Python client the URL without '/diffusion' (${quoted(`…${intended.slice(0, -'/diffusion'.length)}/`)}).`
              : `${setPathAdvice(c.client, intended).replace(/^./, (x) => x.toUpperCase())}.`,
          connection: c.id,
          attempts,
        })];
      });
    });
  },
};
