// The terminal report: compact, verdicts first (each with the findings it explains folded beneath),
// then the other findings, then each connection. Every paragraph wraps to the width with a hanging
// indent. ANSI colour only when asked. Captured text is untrusted: control characters are shown as
// \xNN so a URL cannot drive the terminal, and bidi overrides as \u{…} so it cannot reorder what the
// reader sees.
import type { Analysis, Attempt, Connection, Finding, Severity, Verdict } from '../model.ts';
import {
  attemptDetails, attemptStep, cascadeText, clientText, consequencesShown, countText, durationMs, endpointText, findingsSummary, formatDuration, idList, inputSummary, iso, notesOf, revealer, verdictsSummary,
} from './describe.ts';
import type { Reveal, ReportMeta, ReportOptions } from './describe.ts';
import { fixParts } from './fix.ts';
import { thousands } from '../rules/format.ts';
import { displayWidth, wrap } from './wrap.ts';
import { findingsOutsideVerdicts } from './verdict-findings.ts';
import { escapeInvisible } from './visible.ts';

export interface TextOptions extends ReportOptions {
  color?: boolean;
  /** Columns to wrap to; default 80. */
  width?: number;
}

type Paint = (code: string, text: string) => string;

/** What every part of the report needs: colour, redaction and the width. */
interface Out {
  paint: Paint;
  reveal: Reveal;
  width: number;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36' };
const OUTCOME_COLOR: Record<string, string> = { connected: '32', lost: '31', closed: '0', rejected: '31', exhausted: '31', timeout: '31', unknown: '33' };

// Findings and verdicts: the severity in a column of its own, the text beneath at this indent.
const BODY = ' '.repeat(11);

/** Control characters (C0, DEL, C1) and invisible formatting (bidi overrides, zero-width) as visible escapes. */
export function terminalSafe(text: string): string {
  return escapeInvisible(text);
}

/** A paragraph at `first`, continuing at `rest` (default: under its first character). */
function para(o: Out, text: string, first: string, rest?: string): string[] {
  return wrap(text, { width: o.width, first, rest });
}

/** "fix: …" wrapped under its first word, then any configuration as an indented block. */
function fixLines(o: Out, fix: string, indent: string): string[] {
  const { prose, config } = fixParts(o.reveal.text(fix));
  const label = `${o.paint('2', 'fix:')} `;
  const lines = prose ? para(o, terminalSafe(prose), indent + label, `${indent}     `) : [];
  // Configuration is copied as it is: never wrapped, indented less when the width is short.
  const longest = Math.max(0, ...config.map((l) => displayWidth(terminalSafe(l))));
  const at = [`${indent}       `, '    ', ''].find((p) => p.length + longest <= o.width) ?? '';
  for (const line of config) lines.push(`${at}${terminalSafe(line)}`);
  return lines;
}

function findingLines(f: Finding, o: Out): string[] {
  const where = [f.connection, f.attempts.length ? idList(f.attempts) : null].filter(Boolean).join(' ');
  const head = `${o.paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(7))}  ${o.paint('1', terminalSafe(f.rule))}${where ? `  ${o.paint('2', terminalSafe(where))}` : ''}`;
  const lines = para(o, head, '  ', BODY);
  lines.push(...para(o, terminalSafe(o.reveal.text(f.message)), BODY));
  if (f.fix) lines.push(...fixLines(o, f.fix, BODY));
  return lines;
}

/** A finding a verdict explains: one paragraph under the verdict. */
function consequenceLines(f: Finding, o: Out): string[] {
  const where = f.connection ? ` (${f.connection})` : '';
  const text = `${o.paint(SEVERITY_COLOR[f.severity], f.severity)} ${o.paint('1', terminalSafe(f.rule))}${terminalSafe(where)}: ${terminalSafe(o.reveal.text(f.message))}`;
  return para(o, text, `${BODY}- `, `${BODY}  `);
}

/** One verdict: its title, where, why, the evidence, the fix, and the findings it explains. */
export function verdictLines(v: Verdict, o: Out): string[] {
  const lines = para(o, `${o.paint(SEVERITY_COLOR[v.severity], v.severity.padEnd(7))}  ${o.paint('1', terminalSafe(o.reveal.text(v.title)))}`, '  ', BODY);
  const where = [
    v.connections.length ? `${v.connections.length === 1 ? 'connection' : 'connections'} ${idList(v.connections)}` : null,
    v.attempts.length ? `${v.attempts.length === 1 ? 'attempt' : 'attempts'} ${idList(v.attempts)}` : null,
    `rule ${v.rule}`,
  ].filter(Boolean).join('; ');
  lines.push(...para(o, o.paint('2', terminalSafe(where)), BODY));
  lines.push(...para(o, terminalSafe(o.reveal.text(v.message)), BODY));
  for (const e of v.evidence) lines.push(...para(o, terminalSafe(o.reveal.text(e)), `${BODY}${o.paint('2', '>')} `, `${BODY}  `));
  if (v.fix) lines.push(...fixLines(o, v.fix, BODY));
  if (v.consequences.length) {
    lines.push(`${BODY}${o.paint('2', v.consequences.length === 1 ? 'which explains:' : `which explains ${thousands(v.consequences.length)} more findings:`)}`);
    const { shown, rest } = consequencesShown(v);
    for (const f of shown) lines.push(...consequenceLines(f, o));
    if (rest) lines.push(...para(o, terminalSafe(rest), `${BODY}- `, `${BODY}  `));
  }
  return lines;
}

function attemptLines(a: Attempt, o: Out): string[] {
  const time = (iso(a.startedAt) ?? '?').replace(/^\d{4}-\d\d-\d\dT/, '').replace(/Z$/, '');
  const result = o.paint(a.result === 'connected' ? '32' : a.result === 'unknown' ? '33' : '31', a.result);
  const kind = `${a.transport}${a.reconnect ? ' reconnect' : ''}`;
  const head = `${a.id.padEnd(4)} ${kind.padEnd(19)} ${time}  ${formatDuration(durationMs(a)).padStart(8)}  ${result} (${terminalSafe(attemptDetails(a, o.reveal))})`;
  const lines = para(o, head, '    ', ' '.repeat(9));
  // A URL is one word: it breaks only where it must, at its own punctuation.
  lines.push(...para(o, terminalSafe(o.reveal.url(a.url)), ' '.repeat(9)).map((l) => o.paint('2', l)));
  if (a.polls) {
    const p = a.polls;
    lines.push(...para(o, `polling: ${countText(p.polls, 'poll')}, ${countText(p.sends, 'send')}${p.failedStatuses.length ? `, failed statuses ${p.failedStatuses.join(', ')}` : ''}, ${countText(p.reconnectSignals, 'reconnect signal')}`, ' '.repeat(9)));
  }
  return lines;
}

function connectionLines(c: Connection, o: Out): string[] {
  const head = `${o.paint('1', c.id)}  ${terminalSafe(o.reveal.text(endpointText(c)))}  prefix ${c.endpoint.prefix ? terminalSafe(o.reveal.text(c.endpoint.prefix)) : '(none)'}  ${o.paint(OUTCOME_COLOR[c.outcome] ?? '0', c.outcome)}`;
  const lines = para(o, head, '  ', '      ');
  const client = [`client ${terminalSafe(o.reveal.text(clientText(c)))}`, c.protocolVersion !== null ? `protocol ${c.protocolVersion}` : null, c.pageUrl ? `page ${terminalSafe(o.reveal.url(c.pageUrl))}` : null].filter(Boolean);
  lines.push(...para(o, client.join(', '), '    ', '      '));
  lines.push(...para(o, terminalSafe(cascadeText(c, o.reveal)), '    ', '      '));
  for (const a of c.attempts) for (const line of attemptLines(a, o)) lines.push(line);
  return lines;
}

export function toText(analysis: Analysis, meta: ReportMeta, opts: TextOptions = {}): string {
  const paint: Paint = opts.color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const o: Out = { paint, reveal: revealer(opts, analysis), width: Math.max(20, opts.width ?? 80) };
  const lines: string[] = [];
  const file = meta.file === null ? 'capture' : terminalSafe(meta.file);
  const n = analysis.connections.length;
  lines.push(...para(o, `${paint('1', `dci ${meta.version}`)}  ${file}: ${terminalSafe(inputSummary(meta))}; ${countText(n, 'connection')}; verdicts: ${verdictsSummary(analysis)}; findings: ${findingsSummary(analysis)}`, '', '  '));
  if (meta.capturedBy) lines.push(...para(o, `captured by ${terminalSafe(meta.capturedBy)}`, '', '  '));
  if (opts.includeSecrets) lines.push(paint('33', 'secrets included: do not share this output'));
  for (const w of notesOf(meta, analysis)) lines.push(...para(o, terminalSafe(o.reveal.text(w)), paint('33', 'note: '), '      '));
  if (analysis.verdicts.length > 0) {
    lines.push('', paint('1', 'Verdicts'));
    analysis.verdicts.forEach((v, i) => lines.push(...(i > 0 ? [''] : []), ...verdictLines(v, o)));
  }
  const rest = findingsOutsideVerdicts(analysis);
  if (rest.length > 0) {
    lines.push('', paint('1', analysis.verdicts.length > 0 ? 'Other findings' : 'Findings'));
    for (const f of rest) lines.push(...findingLines(f, o));
  }
  lines.push('', paint('1', 'Connections'));
  if (n === 0) lines.push('  no Diffusion connection found in this capture');
  // One connection can have 100,000 attempts: append line by line, never as spread arguments.
  for (const c of analysis.connections) {
    for (const line of connectionLines(c, o)) lines.push(line);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
