// Many attempts to one endpoint in a short time with gaps that do not grow: something retries in a
// loop (retry {interval} without a limit, or application code reconnecting at once). Each attempt
// costs the load balancer and server a handshake, and thousands of clients doing it at once
// keep a recovering server down.
import type { Attempt, Finding, Rule } from '../model.ts';
import { duration, hostPort, plural } from './format.ts';
import { attemptsByEndpoint, commonConnection, finding } from './facts.ts';

/** At least this many attempts to one endpoint… */
export const RETRY_STORM_MIN_ATTEMPTS = 10;
/** …within this span… */
export const RETRY_STORM_WINDOW_MS = 10_000;
/** …whose later gaps are not this many times longer than the earlier ones (no back-off). */
export const BACKOFF_GROWTH = 2;

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}

/** The median gap between the start times from `from` to `to` (exclusive). */
function medianGap(starts: Float64Array, from: number, to: number): number {
  // A typed array sorts numbers without a comparator call per comparison: a storm has 100,000 gaps.
  const gaps = new Float64Array(Math.max(0, to - from - 1));
  for (let i = 0; i < gaps.length; i++) gaps[i] = starts[from + i + 1]! - starts[from + i]!;
  gaps.sort();
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
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
function windowBacksOff(starts: Float64Array, from: number): boolean {
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
    const findings: Finding[] = [];
    for (const entries of attemptsByEndpoint(connections).values()) {
      if (entries.length < RETRY_STORM_MIN_ATTEMPTS) continue;
      // Typed arrays and runs of indexes, not arrays of entries: one endpoint can have 100,000 attempts.
      const starts = new Float64Array(entries.length);
      for (let i = 0; i < entries.length; i++) starts[i] = entries[i]!.attempt.startedAt;
      const inStorm = new Uint8Array(entries.length);
      // Windows of exactly the minimum count, so a fast burst is caught even if a back-off follows it.
      for (let i = 0; i + RETRY_STORM_MIN_ATTEMPTS <= entries.length; i++) {
        const span = starts[i + RETRY_STORM_MIN_ATTEMPTS - 1]! - starts[i]!;
        if (span <= RETRY_STORM_WINDOW_MS && !windowBacksOff(starts, i)) inStorm.fill(1, i, i + RETRY_STORM_MIN_ATTEMPTS);
      }
      // One finding per burst: consecutive attempts inside storm windows, split at long pauses.
      for (let from = 0; from < entries.length;) {
        if (inStorm[from] === 0) {
          from++;
          continue;
        }
        let to = from + 1;
        while (to < entries.length && inStorm[to] === 1 && starts[to]! - starts[to - 1]! <= RETRY_STORM_WINDOW_MS) to++;
        const burst = entries.slice(from, to);
        const attempts = burst.map((e) => e.attempt);
        const first = attempts[0]!;
        const span = starts[to - 1]! - starts[from]!;
        const where = `${hostPort(first.endpoint)}${first.endpoint.path}`;
        findings.push(finding(retryStorm, {
          message: `${plural(attempts.length, 'attempt')} went to ${where} within ${duration(span)}, about every ${duration(medianGap(starts, from, to))} and without backing off.`,
          fix: 'Back off between attempts: give retry a bounded number of attempts and an interval of seconds, and have any reconnect loop in the application wait longer after each failure (exponential with jitter, e.g. 1 s doubling to 60 s); fix the cause of the failures the other findings name.',
          connection: commonConnection(burst),
          attempts,
        }));
        from = to;
      }
    }
    return findings;
  },
};
