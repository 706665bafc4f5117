// The JSON report: a stable contract (`"schema": 1`). Keys of schema 1 are never removed or renamed;
// new keys may be added. Redacted unless the caller asks for secrets.
import type { Analysis, Attempt, AttemptResult, ClientFamily, Connection, Finding, Headers, Outcome, Severity, Transport, Verdict } from '../model.ts';
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
  /** The client family: browser, node, java, android, apple, python, dotnet, c, unknown. */
  client: ClientFamily;
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
  connection: string | null;
  attempts: string[];
}

/**
 * A root cause with what it explains (added within schema 1: readers of schema 1 may ignore it).
 * Every finding of `findings` appears in exactly one verdict, as a cause or a consequence.
 */
export interface JsonVerdict {
  id: string;
  rule: string;
  severity: Severity;
  title: string;
  message: string;
  evidence: string[];
  fix: string;
  connections: string[];
  attempts: string[];
  causes: JsonFinding[];
  consequences: JsonFinding[];
}

export interface JsonReport {
  schema: 1;
  tool: 'dci';
  version: string;
  /** `capturedBy`: the tool that wrote the capture, from the HAR's log.creator. */
  input: { file: string | null; entries: number; skipped: number; unrelated: number | null; warnings: string[]; capturedBy: string | null; live?: { requests: number; sources: string[] } };
  summary: { connections: number; errors: number; warnings: number; info: number };
  connections: JsonConnection[];
  findings: JsonFinding[];
  /** Ordered by severity, then by how much they explain. */
  verdicts: JsonVerdict[];
  /** what the capture cannot show (e.g. it keeps no WebSocket messages). */
  notes: string[];
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
    endpoint: { host: reveal.text(e.host), port: e.port, secure: e.secure, path: reveal.text(e.path), prefix: reveal.text(e.prefix) },
    clientVersion: c.clientVersion === null ? null : reveal.text(c.clientVersion),
    protocolVersion: c.protocolVersion,
    outcome: c.outcome,
    attempts: c.attempts.map((a) => attemptJson(a, reveal, includeSecrets)),
    startedAt: iso(c.startedAt),
    pageUrl: c.pageUrl === null ? null : reveal.url(c.pageUrl),
    client: c.client,
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

function verdictJson(v: Verdict, reveal: Reveal): JsonVerdict {
  return {
    id: v.id,
    rule: v.rule,
    severity: v.severity,
    title: reveal.text(v.title),
    message: reveal.text(v.message),
    evidence: v.evidence.map((e) => reveal.text(e)),
    fix: reveal.text(v.fix),
    connections: [...v.connections],
    attempts: [...v.attempts],
    causes: v.causes.map((f) => findingJson(f, reveal)),
    consequences: v.consequences.map((f) => findingJson(f, reveal)),
  };
}

export function toJsonReport(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): JsonReport {
  const { report, connection } = reportParts(analysis, meta, opts);
  return { ...report, connections: analysis.connections.map(connection) };
}

/** The report without its connections (an empty list in their place), and how to write one of them. */
function reportParts(analysis: Analysis, meta: ReportMeta, opts: ReportOptions): { report: JsonReport; connection: (c: Connection) => JsonConnection } {
  const reveal = revealer(opts, analysis);
  const secrets = opts.includeSecrets ?? false;
  const counts = severityCounts(analysis.findings);
  const report: JsonReport = {
    schema: 1,
    tool: 'dci',
    version: meta.version,
    input: {
      file: meta.file,
      entries: meta.entries,
      skipped: meta.skipped,
      unrelated: meta.unrelated ?? null,
      warnings: (meta.warnings ?? []).map((w) => reveal.text(w)),
      capturedBy: meta.capturedBy ?? null,
      ...(meta.live ? { live: { requests: meta.live.requests, sources: [...meta.live.sources] } } : {}),
    },
    summary: { connections: analysis.connections.length, errors: counts.error, warnings: counts.warning, info: counts.info },
    connections: [],
    findings: analysis.findings.map((f) => findingJson(f, reveal)),
    verdicts: analysis.verdicts.map((v) => verdictJson(v, reveal)),
    notes: (analysis.context.notes ?? []).map((n) => reveal.text(n)),
  };
  return { report, connection: (c) => connectionJson(c, reveal, secrets) };
}

/** The JSON report as text, ending with a newline. */
export function toJson(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): string {
  return toJsonPieces(analysis, meta, opts).join('');
}

/**
 * The same text in pieces, to write one after the other: one a top-level key, and one a connection.
 * - Each connection is built and stringified on its own, so a capture's hundred thousand attempts are
 *   never all held as objects at once (they die young, cheap to collect).
 * - V8 stores a string with one character beyond Latin-1 (the "–" of an id range in a verdict) at two
 *   bytes a character, and so the whole report once joined; kept apart, the connections (nearly all
 *   of a big report) stay at one, and are stringified, copied and encoded faster.
 */
export function toJsonPieces(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): string[] {
  const { report, connection } = reportParts(analysis, meta, opts);
  const { connections } = analysis;
  return jsonPieces(report, { connections: { count: connections.length, item: (i) => connection(connections[i]!) } });
}

/** A list to write an item at a time: `item(i)` gives the value of the i-th of `count`. */
interface LazyList {
  count: number;
  item: (index: number) => unknown;
}

/**
 * `JSON.stringify(record, null, 2)` and a newline, in pieces that join to it: one a key of the plain
 * object `record`, and one an item of each list in `lists`, which stands for that key's value.
 */
export function jsonPieces(record: object, lists: Readonly<Record<string, LazyList>> = {}): string[] {
  const pieces: string[] = [];
  for (const key of Object.keys(record)) {
    const list = Object.hasOwn(lists, key) ? lists[key] : undefined;
    if (list) {
      pieces.push(pieces.length === 0 ? '{\n' : ',\n', `  ${JSON.stringify(key)}: `);
      listPieces(list, pieces);
      continue;
    }
    // Stringified alone under its key, a member is indented as it is in the whole.
    const member = JSON.stringify({ [key]: (record as Record<string, unknown>)[key] }, null, 2);
    if (member === '{}') continue; // undefined or a function: left out, as in the whole
    pieces.push(pieces.length === 0 ? '{\n' : ',\n', member.slice(2, -2));
  }
  pieces.push(pieces.length === 0 ? '{}\n' : '\n}\n');
  return pieces;
}

// An item stringified as the only one of a list under a key is indented as in the whole report.
const ITEM_HEAD = '{\n  "": [\n'.length;
const ITEM_TAIL = '\n  ]\n}'.length;

function listPieces(list: LazyList, pieces: string[]): void {
  if (list.count === 0) {
    pieces.push('[]');
    return;
  }
  pieces.push('[\n');
  for (let i = 0; i < list.count; i++) {
    if (i > 0) pieces.push(',\n');
    pieces.push(JSON.stringify({ '': [list.item(i)] }, null, 2).slice(ITEM_HEAD, -ITEM_TAIL));
  }
  pieces.push('\n  ]');
}
