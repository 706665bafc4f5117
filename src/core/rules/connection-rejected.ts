// The server answered with a failure code. Two cases belong to other rules, so they are left out
// here to give one finding per problem: 117 UNKNOWN_SESSION answering a reconnect
// (session-affinity-lost) and 102 DOWNGRADE (protocol-version-mismatch).
import type { Attempt, Connection, Rule } from '../model.ts';
import { familyOf, isDefinedFor, responseCodeInfo } from '../diffusion/response-codes.ts';
import { attemptLocation, listing, plural } from './format.ts';
import { DOWNGRADE, finding, groupBy, isRejection, UNKNOWN_SESSION } from './facts.ts';

function handledElsewhere(a: Attempt): boolean {
  const code = a.response?.code;
  return code === DOWNGRADE || (code === UNKNOWN_SESSION && a.reconnect);
}

function clientVersion(a: Attempt, c: Connection): number | null {
  return a.params.version ?? c.protocolVersion;
}

export const connectionRejected: Rule = {
  id: 'connection-rejected',
  severity: 'error',
  summary: 'The server answered the handshake with a failure response code.',
  check(connections) {
    return connections.flatMap((c) => {
      const rejected = c.attempts.filter((a) => isRejection(a) && !handledElsewhere(a));
      return [...groupBy(rejected, (a) => String(a.response!.code)).values()].map((attempts) => {
        const first = attempts[0]!;
        const code = first.response!.code;
        const info = responseCodeInfo(code);
        const name = info?.name ?? first.response!.name;
        const family = familyOf(clientVersion(first, c));
        const reconnects = attempts.every((a) => a.reconnect) ? ' to a reconnect' : '';
        const times = attempts.length > 1 ? ` (${plural(attempts.length, 'time')})` : '';
        const meaning = info ? info.meaning : 'Neither client family defines this code.';
        const undefinedHere = info && family !== null && !isDefinedFor(code, family)
          ? ` A ${family} client does not define ${code}: it treats the answer as a parse error, tries the next transport and finally reports a parse error (close reason 5).`
          : '';
        return finding(connectionRejected, {
          message: `${listing([...new Set(attempts.map(attemptLocation))])} answered${reconnects} with ${code} ${name}${times}: ${meaning}${undefinedHere}`,
          fix: info?.fix || 'Check the server log at the time of the attempt, and that the answer really comes from a Diffusion server of a compatible release.',
          connection: c.id,
          attempts,
        });
      });
    });
  },
};
