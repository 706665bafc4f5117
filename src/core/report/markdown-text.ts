// Markdown that reads the same rendered by any CommonMark renderer and as plain text (a Jira field,
// an e-mail): no backslash escapes and no HTML entities. Text from the capture is untrusted, so any
// word that could be markup (a URL, an identifier with `_`, anything with `<`, `[`, `*`, `&`, `|`…)
// goes into a code span, whose content every CommonMark renderer shows literally; the other words
// are plain letters, digits and harmless punctuation. Configuration goes in fenced code blocks.
// Tables are used only when every row fits a reading width and no cell needs more than plain text.

import { escapeInvisible } from './visible.ts';

// Characters that can start markup somewhere in a line (emphasis, links, HTML, entities, code,
// strikethrough, table cells, escapes, math on GitHub, e-mail autolinks).
const MARKUP = /[\\`*_[\]<>&|~!#$@{}^]/;
// GFM turns these into links without any markup.
const AUTOLINK = /:\/\/|^www\.|\bwww\./i;
// At the start of a line these begin a block: list, quote, heading, setext underline, ordered list.
const BLOCK_START = /^(?:[-+=>]|\d{1,9}[.)])/;
// Sentence punctuation kept outside a code span: "see `wss://host/diffusion`." reads better.
const TRAILING = /[.,;:!?)]+$/;
const LEADING = /^\(+/;

/**
 * Line breaks and other control characters would end a list item or a table row early; bidi
 * overrides and zero-width characters would change what the reader sees, so they show as escapes.
 */
export function oneLine(text: string): string {
  return escapeInvisible(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim());
}

/**
 * Untrusted text as an inline code span: nothing inside is markup or a link. The fence is longer
 * than any run of backticks inside, padded with a space when the text starts or ends with one.
 */
export function codeSpan(text: string): string {
  const t = oneLine(text);
  if (t === '') return '` `';
  let longest = 0;
  for (const run of t.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function needsCode(word: string, atLineStart: boolean): boolean {
  return MARKUP.test(word) || AUTOLINK.test(word) || (atLineStart && BLOCK_START.test(word));
}

/**
 * Prose that may hold captured text (URLs, error strings, header names), as Markdown: words that
 * could be markup become code spans, with sentence punctuation left outside; the rest is as written.
 * `lineStart`: the text begins a line, so a leading "-" or "1." would start a list.
 */
export function inlineText(text: string, lineStart = false): string {
  const words = oneLine(text).split(' ').filter((w) => w !== '');
  return words.map((word, i) => {
    const first = lineStart && i === 0;
    if (!needsCode(word, first)) return word;
    const lead = LEADING.exec(word)?.[0] ?? '';
    const trail = TRAILING.exec(word.slice(lead.length))?.[0] ?? '';
    const core = word.slice(lead.length, word.length - trail.length);
    // Keep the punctuation outside only when it is harmless and leaves something to quote.
    if (core === '' || (first && (lead !== '' || BLOCK_START.test(word))) || needsCode(lead + trail, false)) return codeSpan(word);
    return `${lead}${codeSpan(core)}${trail}`;
  }).join(' ');
}

/** Lines shown exactly as they are: a fenced code block, its fence longer than any inside. */
export function fencedBlock(lines: readonly string[], info = ''): string[] {
  const body = lines.map((l) => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\r?\n/g, ' '));
  let longest = 2;
  for (const l of body) for (const run of l.match(/`+|~+/g) ?? []) if (run[0] === '`') longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...body, fence];
}

/** The widest table row a reader sees without scrolling sideways in a ticket or a terminal. */
export const TABLE_WIDTH = 100;

/**
 * A GFM table, or null when it would not read well as plain text: a row wider than `maxWidth`, or a
 * cell that is not plain (it would need escaping, or spans lines). Callers fall back to a list.
 */
export function fitTable(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = TABLE_WIDTH): string[] | null {
  const all = [header, ...rows];
  if (all.some((r) => r.length !== header.length)) return null;
  if (all.some((r) => r.some((c) => c.includes('|') || /[\n\r]/.test(c) || (c !== '' && inlineText(c) !== c && !isCodeSpan(c))))) return null;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const lines = [line(header), line(header.map(() => '---')), ...rows.map(line)];
  if (lines.some((l) => [...l].length > maxWidth)) return null;
  return lines;
}

function isCodeSpan(cell: string): boolean {
  return /^(`+)[^`](?:.*[^`])?\1$/.test(cell) || /^`[^`]`$/.test(cell);
}
