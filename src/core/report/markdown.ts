// The Markdown report, for tickets: verdicts first (each with the findings it explains), then the
// other findings, then each connection's attempts. It reads the same rendered and as plain text:
// captured text (URLs, headers, error strings) is untrusted and reaches the page only through
// markdown-text.ts (code spans, fenced blocks, tables that fit), so a hostile URL cannot inject
// markup, HTML or a link, and nothing is backslash-escaped.
import type { Analysis, Attempt, Connection, Finding, Verdict } from '../model.ts';
import {
  attemptDetails, attemptStep, cascadeText, clientText, consequencesShown, countText, durationMs, endpointText, findingsSummary, formatDuration, idList, inputSummary, iso, notesOf, revealer, verdictsSummary,
} from './describe.ts';
import type { Reveal, ReportMeta, ReportOptions } from './describe.ts';
import { fixParts } from './fix.ts';
import { thousands } from '../rules/format.ts';
import { codeSpan, fencedBlock, fitTable, inlineText } from './markdown-text.ts';
import { findingsOutsideVerdicts } from './verdict-findings.ts';

function where(connection: string | null, attempts: readonly string[]): string {
  const parts: string[] = [];
  if (connection) parts.push(`connection ${inlineText(connection)}`);
  if (attempts.length) parts.push(`${attempts.length === 1 ? 'attempt' : 'attempts'} ${inlineText(idList(attempts))}`);
  return parts.join(', ');
}

/** "**Fix:** prose", then its configuration as a fenced block. */
function fixLines(fix: string, reveal: Reveal): string[] {
  const { prose, config } = fixParts(reveal.text(fix));
  const lines: string[] = [];
  if (prose) lines.push(`**Fix:** ${inlineText(prose)}`, '');
  if (config.length) lines.push(...fencedBlock(config), '');
  return lines;
}

function findingSection(f: Finding, n: number, reveal: Reveal): string[] {
  const at = where(f.connection, f.attempts);
  const lines = [`### ${n}. ${f.severity.toUpperCase()}: ${codeSpan(f.rule)}${at ? ` (${at})` : ''}`, ''];
  lines.push(inlineText(reveal.text(f.message), true), '');
  if (f.fix) lines.push(...fixLines(f.fix, reveal));
  return lines;
}

/** One verdict: title, where, why, evidence, fix, and the findings it explains as a list beneath. */
export function verdictSection(v: Verdict, n: number, reveal: Reveal): string[] {
  const lines = [`### ${n}. ${v.severity.toUpperCase()}: ${inlineText(reveal.text(v.title))}`, ''];
  const connections = v.connections.length ? `${v.connections.length === 1 ? 'Connection' : 'Connections'} ${inlineText(idList(v.connections))}` : null;
  const attempts = v.attempts.length ? `${v.attempts.length === 1 ? 'attempt' : 'attempts'} ${inlineText(idList(v.attempts))}` : null;
  lines.push(`${[connections, attempts, `rule ${codeSpan(v.rule)}`].filter(Boolean).join('; ')}.`, '');
  lines.push(inlineText(reveal.text(v.message), true), '');
  if (v.evidence.length) {
    lines.push('**Evidence:**', '');
    for (const e of v.evidence) lines.push(`- ${inlineText(reveal.text(e), true)}`);
    lines.push('');
  }
  if (v.fix) lines.push(...fixLines(v.fix, reveal));
  if (v.consequences.length) {
    lines.push(`**${v.consequences.length === 1 ? 'This explains one more finding' : `This explains ${thousands(v.consequences.length)} more findings`}:**`, '');
    const { shown, rest } = consequencesShown(v);
    for (const f of shown) {
      lines.push(`- ${f.severity} ${codeSpan(f.rule)}${f.connection ? ` (${inlineText(f.connection)})` : ''}: ${inlineText(reveal.text(f.message))}`);
    }
    if (rest) lines.push(`- ${inlineText(rest)}`);
    lines.push('');
  }
  return lines;
}

function clock(ms: number): string {
  return (iso(ms) ?? '?').replace(/^\d{4}-\d\d-\d\dT/, '');
}

