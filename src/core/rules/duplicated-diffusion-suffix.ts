// A configured path ending in "/diffusion/" loses its trailing slash and gets "/diffusion" appended
// again by the client (protocol fact sheet §1): "/lb/diffusion/" becomes "/lb/diffusion/diffusion".
import type { Rule } from '../model.ts';
import { attemptLocation, plural, quoted } from './format.ts';
import { finding, groupBy } from './facts.ts';

const DOUBLED = '/diffusion/diffusion';

export const duplicatedDiffusionSuffix: Rule = {
  id: 'duplicated-diffusion-suffix',
  severity: 'error',
  summary: 'The path ends in /diffusion/diffusion: the configured path ended in "/diffusion/".',
  check(connections) {
    return connections.flatMap((c) => {
      const byPath = groupBy(c.attempts.filter((a) => a.endpoint.path.endsWith(DOUBLED)), (a) => a.endpoint.path);
      return [...byPath.values()].flatMap((attempts) => {
        // A server that answered with success on this path evidently serves it.
        if (attempts.some((a) => a.result === 'connected')) return [];
        const first = attempts[0]!;
        const path = first.endpoint.path;
        const intended = path.slice(0, -'/diffusion'.length);
        return [finding(duplicatedDiffusionSuffix, {
          message: `${plural(attempts.length, 'handshake')} went to ${attemptLocation(first)}: the path ends in '${DOUBLED}' because the configured path was ${quoted(`${intended}/`)}, and the Diffusion client appends '/diffusion' to any path that does not end exactly in '/diffusion'.`,
          fix: `Set path to ${quoted(intended)} (without the trailing slash).`,
          connection: c.id,
          attempts,
        })];
      });
    });
  },
};
