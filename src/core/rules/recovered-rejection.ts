// A transient rejection the application recovered from: the server answered a code that says "not
// now" (119 REJECTED_SERVER_INITIALISING, and the 5.9 codes 111 and 127), and a connection to the
// same endpoint connected soon after. Nothing is broken; it is a warning about the failed first try.
import type { Attempt, Connection, Rule } from '../model.ts';
import { responseCodeInfo } from '../diffusion/response-codes.ts';
import { attemptLocation, duration, listing, plural } from './format.ts';
import { attemptsByEndpoint, finding, sharedFact, UNKNOWN_SESSION } from './facts.ts';

/** A connection this soon after the rejection counts as the application's recovery. */
export const RECOVERY_WINDOW_MS = 60_000;
/** Codes that only say "not now": the same request can succeed a moment later. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([111, 119, 127]);

export interface Recovery {
  rejected: { attempt: Attempt; connection: Connection }[];
  recovered: { attempt: Attempt; connection: Connection };
}

/** Transient rejections followed by a connection to the same endpoint within the window, one per recovery. */
export function recoveries(connections: readonly Connection[]): readonly Recovery[] {
  // connection-rejected asks too: worked out once per analysis.
  return sharedFact(connections, 'recoveries', () => findRecoveries(connections));
}

function findRecoveries(connections: readonly Connection[]): Recovery[] {
  const out: Recovery[] = [];
  for (const ordered of attemptsByEndpoint(connections).values()) {
    let pending: Recovery['rejected'] = [];
    for (const e of ordered) {
      const r = e.attempt.response;
      if (r && !r.success && TRANSIENT_CODES.has(r.code) && !(e.attempt.reconnect && r.code === UNKNOWN_SESSION)) {
        pending.push(e);
      } else if (e.attempt.result === 'connected' && pending.length > 0) {
        const inWindow = pending.filter((p) => e.attempt.startedAt - p.attempt.startedAt <= RECOVERY_WINDOW_MS);
        if (inWindow.length > 0) out.push({ rejected: inWindow, recovered: e });
        pending = [];
      }
    }
  }
  return out;
}

/** The rejected attempts the application recovered from (connection-rejected leaves them to this rule). */
export function recoveredAttempts(connections: readonly Connection[]): Set<Attempt> {
  return new Set(recoveries(connections).flatMap((r) => r.rejected.map((x) => x.attempt)));
}

export const recoveredRejection: Rule = {
  id: 'recovered-rejection',
  severity: 'warning',
  summary: 'A transient rejection (such as 119 REJECTED_SERVER_INITIALISING) that the application recovered from: it connected soon after.',
  check(connections) {
    return recoveries(connections).map(({ rejected, recovered }) => {
      const first = rejected[0]!;
      const codes = [...new Set(rejected.map((x) => x.attempt.response!.code))];
      const names = codes.map((code) => `${code} ${responseCodeInfo(code)?.name ?? 'UNKNOWN'}`);
      const meaning = codes.map((code) => responseCodeInfo(code)?.meaning).filter((m): m is string => !!m);
      const times = rejected.length > 1 ? ` (${plural(rejected.length, 'time')})` : '';
      const later = duration(recovered.attempt.startedAt - rejected[rejected.length - 1]!.attempt.startedAt);
      return finding(recoveredRejection, {
        message: `${attemptLocation(first.attempt)} answered ${listing(names)}${times}, and ${later} later connection ${recovered.connection.id} connected to the same endpoint: the rejection was transient and the application recovered. ${meaning.join(' ')}`,
        fix: 'Nothing is broken now. To spare clients the failed first try, take a server into the load balancer only once it is ready (a readiness health check), and keep the application\'s retry after such a rejection, with a back-off.',
        connection: first.connection.id,
        attempts: [...rejected.map((x) => x.attempt), recovered.attempt],
      });
    });
  },
};
