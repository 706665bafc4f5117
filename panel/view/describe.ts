// Words and numbers for what core computed: cascade steps, outcomes, times. Pure text from the model;
// nothing here decides what is wrong (that is the rules' job) and nothing prints a secret.
import type { Attempt, Connection, Endpoint, Outcome } from '../../src/core/model.ts';
import { errorLabel, locationOf } from '../../src/core/rules/format.ts';
import { redactText } from '../../src/core/diffusion/redact.ts';

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

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
