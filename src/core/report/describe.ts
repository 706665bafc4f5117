// Wording and values every report format shares: what to call an attempt, a cascade, a time.
// Secrets: every URL goes through redactUrl and every free text through redactText unless the
// caller asked for secrets, then through the secrets the analysis learnt (secrets.ts), wherever
// they appear. The connection response's token is never shown.
import type { Analysis, Attempt, Connection, Finding, Severity, Verdict } from '../model.ts';
import { REDACTED, isSecretHeader, redactText, redactUrl } from '../diffusion/redact.ts';
import { KnownSecrets } from '../diffusion/secrets.ts';
import type { Headers } from '../model.ts';
import { CLIENT_FAMILY_NAMES } from '../diffusion/client-family.ts';
import { idListing, plural, thousands } from '../rules/format.ts';

/** What the report is about, besides the analysis. */
export interface ReportMeta {
  /** Tool version. */
  version: string;
  /** The input file name as the user gave it, or null (panel, stdin). */
  file: string | null;
  /** Elements of log.entries. */
  entries: number;
  /** Elements that could not be read as entries. */
  skipped: number;
  /** Entries left out because they cannot be Diffusion traffic. */
  unrelated?: number;
  /** Reader warnings (undated requests, skipped entries). */
  warnings?: readonly string[];
  /** The tool that wrote the capture (a HAR's log.creator), shown as "captured by". */
  capturedBy?: string | null;
  /** A live capture (the panel): requests seen as they happened, and by which sources. */
  live?: { requests: number; sources: readonly string[] };
}

