// The client does not retry after a valid rejection code, so further attempts to the same endpoint
// come from the application. For authentication, licence and protocol rejections (`fatal` in
// response-codes.ts) the answer will be the same. After 116, a different principal is a new
// login, not a retry, so only attempts with the same principal count.
import type { Attempt, Connection, Finding, Rule } from '../model.ts';
import { familyOf, isDefinedFor, responseCodeInfo } from '../diffusion/response-codes.ts';
import { attemptLocation, duration, plural } from './format.ts';
import { attemptsByEndpoint, finding, type AttemptEntry } from './facts.ts';

const AUTHENTICATION_FAILED = 116;

// Close-reason ids a 6.12 client rejects connect() with, to test for in the application's handler.
const CLOSE_REASON_6X: Record<number, string> = { 102: '17 (version mismatch)', 113: '18 (licence)', 116: '99 (access denied)' };

function fatalCode(a: Attempt, c: Connection): number | null {
  if (a.response === null || a.response.success) return null;
  const info = responseCodeInfo(a.response.code);
  // A code the client does not define is a parse error: the client itself cascades.
  if (!info?.fatal || !isDefinedFor(info.code, familyOf(a.params.version ?? c.protocolVersion))) return null;
  return info.code;
}

export const retryAfterFatalRejection: Rule = {
  id: 'retry-after-fatal-rejection',
  severity: 'warning',
  summary: 'New attempts went to an endpoint after a rejection that retrying cannot fix.',
  check(connections) {
    return [...attemptsByEndpoint(connections).values()].flatMap((ordered) => {
      // Positions of each principal's attempts, so the retries after a 116 are read without a scan of
      // the rest; each principal gets at most one such finding, so all of them cost one pass. Made
      // at the first 116: most endpoints have none.
      let principals: Map<string | null, { e: AttemptEntry; i: number }[]> | undefined;
      const byPrincipal = (): Map<string | null, { e: AttemptEntry; i: number }[]> => {
        if (principals) return principals;
        principals = new Map();
        for (let i = 0; i < ordered.length; i++) {
          const e = ordered[i]!;
          const list = principals.get(e.attempt.params.principal);
          if (list) list.push({ e, i });
          else principals.set(e.attempt.params.principal, [{ e, i }]);
        }
        return principals;
      };
      const covered = new Set<Attempt>();
      let allCovered = false;
      // A loop, not flatMap: it visits every attempt to the endpoint.
      const found: Finding[] = [];
      ordered.forEach(({ attempt: rejected, connection }, i) => {
        if (allCovered) return;
        const code = fatalCode(rejected, connection);
        if (code === null || covered.has(rejected)) return;
        const principal = rejected.params.principal;
        const retries = code !== AUTHENTICATION_FAILED
          ? ordered.slice(i + 1).map((e) => e.attempt)
          : (byPrincipal().get(principal) ?? []).filter((x) => x.i > i).map((x) => x.e.attempt);
        if (code !== AUTHENTICATION_FAILED) allCovered = true;
        if (retries.length === 0) return;
        for (const a of retries) covered.add(a);
        const info = responseCodeInfo(code)!;
        const last = retries[retries.length - 1]!;
        const same = retries.filter((a) => a.response?.code === code).length;
        const again = same > 0 ? ` (${same} of them rejected with ${code} again)` : '';
        const reason = CLOSE_REASON_6X[code];
        const handler = reason ? `: a 6.12 client rejects connect() with close reason ${reason}, so test for it in the rejection handler` : '';
        found.push(finding(retryAfterFatalRejection, {
          message: `After ${attemptLocation(rejected)} answered ${code} ${info.name}, the application tried the same endpoint ${plural(retries.length, 'more time')} within ${duration(last.startedAt - rejected.startedAt)}${again}. ${info.meaning} Retrying cannot change that answer.`,
          fix: `Do not reconnect after this rejection${handler}. ${info.fix}`,
          connection: connection.id,
          attempts: [rejected, ...retries],
        }));
      });
      return found;
    });
  },
};
