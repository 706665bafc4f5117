// The Markdown report, for tickets: verdicts first (each root cause with the findings it explains
// beneath it), then each connection's cascade and attempts.
// URLs, headers and error strings come from the captured page and are untrusted: every one goes
// through `escapeMarkdown` (not into code spans, whose content some ticket renderers do not treat as
// literal), so a hostile URL cannot inject markup, HTML or even a link.
import type { Analysis, Attempt, Connection, Finding, Verdict } from '../model.ts';
import {
  attemptDetails, attemptStep, clientText, durationMs, endpointText, findingsSummary, formatDuration, inputSummary, iso, notesOf, revealer, verdictsSummary, verdictWhere,
} from './describe.ts';
import type { Reveal, ReportMeta, ReportOptions } from './describe.ts';
import { escapeInvisible } from './visible.ts';

/**
 * Plain text safe in Markdown and in a GFM table cell: no markup, no HTML, one line, and no autolink
 * (the ':' of '://' and the '.' of 'www.' are escaped, which renders them unchanged).
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_{}[\]()#+!|~<>&]/g, (c) => {
      if (c === '<') return '&lt;';
      if (c === '>') return '&gt;';
      if (c === '&') return '&amp;';
      return `\\${c}`;
    })
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
}

/**
 * Untrusted text as an inline code span: nothing inside is markup or a link. The fence is longer
 * than any run of backticks inside. In a table `|` is escaped: GFM splits cells even inside code.
 */
export function codeSpan(text: string, inTable = false): string {
  const line = oneLine(text);
  const t = inTable ? line.replace(/\|/g, '\\|') : line;
  if (t === '') return '` `';
  let longest = 0;
  for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

// Line breaks and other control characters would end a table row or a list item early; bidi
// overrides and zero-width characters would change what the reader sees: all shown as escapes.
function oneLine(text: string): string {
  return escapeInvisible(text.replace(/[\r\n]+/g, ' '));
}

function findingWhere(f: Finding): string {
  const where: string[] = [];
  if (f.connection) where.push(`connection ${escapeMarkdown(f.connection)}`);
  if (f.attempts.length) where.push(`${f.attempts.length === 1 ? 'attempt' : 'attempts'} ${f.attempts.map(escapeMarkdown).join(', ')}`);
  return where.length ? ` (${where.join(', ')})` : '';
}

function verdictSection(v: Verdict, n: number, reveal: Reveal): string[] {
  const where = verdictWhere(v.connections);
  const lines = [`### ${n}. ${v.severity.toUpperCase()} · ${escapeMarkdown(reveal.text(v.title))}${where ? ` (${escapeMarkdown(where)})` : ''}`, ''];
  lines.push(`**Cause:** ${codeSpan(v.rule)}: ${escapeMarkdown(reveal.text(v.message))}`, '');
  if (v.evidence.length) {
    lines.push('**Evidence:**', '');
    for (const e of v.evidence) lines.push(`- ${escapeMarkdown(reveal.text(e))}`);
    lines.push('');
  }
  if (v.fix) lines.push(`**Fix:** ${escapeMarkdown(reveal.text(v.fix))}`, '');
  if (v.consequences.length) {
    lines.push(`**Which explains:**`, '');
    for (const f of v.consequences) lines.push(`- ${f.severity.toUpperCase()} · ${codeSpan(f.rule)}${findingWhere(f)}: ${escapeMarkdown(reveal.text(f.message))}`);
    lines.push('');
  }
  return lines;
}

function attemptRow(a: Attempt, reveal: Reveal): string {
  const cells = [
    escapeMarkdown(a.id),
    a.transport + (a.reconnect ? ' (reconnect)' : ''),
    escapeMarkdown(iso(a.startedAt) ?? '?'),
    formatDuration(durationMs(a)),
    a.httpStatus === null ? '' : String(a.httpStatus),
    escapeMarkdown(attemptDetails(a, reveal)),
    a.result,
    escapeMarkdown(reveal.url(a.url)),
  ];
  return `| ${cells.join(' | ')} |`;
}

function connectionSection(c: Connection, reveal: Reveal): string[] {
  const lines = [`## Connection ${escapeMarkdown(c.id)}: ${c.outcome}`, ''];
  lines.push(`- **Endpoint:** ${escapeMarkdown(reveal.text(endpointText(c)))}`);
  lines.push(`- **Load-balancer prefix:** ${c.endpoint.prefix ? escapeMarkdown(reveal.text(c.endpoint.prefix)) : 'none'}`);
  lines.push(`- **Outcome:** ${c.outcome}`);
  const client = [escapeMarkdown(clientText(c)), c.protocolVersion !== null ? `protocol ${c.protocolVersion}` : null].filter(Boolean);
  lines.push(`- **Client:** ${client.join(', ')}`);
  if (c.pageUrl) lines.push(`- **Page:** ${escapeMarkdown(reveal.url(c.pageUrl))}`);
  lines.push('', '**Cascade:**', '');
  c.attempts.forEach((a, i) => lines.push(`${i + 1}. ${escapeMarkdown(attemptStep(a, reveal))}`));
  lines.push('', '| attempt | transport | started | duration | HTTP | response | result | URL |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const a of c.attempts) lines.push(attemptRow(a, reveal));
  const polled = c.attempts.filter((a) => a.polls);
  for (const a of polled) {
    const p = a.polls!;
    const failed = p.failedStatuses.length ? `, failed statuses ${p.failedStatuses.join(', ')}` : '';
    lines.push('', `Attempt ${escapeMarkdown(a.id)} polling: ${p.polls} polls, ${p.sends} sends${failed}, ${p.reconnectSignals} reconnect signals.`);
  }
  lines.push('');
  return lines;
}

export function toMarkdown(analysis: Analysis, meta: ReportMeta, opts: ReportOptions = {}): string {
  const reveal = revealer(opts, analysis);
  const lines = ['# Diffusion connection report', ''];
  lines.push(`- **Input:** ${meta.file === null ? 'capture' : escapeMarkdown(meta.file)}: ${escapeMarkdown(inputSummary(meta))}`);
  lines.push(`- **Connections:** ${analysis.connections.length}`);
  lines.push(`- **Verdicts:** ${verdictsSummary(analysis)}`);
  lines.push(`- **Findings:** ${findingsSummary(analysis)}`);
  if (meta.capturedBy) lines.push(`- **Captured by:** ${escapeMarkdown(meta.capturedBy)}`);
  lines.push(`- **Tool:** dci ${escapeMarkdown(meta.version)}${opts.includeSecrets ? ' (secrets included: do not share)' : ''}`);
  for (const w of notesOf(meta, analysis)) lines.push(`- **Note:** ${escapeMarkdown(reveal.text(w))}`);
  lines.push('');
  lines.push('## Verdicts', '');
  if (analysis.verdicts.length === 0) lines.push('No problems found.', '');
  analysis.verdicts.forEach((v, i) => lines.push(...verdictSection(v, i + 1, reveal)));
  if (analysis.connections.length === 0) lines.push('## Connections', '', 'No Diffusion connection found in this capture.', '');
  // One connection can have 100,000 attempts: append line by line, never as spread arguments.
  for (const c of analysis.connections) for (const line of connectionSection(c, reveal)) lines.push(line);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
