// The server answered with a failure code. Two cases belong to other rules, so they are left out
// here to give one finding per problem: 117 UNKNOWN_SESSION answering a reconnect
// (session-affinity-lost, session-lost-on-failover), 102 DOWNGRADE (protocol-version-mismatch) and
// a transient rejection the application recovered from (recovered-rejection).
import type { Attempt, Connection, Rule } from '../model.ts';
import { familyOf, isDefinedFor, responseCodeInfo } from '../diffusion/response-codes.ts';
import { attemptLocation, idListing, plural } from './format.ts';
import { DOWNGRADE, finding, groupBy, isRejection, UNKNOWN_SESSION } from './facts.ts';
import { recoveredAttempts } from './recovered-rejection.ts';

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
    // One finding per endpoint and code: an application that retries after a rejection gets the same
    // answer in every connection, and one finding listing them all reads better than one for each.
    // Loops, not an array per connection: 100,000 refused upgrades in 10,000 connections have no rejection at all.
    let recovered: Set<Attempt> | undefined;
    const rejected: { a: Attempt; c: Connection }[] = [];
    for (const c of connections) {
      for (const a of c.attempts) {
        if (!isRejection(a) || handledElsewhere(a)) continue;
        recovered ??= recoveredAttempts(connections);
        if (!recovered.has(a)) rejected.push({ a, c });
      }
    }
    return [...groupBy(rejected, ({ a }) => `${attemptLocation(a)} ${a.response!.code}`).values()].map((group) => {
      const { a: first, c } = group[0]!;
      const attempts = group.map((x) => x.a);
      const ids = [...new Set(group.map((x) => x.c.id))];
      const code = first.response!.code;
      const info = responseCodeInfo(code);
      const name = info?.name ?? first.response!.name;
      const family = familyOf(clientVersion(first, c));
      const reconnects = attempts.every((a) => a.reconnect) ? ' to a reconnect' : '';
      const where = ids.length > 1 ? `, in connections ${idListing(ids)}` : '';
      const times = attempts.length > 1 ? ` (${plural(attempts.length, 'time')}${where})` : '';
      const meaning = info ? info.meaning : 'Neither client family defines this code.';
      const undefinedHere = info && family !== null && !isDefinedFor(code, family)
        ? ` A ${family} client does not define ${code}: it treats the answer as a parse error, tries the next transport and finally reports a parse error (close reason 5).`
        : '';
      return finding(connectionRejected, {
        message: `${attemptLocation(first)} answered${reconnects} with ${code} ${name}${times}: ${meaning}${undefinedHere}`,
        fix: info?.fix || 'Check the server log at the time of the attempt, and that the answer really comes from a Diffusion server of a compatible release.',
        connection: c.id,
        attempts,
      });
    });
  },
};