/** One attempt as a list item: what happened, then its URL and polling on lines of their own. */
function attemptItem(a: Attempt, n: number, reveal: Reveal): string[] {
  const kind = `${a.transport}${a.reconnect ? ' reconnect' : ''}`;
  const lines = [`${n}. ${inlineText(a.id)} ${kind} ${a.result} (${inlineText(attemptDetails(a, reveal))})`];
  const indent = ' '.repeat(`${n}. `.length);
  lines.push(`${indent}${codeSpan(reveal.url(a.url))}`);
  if (a.polls) {
    const p = a.polls;
    const failed = p.failedStatuses.length ? `, failed statuses ${p.failedStatuses.join(', ')}` : '';
    lines.push(`${indent}Polling: ${countText(p.polls, 'poll')}, ${countText(p.sends, 'send')}${failed}, ${countText(p.reconnectSignals, 'reconnect signal')}.`);
  }
  return lines.flatMap((l, i) => (i === 0 ? [l] : ['', l]));
}

function connectionSection(c: Connection, reveal: Reveal): string[] {
  const lines = [`## Connection ${inlineText(c.id)}: ${c.outcome}`, ''];
  lines.push(`- **Endpoint:** ${codeSpan(reveal.text(endpointText(c)))}`);
  lines.push(`- **Load-balancer prefix:** ${c.endpoint.prefix ? codeSpan(reveal.text(c.endpoint.prefix)) : 'none'}`);
  lines.push(`- **Outcome:** ${c.outcome}`);
  const client = [inlineText(reveal.text(clientText(c))), c.protocolVersion !== null ? `protocol ${c.protocolVersion}` : null].filter(Boolean);
  lines.push(`- **Client:** ${client.join(', ')}`);
  if (c.pageUrl) lines.push(`- **Page:** ${codeSpan(reveal.url(c.pageUrl))}`);
  lines.push(`- **Cascade:** ${inlineText(cascadeText(c, reveal))}`);
  lines.push('');
  // The timing at a glance, when it fits; every detail is in the list that follows.
  const table = fitTable(
    ['attempt', 'transport', 'started (UTC)', 'duration', 'HTTP', 'result'],
    c.attempts.map((a) => [inlineText(a.id), a.transport + (a.reconnect ? ' reconnect' : ''), clock(a.startedAt), formatDuration(durationMs(a)), a.httpStatus === null ? '' : String(a.httpStatus), a.result]),
  );
  if (table) lines.push(...table, '');
  lines.push('**Attempts:**', '');
  c.attempts.forEach((a, i) => { for (const line of attemptItem(a, i + 1, reveal)) lines.push(line); lines.push(''); });
  return lines;
}

export function toMarkdown(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): string {
  const reveal = revealer(opts, analysis);
  const lines = ['# Diffusion connection report', ''];
  lines.push(`- **Input:** ${meta.file === null ? 'capture' : codeSpan(meta.file)}: ${inlineText(inputSummary(meta))}`);
  lines.push(`- **Connections:** ${thousands(analysis.connections.length)}`);
  lines.push(`- **Verdicts:** ${verdictsSummary(analysis)}`);
  lines.push(`- **Findings:** ${findingsSummary(analysis)}`);
  if (meta.capturedBy) lines.push(`- **Captured by:** ${inlineText(meta.capturedBy)}`);
  lines.push(`- **Tool:** dci ${inlineText(meta.version)}${opts.includeSecrets ? ' (secrets included: do not share)' : ''}`);
  for (const w of notesOf(meta, analysis)) lines.push(`- **Note:** ${inlineText(reveal.text(w))}`);
  lines.push('');
  if (analysis.verdicts.length > 0) {
    lines.push('## Verdicts', '');
    analysis.verdicts.forEach((v, i) => lines.push(...verdictSection(v, i + 1, reveal)));
  }
  const rest = findingsOutsideVerdicts(analysis);
  if (analysis.verdicts.length === 0 || rest.length > 0) {
    lines.push(analysis.verdicts.length > 0 ? '## Other findings' : '## Findings', '');
    if (rest.length === 0) lines.push('No problems found.', '');
    rest.forEach((f, i) => lines.push(...findingSection(f, i + 1, reveal)));
  }
  if (analysis.connections.length === 0) lines.push('## Connections', '', 'No Diffusion connection found in this capture.', '');
  // One connection can have 100,000 attempts: append line by line, never as spread arguments.
  for (const c of analysis.connections) for (const line of connectionSection(c, reveal)) lines.push(line);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
