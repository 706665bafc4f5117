// The terminal report: compact, findings first, ANSI colour only when asked. Captured text is
// untrusted: control characters are shown as \xNN so a URL cannot drive the terminal, and bidi
// overrides as \u{…} so it cannot reorder what the reader sees.
import type { Analysis, Attempt, Connection, Finding, Severity, Verdict } from '../model.ts';
import {
  attemptDetails, attemptStep, clientText, durationMs, endpointText, findingsSummary, formatDuration, inputSummary, iso, notesOf, revealer, verdictsSummary, verdictWhere,
} from './describe.ts';
import type { Reveal, ReportMeta, ReportOptions } from './describe.ts';
import { escapeInvisible } from './visible.ts';

export interface TextOptions extends ReportOptions {
  color?: boolean;
}

type Paint = (code: string, text: string) => string;

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36' };
const OUTCOME_COLOR: Record<string, string> = { connected: '32', closed: '0', lost: '31', rejected: '31', exhausted: '31', timeout: '31', unknown: '33' };

/** Control characters (C0, DEL, C1) and invisible formatting (bidi overrides, zero-width) as visible escapes. */
export function terminalSafe(text: string): string {
  return escapeInvisible(text);
}

function findingLines(f: Finding, paint: Paint, reveal: Reveal, indent = '  '): string[] {
  const where = [f.connection, f.attempts.length ? f.attempts.join(',') : null].filter(Boolean).join(' ');
  const head = `${paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7))} ${paint('1', terminalSafe(f.rule))}${where ? paint('2', `  ${terminalSafe(where)}`) : ''}`;
  const lines = [`${indent}${head}`, `${indent}        ${terminalSafe(reveal.text(f.message))}`];
  if (f.fix) lines.push(`${indent}        ${paint('2', 'fix:')} ${terminalSafe(reveal.text(f.fix))}`);
  return lines;
}

// A verdict: the cause in words, its evidence and fix, then the findings it explains, indented beneath.
function verdictLines(v: Verdict, paint: Paint, reveal: Reveal): string[] {
  const where = verdictWhere(v.connections);
  const lines = [
    `  ${paint(SEVERITY_COLOR[v.severity], v.severity.padEnd(7))} ${paint('1', terminalSafe(reveal.text(v.title)))}${where ? paint('2', `  ${terminalSafe(where)}`) : ''}`,
    `          ${paint('2', 'cause:')} ${terminalSafe(v.rule)}  ${terminalSafe(reveal.text(v.message))}`,
  ];
  for (const e of v.evidence) lines.push(`          ${paint('2', 'evidence:')} ${terminalSafe(reveal.text(e))}`);
  if (v.fix) lines.push(`          ${paint('2', 'fix:')} ${terminalSafe(reveal.text(v.fix))}`);
  if (v.consequences.length > 0) {
    lines.push(`          ${paint('2', `which explains ${v.consequences.length === 1 ? 'this finding' : `these ${v.consequences.length} findings`}:`)}`);
    for (const f of v.consequences) lines.push(...findingLines(f, paint, reveal, '            '));
  }
  return lines;
}

function attemptLine(a: Attempt, paint: Paint, reveal: Reveal): string {
  const time = (iso(a.startedAt) ?? '?').replace(/^\d{4}-\d\d-\d\dT/, '').replace(/Z$/, '');
  const result = paint(a.result === 'connected' ? '32' : a.result === 'unknown' ? '33' : '31', a.result);
  const kind = `${a.transport}${a.reconnect ? ' reconnect' : ''}`;
  return `    ${a.id.padEnd(4)} ${kind.padEnd(19)} ${time}  ${formatDuration(durationMs(a)).padStart(8)}  ${result} (${terminalSafe(attemptDetails(a, reveal))})\n         ${paint('2', terminalSafe(reveal.url(a.url)))}`;
}

function connectionLines(c: Connection, paint: Paint, reveal: Reveal): string[] {
  const head = `  ${paint('1', c.id)}  ${terminalSafe(reveal.text(endpointText(c)))}  prefix ${c.endpoint.prefix ? terminalSafe(reveal.text(c.endpoint.prefix)) : '(none)'}  ${paint(OUTCOME_COLOR[c.outcome] ?? '0', c.outcome)}`;
  const lines = [head];
  const client = [`client ${terminalSafe(clientText(c))}`, c.protocolVersion !== null ? `protocol ${c.protocolVersion}` : null, c.pageUrl ? `page ${terminalSafe(reveal.url(c.pageUrl))}` : null].filter(Boolean);
  lines.push(`    ${client.join(', ')}`);
  lines.push(`    ${terminalSafe(c.attempts.map((a) => attemptStep(a, reveal)).join(' → '))}`);
  for (const a of c.attempts) {
    lines.push(attemptLine(a, paint, reveal));
    if (a.polls) {
      const p = a.polls;
      lines.push(`         polling: ${p.polls} polls, ${p.sends} sends${p.failedStatuses.length ? `, failed statuses ${p.failedStatuses.join(', ')}` : ''}, ${p.reconnectSignals} reconnect signals`);
    }
  }
  return lines;
}

export function toText(analysis: Analysis, meta: ReportMeta, opts: TextOptions = {}): string {
  const paint: Paint = opts.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const reveal = revealer(opts, analysis);
  const lines: string[] = [];
  const file = meta.file === null ? 'capture' : terminalSafe(meta.file);
  lines.push(`${paint('1', `dci ${meta.version}`)}  ${file}: ${inputSummary(meta)}; ${analysis.connections.length} ${analysis.connections.length === 1 ? 'connection' : 'connections'}; verdicts: ${verdictsSummary(analysis)}; findings: ${findingsSummary(analysis)}`);
  if (meta.capturedBy) lines.push(`captured by ${terminalSafe(meta.capturedBy)}`);
  if (opts.includeSecrets) lines.push(paint('33', 'secrets included: do not share this output'));
  for (const w of notesOf(meta, analysis)) lines.push(paint('33', `note: ${terminalSafe(reveal.text(w))}`));
  if (analysis.verdicts.length > 0) {
    lines.push('', paint('1', 'Verdicts'));
    analysis.verdicts.forEach((v, i) => lines.push(...(i > 0 ? [''] : []), ...verdictLines(v, paint, reveal)));
  }
  lines.push('', paint('1', 'Connections'));
  if (analysis.connections.length === 0) lines.push('  no Diffusion connection found in this capture');
  // One connection can have 100,000 attempts: append line by line, never as spread arguments.
  for (const c of analysis.connections) {
    for (const line of connectionLines(c, paint, reveal)) lines.push(line);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
