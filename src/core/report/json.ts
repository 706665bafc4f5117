// The JSON report: a stable contract (`"schema": 1`). Keys of schema 1 are never removed or renamed;
// new keys may be added. Redacted unless the caller asks for secrets.
import type { Analysis, Attempt, AttemptResult, Connection, Finding, Headers, Outcome, Severity, Transport } from '../model.ts';
import { durationMs, iso, revealer, severityCounts } from './describe.ts';
import type { Reveal, ReportMeta, ReportOptions } from './describe.ts';

export interface JsonResponse {
  code: number;
  name: string;
  sessionId: string | null;
  pingPeriodMs: number | null;
}

export interface JsonPolls {
  polls: number;
  sends: number;
  failedStatuses: number[];
  reconnectSignals: number;
}

export interface JsonAttempt {
  id: string;
  transport: Transport;
  url: string;
  startedAt: string | null;
  durationMs: number | null;
  reconnect: boolean;
  httpStatus: number | null;
  error: string | null;
  response: JsonResponse | null;
  result: AttemptResult;
  /** Why the connection response could not be decoded, with its first bytes (never the token's). */
  responseError: { error: string; hex: string } | null;
  /** XHR: the long polls and sends of the session. */
  polls: JsonPolls | null;
  closeCode: number | null;
  requestHeaders: Headers;
  responseHeaders: Headers;
}

export interface JsonConnection {
  id: string;
  endpoint: { host: string; port: number; secure: boolean; path: string; prefix: string };
  clientVersion: string | null;
  protocolVersion: number | null;
  outcome: Outcome;
  attempts: JsonAttempt[];
  startedAt: string | null;
  pageUrl: string | null;
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
  connection: string | null;
  attempts: string[];
}

export interface JsonReport {
  schema: 1;
  tool: 'dci';
  version: string;
  input: { file: string | null; entries: number; skipped: number; unrelated: number | null; warnings: string[]; live?: { requests: number; sources: string[] } };
  summary: { connections: number; errors: number; warnings: number; info: number };
  connections: JsonConnection[];
  findings: JsonFinding[];
}

// Bytes 0–18 of a connection response are protocol byte, version, code and session id; the token follows.
const SAFE_RESPONSE_HEX_CHARS = 19 * 2;

function attemptJson(a: Attempt, reveal: Reveal, includeSecrets: boolean): JsonAttempt {
  const r = a.response;
  return {
    id: a.id,
    transport: a.transport,
    url: reveal.url(a.url),
    startedAt: iso(a.startedAt),
    durationMs: durationMs(a),
    reconnect: a.reconnect,
    httpStatus: a.httpStatus,
    error: a.error === null ? null : reveal.text(a.error),
    response: r ? { code: r.code, name: r.name, sessionId: r.sessionId, pingPeriodMs: r.pingPeriodMs } : null,
    result: a.result,
    responseError: a.responseError
      ? { error: reveal.text(a.responseError.error), hex: includeSecrets ? a.responseError.hex : a.responseError.hex.slice(0, SAFE_RESPONSE_HEX_CHARS) }
      : null,
    polls: a.polls ? { polls: a.polls.polls, sends: a.polls.sends, failedStatuses: [...a.polls.failedStatuses], reconnectSignals: a.polls.reconnectSignals } : null,
    closeCode: a.closeCode,
    requestHeaders: reveal.headers(a.requestHeaders),
    responseHeaders: reveal.headers(a.responseHeaders),
  };
}

function connectionJson(c: Connection, reveal: Reveal, includeSecrets: boolean): JsonConnection {
  const e = c.endpoint;
  return {
    id: c.id,
    endpoint: { host: e.host, port: e.port, secure: e.secure, path: e.path, prefix: e.prefix },
    clientVersion: c.clientVersion,
    protocolVersion: c.protocolVersion,
    outcome: c.outcome,
    attempts: c.attempts.map((a) => attemptJson(a, reveal, includeSecrets)),
    startedAt: iso(c.startedAt),
    pageUrl: c.pageUrl === null ? null : reveal.url(c.pageUrl),
  };
}

function findingJson(f: Finding, reveal: Reveal): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: reveal.text(f.message),
    fix: reveal.text(f.fix),
    connection: f.connection,
    attempts: [...f.attempts],
  };
}

export function toJsonReport(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): JsonReport {
  const reveal = revealer(opts);
  const secrets = opts.includeSecrets ?? false;
  const counts = severityCounts(analysis.findings);
  return {
    schema: 1,
    tool: 'dci',
    version: meta.version,
    input: {
      file: meta.file,
      entries: meta.entries,
      skipped: meta.skipped,
      unrelated: meta.unrelated ?? null,
      warnings: (meta.warnings ?? []).map((w) => reveal.text(w)),
      ...(meta.live ? { live: { requests: meta.live.requests, sources: [...meta.live.sources] } } : {}),
    },
    summary: { connections: analysis.connections.length, errors: counts.error, warnings: counts.warning, info: counts.info },
    connections: analysis.connections.map((c) => connectionJson(c, reveal, secrets)),
    findings: analysis.findings.map((f) => findingJson(f, reveal)),
  };
}

/** The JSON report as text, ending with a newline. */
export function toJson(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): string {
  return `${JSON.stringify(toJsonReport(analysis, meta, opts), null, 2)}\n`;
}