export interface ReportOptions {
  /** Show passwords, tokens and cookies as captured. */
  includeSecrets?: boolean;
  /**
   * Secrets learnt from the whole capture (every request read, polls included); those of the
   * analysis's own attempts are always added. Each is removed wherever it appears, in any encoding.
   */
  secrets?: KnownSecrets;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Applies or skips redaction, once for the whole report. */
export interface Reveal {
  url(url: string): string;
  text(text: string): string;
  headers(headers: Headers): Headers;
}

export function revealer(opts: ReportOptions = {}, analysis?: Pick<Analysis, 'connections'>): Reveal {
  if (opts.includeSecrets) return { url: (u) => u, text: (t) => t, headers: (h) => h };
  const known = opts.secrets ?? new KnownSecrets();
  if (analysis) for (const c of analysis.connections) for (const a of c.attempts) known.addAttempt(a);
  // A capture repeats the same URLs and header values thousands of times (a retrying client):
  // each distinct string is redacted once. Long texts (bodies) are rare and not kept.
  const url = memo((u) => known.redact(redactUrl(u)));
  const text = memo((t) => known.redact(redactText(t)));
  let secretHeader: string | null = null;
  return {
    url,
    text,
    // As redactHeaders then known.redact on every value, one value at a time.
    headers: (h) => {
      const out: Headers = {};
      for (const k in h) {
        if (!Object.hasOwn(h, k)) continue;
        const v = isSecretHeader(k) ? (secretHeader ??= known.redact(REDACTED)) : text(h[k]!);
        // A header named "__proto__" stays a header (as Object.fromEntries would keep it).
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    },
  };
}

const MEMO_MAX_CHARS = 4096;

function memo(f: (s: string) => string): (s: string) => string {
  const done = new Map<string, string>();
  return (s) => {
    if (s.length > MEMO_MAX_CHARS) return f(s);
    let out = done.get(s);
    if (out === undefined) done.set(s, (out = f(s)));
    return out;
  };
}

const DAY_MS = 86_400_000;
// The date part of the last day written: a report writes hundreds of thousands of times, nearly all
// on one day, and Date#toISOString for each costs five times what this does.
let cachedDay = NaN;
let cachedDayText = '';

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** As `new Date(ms).toISOString()` (null for no time or one out of a Date's range). */
export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  const t = Math.trunc(ms); // as a Date keeps it
  if (Math.abs(t) > 8.64e15) return null;
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day).toISOString().slice(0, -13); // "2025-01-15T" (or a six-digit year)
  }
  let rest = t - day;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${cachedDayText}${twoDigits(hour)}:${twoDigits(minute)}:${twoDigits(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

export function durationMs(a: Attempt): number | null {
  if (a.endedAt === null || !Number.isFinite(a.endedAt) || !Number.isFinite(a.startedAt)) return null;
  return Math.max(0, Math.round(a.endedAt - a.startedAt));
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '?';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** `http://push.example.com:443/lb/diffusion` from an endpoint, never with a query. */
export function endpointText(c: Connection): string {
  const e = c.endpoint;
  const transport = c.attempts[0]?.transport ?? 'WEBSOCKET';
  const scheme = transport === 'WEBSOCKET' ? (e.secure ? 'wss' : 'ws') : e.secure ? 'https' : 'http';
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${scheme}://${host}:${e.port}${e.path}`;
}

/** The details in brackets after an attempt's result: the response, or what went wrong. */
export function attemptDetails(a: Attempt, reveal: Reveal): string {
  if (a.response) {
    const r = a.response;
    return `${r.code} ${r.name}${r.sessionId ? `, session ${r.sessionId}` : ''}`;
  }
  const parts: string[] = [];
  // An upgrade without any Diffusion parameters: a proxy on the way dropped them.
  if (a.params.carrier === 'none') parts.push('no Diffusion parameters: stripped on the way');
  if (a.httpStatus !== null) parts.push(`status ${a.httpStatus}`);
  if (a.error) parts.push(reveal.text(a.error));
  if (a.responseError) parts.push(reveal.text(a.responseError.error));
  if (parts.length === 0) parts.push('no response seen');
  return parts.join(', ');
}

/** `WEBSOCKET failed (status 0, net::ERR_FAILED)`; reconnects say so. */
export function attemptStep(a: Attempt, reveal: Reveal): string {
  return `${a.reconnect ? 'reconnect ' : ''}${a.transport} ${a.result} (${attemptDetails(a, reveal)})`;
}

/** Steps a cascade's one line shows, as the panel's row does: a retry storm has hundreds of attempts, each listed beneath it. */
export const CASCADE_STEPS_SHOWN = 8;

/** The cascade in one line: its first steps, then how many more there are. */
export function cascadeText(c: Connection, reveal: Reveal): string {
  const n = c.attempts.length;
  const shown = n > CASCADE_STEPS_SHOWN ? c.attempts.slice(0, CASCADE_STEPS_SHOWN) : c.attempts;
  const steps = shown.map((a) => attemptStep(a, reveal)).join(' → ');
  return shown.length < n ? `${steps} → … ${thousands(n - shown.length)} more` : steps;
}

/** Findings a verdict shows beneath it in text and Markdown; a retry storm folds hundreds of near-copies. */
export const CONSEQUENCES_SHOWN = 8;

/** The consequences a report lists, and a line counting the rest by rule (null when all are listed). */
export function consequencesShown(v: Verdict): { shown: readonly Finding[]; rest: string | null } {
  if (v.consequences.length <= CONSEQUENCES_SHOWN) return { shown: v.consequences, rest: null };
  const byRule = new Map<string, number>();
  for (const f of v.consequences.slice(CONSEQUENCES_SHOWN)) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const counts = [...byRule].map(([rule, n]) => `${rule} ×${thousands(n)}`).join(', ');
  return {
    shown: v.consequences.slice(0, CONSEQUENCES_SHOWN),
    rest: `and ${plural(v.consequences.length - CONSEQUENCES_SHOWN, 'more finding')} (${counts}), each in the JSON and HTML reports`,
  };
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** "1 entry", "12,345 entries": as the rules count in their messages. */
export { plural as countText };

/** "3 errors, 1 warning" (omits zero counts; "none" when there are no findings). */
export function findingsSummary(analysis: Analysis): string {
  const c = severityCounts(analysis.findings);
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => plural(c[s], s, s === 'info' ? 'info' : `${s}s`));
  return parts.length ? parts.join(', ') : 'none';
}

/** One line about the input: entries read, skipped, left out. */
export function inputSummary(meta: ReportMeta): string {
  const parts: string[] = [];
  if (meta.live) parts.push(`${plural(meta.live.requests, 'request')} seen live${meta.live.sources.length ? ` (${meta.live.sources.join(', ')})` : ''}`);
  // A live capture read no file: "0 entries" would read as "nothing captured".
  if (!meta.live || meta.entries > 0 || meta.skipped > 0) parts.push(`${plural(meta.entries, 'entry', 'entries')}${meta.live ? ' imported' : ''}`);
  if (meta.skipped > 0) parts.push(`${thousands(meta.skipped)} skipped (not readable as HAR entries)`);
  if (meta.unrelated !== undefined && (!meta.live || meta.entries > 0)) parts.push(`${thousands(meta.unrelated)} not Diffusion traffic`);
  return parts.join(', ');
}

/** Reader warnings, then what the analysis found the capture cannot show: each printed once as a note. */
export function notesOf(meta: ReportMeta, analysis: Analysis): string[] {
  return [...(meta.warnings ?? []), ...(analysis.context.notes ?? [])];
}

/** "Java", "JavaScript in a browser 6.12.1": the client family, and the library version when known. */
export function clientText(c: Connection): string {
  return `${CLIENT_FAMILY_NAMES[c.client] ?? CLIENT_FAMILY_NAMES.unknown}${c.clientVersion ? ` ${c.clientVersion}` : ''}`;
}

export function hasErrors(analysis: Analysis): boolean {
  return analysis.findings.some((f) => f.severity === 'error');
}

/** "2 errors, 1 info" for the verdicts (each the root cause of one or more connections), or "none". */
export function verdictsSummary(analysis: Analysis): string {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const v of analysis.verdicts) c[v.severity]++;
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => plural(c[s], s, s === 'info' ? 'info' : `${s}s`));
  return parts.length ? parts.join(', ') : 'none';
}

/** Ids as a list, "c1–c3, c7"; a long list keeps its ends and says how many it holds (see idListing). */
export function idList(ids: readonly string[]): string {
  return idListing(ids, (runs) => runs.join(', '));
}
