// Width-aware wrapping for the terminal report and `dci rules`: words move whole to the next line,
// which starts with a hanging indent; only a word longer than a whole line (a URL) is split, at its
// own punctuation where it can be. Widths count what a terminal shows: colour codes take no
// column, East Asian wide characters take two, combining marks none.

const SGR = /\u001b\[[0-9;]*m/g;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2060-\u2064\ufeff]/u;

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0xa4cf)
    || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
    || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff)
    || (cp >= 0x20000 && cp <= 0x3fffd);
}

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(ch.codePointAt(0)!) ? 2 : 1;
}

// Printable ASCII takes one column a character: most of a report, measured without a loop.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns `text` takes on a terminal (colour codes excluded). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = 0;
  for (const ch of text.replace(SGR, '')) w += charWidth(ch);
  return w;
}

export interface WrapOptions {
  /** Total columns, indents included. */
  width: number;
  /** Put before the first line (counted in the width). */
  first?: string;
  /** Put before every following line: the hanging indent. Default: spaces as wide as `first`. */
  rest?: string;
}

// A long URL breaks after these rather than anywhere.
const BREAK_AFTER = /[/?&=,;:.\-_]/;

/** splitWord for printable ASCII: a column a character, so positions are indexes. */
function splitAscii(word: string, room: number, firstRoom: number): string[] {
  const pieces: string[] = [];
  let i = 0;
  let limit = Math.max(1, firstRoom);
  while (i < word.length) {
    const end = Math.min(word.length, i + limit);
    let lastBreak = -1;
    for (let j = end - 1; j >= i; j--) {
      if (BREAK_AFTER.test(word[j]!)) {
        lastBreak = j + 1;
        break;
      }
    }
    const cut = end < word.length && lastBreak > i && lastBreak - i >= limit / 2 ? lastBreak : end;
    pieces.push(word.slice(i, cut));
    i = cut;
    limit = Math.max(1, room);
  }
  return pieces;
}

/** Splits a word wider than `room` into pieces of at most `room` columns, after punctuation when it can. */
function splitWord(word: string, room: number, firstRoom: number): string[] {
  if (PRINTABLE_ASCII.test(word)) return splitAscii(word, room, firstRoom);
  const pieces: string[] = [];
  const chars = [...word];
  let i = 0;
  let limit = Math.max(1, firstRoom);
  while (i < chars.length) {
    let w = 0;
    let end = i;
    let lastBreak = -1;
    while (end < chars.length && w + charWidth(chars[end]!) <= limit) {
      w += charWidth(chars[end]!);
      if (BREAK_AFTER.test(chars[end]!)) lastBreak = end + 1;
      end++;
    }
    if (end === i) end = i + 1; // a character wider than the room: give it its own line
    // Break at punctuation when it keeps at least half the line; otherwise cut at the width.
    const cut = end < chars.length && lastBreak > i && lastBreak - i >= limit / 2 ? lastBreak : end;
    pieces.push(chars.slice(i, cut).join(''));
    i = cut;
    limit = Math.max(1, room);
  }
  return pieces;
}

/**
 * Wraps one paragraph. Spaces between words are kept (columns stay aligned) except where a line
 * breaks; a width too small for the indent still gives one word (or piece) per line, never a loop.
 */
export function wrap(text: string, opts: WrapOptions): string[] {
  const first = opts.first ?? '';
  const rest = opts.rest ?? ' '.repeat(displayWidth(first));
  // Each word with the spaces before it.
  const tokens = text.match(/ *[^ ]+/g) ?? [];
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  let used = displayWidth(prefix);
  const room = () => opts.width - displayWidth(rest);
  const flush = () => {
    lines.push(prefix + line);
    prefix = rest;
    line = '';
    used = displayWidth(prefix);
  };
  for (const token of tokens) {
    const word = token.trimStart();
    const w = displayWidth(word);
    const gap = line === '' ? 0 : token.length - word.length;
    if (used + gap + w <= opts.width) {
      line += ' '.repeat(gap) + word;
      used += gap + w;
      continue;
    }
    if (line !== '') flush();
    if (used + w <= opts.width) {
      line = word;
      used += w;
      continue;
    }
    const pieces = splitWord(word, room(), opts.width - used);
    pieces.forEach((p, i) => {
      if (i > 0) flush();
      line = p;
      used += displayWidth(p);
    });
  }
  if (line !== '' || lines.length === 0) lines.push(prefix + line);
  return lines.map((l) => l.trimEnd());
}

/** The width to wrap to: the terminal's when writing to one, 80 columns otherwise. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } | undefined): number {
  const cols = stream?.isTTY ? stream.columns : undefined;
  return typeof cols === 'number' && Number.isFinite(cols) && cols >= 20 ? Math.floor(cols) : 80;
}
