// Words and numbers for what core computed: cascade steps, outcomes, times. Pure text from the model;
// nothing here decides what is wrong (that is the rules' job) and nothing prints a secret.
import type { Attempt, Connection, Endpoint, Outcome, Verdict } from '../../src/core/model.ts';
import { errorLabel, locationOf, plural, thousands } from '../../src/core/rules/format.ts';
import { redactText } from '../../src/core/diffusion/redact.ts';

// The panel's numbers and counts ("12,345 attempts") are written as core writes them.
export { thousands, plural as count };

/** "WEBSOCKET failed (status 0, net::ERR_FAILED)", "XHR connected (100 OK)". */
export function stepText(a: Attempt): string {
  return `${a.transport} ${a.result} (${stepDetail(a)})`;
}

export function stepDetail(a: Attempt): string {
  if (a.response) return `${a.response.code} ${a.response.name}`;
  const parts: string[] = [];
  if (a.httpStatus !== null) parts.push(`status ${a.httpStatus}`);
  else if (a.error || a.result === 'failed') parts.push('status 0');
  if (a.error) parts.push(errorLabel(a.error));
  if (a.responseError) parts.push('unreadable response');
  if (parts.length === 0) parts.push(a.endedAt === null ? 'no answer yet' : 'no answer');
  return parts.join(', ');
}

/** One cascade: the attempts of a first connect, or of one reconnect, in order. */
export interface Cascade {
  reconnect: boolean;
  attempts: Attempt[];
}

/**
 * Split a connection's ordered attempts into its first connect and each reconnect: a run ends at an
 * answered attempt (connected or rejected) or when the kind (first / reconnect) changes.
 */
export function cascadesOf(c: Connection): Cascade[] {
  const out: Cascade[] = [];
  let current: Cascade | null = null;
  for (const a of c.attempts) {
    if (!current || current.reconnect !== a.reconnect) {
      current = { reconnect: a.reconnect, attempts: [] };
      out.push(current);
    }
    current.attempts.push(a);
    if (a.result === 'connected' || a.result === 'rejected') current = null;
  }
  return out;
}

export function cascadeText(attempts: readonly Attempt[]): string {
  return attempts.map(stepText).join(' → ');
}

/** Something that ended an established session: a WebSocket close, failed polls, a server's reconnect request. */
export interface Drop {
  attempt: Attempt;
  at: number | null;
  text: string;
}

export function dropsOf(c: Connection): Drop[] {
  const out: Drop[] = [];
  for (const a of c.attempts) {
    if (a.result !== 'connected') continue;
    const reasons: string[] = [];
    if (a.closeCode !== null) reasons.push(`close code ${a.closeCode}`);
    const p = a.polls;
    if (p && p.failedStatuses.length > 0) reasons.push(`${p.failedStatuses.length} failed ${p.failedStatuses.length === 1 ? 'poll' : 'polls'}: status ${[...new Set(p.failedStatuses)].join(', ')}`);
    if (p && p.reconnectSignals > 0) reasons.push(`server asked it to reconnect${p.reconnectSignals > 1 ? ` ${p.reconnectSignals}×` : ''}`);
    if (reasons.length === 0 && a.closedAt === null) continue;
    if (reasons.length === 0) reasons.push(a.transport === 'WEBSOCKET' ? 'no close code seen' : 'session ended');
    const ends = [a.closedAt, p?.lastAt ?? null].filter((t): t is number => t !== null);
    const at = ends.length ? Math.max(...ends) : null;
    out.push({ attempt: a, at, text: `${a.transport} dropped (${reasons.join('; ')})` });
  }
  return out;
}

/** "push.example.com:443/lb/diffusion". */
export function endpointText(e: Endpoint): string {
  if (!e.host) return '(unknown endpoint)';
  return `${e.host}:${e.port}${e.path}`;
}

export function prefixText(e: Endpoint): string {
  return e.prefix === '' ? 'no prefix' : `prefix ${e.prefix}`;
}

/** Scheme, host, port and path of an attempt (never its query). */
export function attemptLocation(a: Attempt): string {
  return a.endpoint.host ? locationOf(a.transport, a.endpoint) : redactText(a.url).split('?')[0] ?? '';
}

export const OUTCOME_LABEL: Record<Outcome, string> = {
  connected: 'connected',
  lost: 'lost',
  closed: 'closed',
  rejected: 'rejected',
  exhausted: 'exhausted',
  timeout: 'timed out',
  unknown: 'unknown',
};

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local wall-clock time with milliseconds: "09:00:01.250". */
export function clock(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The date before the clock, for captures that span days: "01-15 09:00:01.250". */
export function datedClock(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
}

/** Date and time for notes: "2025-01-15 09:00:01". */
export function dateTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 42 → "42 ms", 1500 → "1.5 s", 90000 → "90 s". */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${(Math.abs(s) < 10 ? s.toFixed(2) : s.toFixed(1)).replace(/\.?0+$/, '')} s`;
}

/** "answered 200 instead of 101", "status 0, net::ERR_FAILED": why one attempt got no session. */
function failure(a: Attempt): string {
  if (a.response) return `${a.response.code} ${a.response.name}`;
  if (a.transport === 'WEBSOCKET' && a.httpStatus !== null && a.httpStatus !== 101 && a.httpStatus !== 0) return `answered ${a.httpStatus} instead of 101`;
  return stepDetail(a);
}

/**
 * A connection's row in words: what happened and why. The verdict's title when the diagnosis
 * explains the connection; otherwise a sentence from its cascade.
 */
export function headline(c: Connection, verdict: Verdict | undefined): string {
  if (verdict) return redactText(verdict.title);
  const first = c.attempts.filter((a) => !a.reconnect);
  const failed = first.filter((a) => a.result === 'failed' || a.result === 'rejected');
  const won = c.attempts.find((a) => a.result === 'connected');
  const last = c.attempts[c.attempts.length - 1];
  switch (c.outcome) {
    case 'connected': {
      if (!won) return 'Connected';
      const before = failed.filter((a) => a.startedAt <= won.startedAt && a.transport !== won.transport);
      // The cascade on the row's second line has each step's detail; here only what names a cause.
      return before.length
        ? `Connected over ${won.transport} after ${before.map((a) => (a.response ? `${a.transport} rejected (${failure(a)})` : (a.httpStatus ?? 0) > 0 ? `${a.transport} ${failure(a)}` : `${a.transport} failed`)).join(', ')}`
        : `Connected over ${won.transport}`;
    }
    case 'closed': return `Closed by the application${won ? ` after connecting over ${won.transport}` : ''}`;
    case 'lost': return `Lost its session${last && last.response && !last.response.success ? `: ${last.response.code} ${last.response.name} on reconnect` : ''}`;
    case 'rejected': {
      const r = c.attempts.find((a) => a.result === 'rejected');
      return `Rejected by the server${r ? `: ${failure(r)}` : ''}`;
    }
    case 'exhausted': return `No transport connected: ${failed.map((a) => `${a.transport} ${failure(a)}`).join(', ') || 'every attempt failed'}`;
    case 'timeout': return 'No answer within the capture';
    case 'unknown': return 'The capture does not show how it ended';
  }
}
