// Many attempts to one endpoint in a short time with gaps that do not grow: something retries in a
// loop (retry {interval} without a limit, or application code reconnecting at once). Each attempt
// costs the load balancer and server a handshake, and thousands of clients doing it at once
// keep a recovering server down.
import type { Attempt, Rule } from '../model.ts';
import { duration, hostPort } from './format.ts';
import { attemptsByEndpoint, commonConnection, finding, type AttemptEntry } from './facts.ts';

/** At least this many attempts to one endpoint… */
export const RETRY_STORM_MIN_ATTEMPTS = 10;
/** …within this span… */
export const RETRY_STORM_WINDOW_MS = 10_000;
/** …whose later gaps are not this many times longer than the earlier ones (no back-off). */
export const BACKOFF_GROWTH = 2;

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}

function median(xs: readonly number[]): number {
  // A typed array sorts numbers without a comparator call per comparison: a storm has 100,000 gaps.
  const s = Float64Array.from(xs).sort();
  return s[Math.floor(s.length / 2)] ?? 0;
}

function gapsOf(attempts: readonly Attempt[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < attempts.length; i++) gaps.push(attempts[i]!.startedAt - attempts[i - 1]!.startedAt);
  return gaps;
}

/** The second half of the gaps is clearly longer than the first: the retries back off. */
export function backsOff(attempts: readonly Attempt[]): boolean {
  const gaps = gapsOf(attempts);
  const half = Math.floor(gaps.length / 2);
  if (half === 0) return false;
  return mean(gaps.slice(gaps.length - half)) >= BACKOFF_GROWTH * Math.max(1, mean(gaps.slice(0, half)));
}

/** backsOff of the window of RETRY_STORM_MIN_ATTEMPTS starting at `from`, on start times alone (no copies: it runs once per attempt). */
function windowBacksOff(starts: readonly number[], from: number): boolean {
  const gaps = RETRY_STORM_MIN_ATTEMPTS - 1;
  const half = Math.floor(gaps / 2);
  if (half === 0) return false;
  // Summed in the same order as mean(), so the comparison is the same to the last bit.
  let early = 0;
  let late = 0;
  for (let k = 0; k < half; k++) early += starts[from + k + 1]! - starts[from + k]!;
  for (let k = gaps - half; k < gaps; k++) late += starts[from + k + 1]! - starts[from + k]!;
  return late / half >= BACKOFF_GROWTH * Math.max(1, early / half);
}

export const retryStorm: Rule = {
  id: 'retry-storm',
  severity: 'warning',
  summary: `${RETRY_STORM_MIN_ATTEMPTS} or more attempts to one endpoint within ${RETRY_STORM_WINDOW_MS / 1000} s without back-off.`,
  check(connections) {
    return [...attemptsByEndpoint(connections).values()].flatMap((entries) => {
      const inStorm = new Array<boolean>(entries.length).fill(false);
      const starts = entries.map((e) => e.attempt.startedAt);
      // Windows of exactly the minimum count, so a fast burst is caught even if a back-off follows it.
      for (let i = 0; i + RETRY_STORM_MIN_ATTEMPTS <= entries.length; i++) {
        const span = starts[i + RETRY_STORM_MIN_ATTEMPTS - 1]! - starts[i]!;
        if (span <= RETRY_STORM_WINDOW_MS && !windowBacksOff(starts, i)) inStorm.fill(true, i, i + RETRY_STORM_MIN_ATTEMPTS);
      }
      // One finding per burst: consecutive attempts inside storm windows, split at long pauses.
      const bursts: AttemptEntry[][] = [];
      entries.forEach((e, i) => {
        if (!inStorm[i]) return;
        const previous = entries[i - 1];
        if (previous && inStorm[i - 1] && e.attempt.startedAt - previous.attempt.startedAt <= RETRY_STORM_WINDOW_MS) bursts[bursts.length - 1]!.push(e);
        else bursts.push([e]);
      });
      return bursts.map((burst) => {
        const attempts = burst.map((e) => e.attempt);
        const first = attempts[0]!;
        const span = attempts[attempts.length - 1]!.startedAt - first.startedAt;
        const where = `${hostPort(first.endpoint)}${first.endpoint.path}`;
        return finding(retryStorm, {
          message: `${attempts.length} attempts went to ${where} within ${duration(span)}, about every ${duration(median(gapsOf(attempts)))} and without backing off.`,
          fix: 'Back off between attempts: give retry a bounded number of attempts and an interval of seconds, and have any reconnect loop in the application wait longer after each failure (exponential with jitter, e.g. 1 s doubling to 60 s); fix the cause of the failures the other findings name.',
          connection: commonConnection(burst),
          attempts,
        });
      });
    });
  },
};
