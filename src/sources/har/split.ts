// Incremental HAR splitter: Uint8Array chunks in, the raw bytes of each element of `log.entries` out,
// so a HAR larger than any one string can be read with memory bounded by its largest entry.
// It tracks only what it must — JSON strings and escapes, bracket nesting, and the keys of the top
// object and of `log` — byte by byte, and jumps over string contents with indexOf. It is not a full
// JSON validator: each entry is validated by JSON.parse when (and if) it is parsed.
// Pure: no Node APIs, so the panel can use it on a File's stream too.

/** The input is not a readable HAR. The message is one line, for people. */
export class HarFormatError extends Error {
  override name = 'HarFormatError';
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

// What the scanner expects next inside an object whose keys it reads (the top object and `log`).
const enum Obj {
  KeyOrEnd, // after '{'
  Key, // after ','
  Colon,
  Value,
  Scalar, // inside a number / true / false / null
  CommaOrEnd,
}

// What it expects next inside `log.entries`.
const enum Arr {
  ElementOrEnd, // after '['
  Element, // after ','
  Scalar, // inside a scalar element
  ScalarDone, // whitespace after a scalar element
  CommaOrEnd,
}

// Which value is being copied out.
const enum Capture {
  None,
  Entry,
  Pages,
  Creator,
}

const KEY_MAX = 32;

/**
 * Strings inside an entry longer than this (a response body, a WebSocket message, a stack trace) are
 * cut to their first bytes once they run past a read chunk: the analysis reads the first bytes of a
 * connection response and never a whole body, and one 300 MB body must not cost 300 MB several times.
 */
export const STRING_KEEP_BYTES = 1 << 20;
/** An entry still larger than this once its long strings are cut is skipped, with a note. */
export const MAX_ENTRY_BYTES = 256 << 20;

/** A note about an entry the splitter had to shorten or leave out. */
export interface SplitNote {
  /** 1-based position in log.entries. */
  entry: number;
  kind: 'string-cut' | 'too-large';
  /** The original size: of the longest string cut, or of the whole entry. */
  bytes: number;
}
const BOM = [0xef, 0xbb, 0xbf];

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function describeByte(b: number): string {
  return b >= 0x21 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Feed chunks with `push`, then call `end`. `push` returns the entries completed by that chunk, each
 * the exact bytes of one array element (JSON.parse-able on its own when the HAR is valid); they may
 * be views into the chunk, so use them before the chunk's memory is reused.
 * After `end`, `pages` holds the raw bytes of `log.pages` (null when absent), `creator` those of
 * `log.creator` (the tool that wrote the file).
 */
export class HarSplitter {
  /** Elements of `log.entries` completed so far. */
  entryCount = 0;
  /** Raw bytes of `log.pages`, once its value has been read. */
  pages: Uint8Array | null = null;
  /** Raw bytes of `log.creator`, once its value has been read. */
  creator: Uint8Array | null = null;
  /** Bytes consumed so far. */
  bytesRead = 0;
  /** Entries shortened (long strings cut) or left out (too large), in entry order; read and cleared by the caller. */
  notes: SplitNote[] = [];
  private readonly maxEntryBytes: number;

  constructor(options: { maxEntryBytes?: number } = {}) {
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
  }

  // Nesting: one byte per open container, 1 = object, 2 = array.
  private stack = new Uint8Array(64);
  private depth = 0;
  private started = false;
  private bomSeen = 0;
  private finished = false; // the top-level object has closed

  // String state. `escaped`: the previous byte was a backslash that escapes the next one.
  private inString = false;
  private escaped = false;
  // Key text of the current string when it sits directly in the top object or `log` (keys are short).
  private keyText = '';
  private lastKey = '';

  // Grammar state of the two objects whose keys matter.
  private topState = Obj.KeyOrEnd;
  private logState = Obj.KeyOrEnd;
  private logDepth = 0; // depth inside the log object (2) while it is open, else 0
  private seenLog = false;
  private seenEntries = false;
  private entriesDepth = 0; // depth inside log.entries (3) while it is open, else 0
  private arrState = Arr.ElementOrEnd;
  private pagesDepth = 0; // depth at which the pages value started, while copying it

  // The value being copied out, across chunks.
  private capture = Capture.None;
  private captureStart = -1; // index in the current chunk where the capture started (or 0 when continued)
  private carry: Uint8Array[] = [];
  private carryLength = 0;
  // Long strings of the entry being copied: where the current one started (absolute offset of its
  // opening quote), whether its tail is being dropped, the longest one cut; and whether the entry
  // is too large to keep at all (its bytes are then dropped as they come).
  private stringStart = -1;
  private cutting = false;
  private longestCut = 0;
  private oversized = false;
  private entryStart = 0;

  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const n = chunk.length;
    let i = 0;
    if (this.capture !== Capture.None) this.captureStart = this.cutting ? -1 : 0;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const b = chunk[i]!;
      if (!this.started) {
        if (isSpace(b)) { i++; continue; }
        // A UTF-8 byte-order mark before the first '{' (possibly split across chunks).
        const at = this.bytesRead + i;
        if (at < 3 && at === this.bomSeen && b === BOM[at]) { this.bomSeen++; i++; continue; }
        if (b !== OPEN_OBJECT) {
          if (b === OPEN_ARRAY) throw new HarFormatError('not a HAR file: the JSON is an array, a HAR is an object with "log"');
          if (b === QUOTE || b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e) {
            throw new HarFormatError('not a HAR file: the JSON is a single value, a HAR is an object with "log"');
          }
          throw new HarFormatError(`not JSON: the file starts with ${describeByte(b)}`);
        }
        this.started = true;
        this.open(1);
        this.topState = Obj.KeyOrEnd;
        i++;
        continue;
      }
      if (this.finished) {
        if (!isSpace(b)) throw new HarFormatError(`not JSON: unexpected ${describeByte(b)} after the end of the HAR object`);
        i++;
        continue;
      }
      const d = this.depth;
      if (d === 1) i = this.stepObject(chunk, i, b, true);
      else if (d === this.logDepth && d === 2) i = this.stepObject(chunk, i, b, false);
      else if (d === this.entriesDepth && d === 3) i = this.stepEntries(chunk, i, b, out);
      else i = this.stepNested(chunk, i, b, out);
    }
    if (this.capture !== Capture.None && this.captureStart >= 0 && this.captureStart < n) {
      // The captured value continues in the next chunk: keep the part seen so far.
      // A copy: the caller may reuse the chunk's memory (Node's Buffer#slice would only be a view).
      let end = n;
      let close = false;
      if (this.capture === Capture.Entry && this.inString && !this.cutting && this.bytesRead + n - this.stringStart > STRING_KEEP_BYTES) {
        // A long string of the entry runs on: keep its first bytes, close it, drop the rest as it comes.
        end = cutPoint(chunk, this.captureStart, Math.max(this.captureStart, this.stringStart + 1 + STRING_KEEP_BYTES - this.bytesRead));
        this.cutting = true;
        close = true;
      }
      if (!this.oversized) {
        const part = new Uint8Array(end - this.captureStart + (close ? 1 : 0));
        part.set(chunk.subarray(this.captureStart, end));
        if (close) part[part.length - 1] = QUOTE;
        this.carry.push(part);
        this.carryLength += part.length;
        if (this.capture === Capture.Entry && this.carryLength > this.maxEntryBytes) {
          this.oversized = true;
          this.carry = [];
          this.carryLength = 0;
        }
      }
      if (this.cutting) this.captureStart = -1;
    }
    this.bytesRead += n;
    return out;
  }

  /** Call after the last chunk; throws when the HAR is incomplete or has no `log.entries`. */
  end(): void {
    if (!this.started) throw new HarFormatError('empty file: no JSON in it');
    if (!this.finished) {
      if (this.entriesDepth) {
        throw new HarFormatError(`truncated: unexpected end of file inside log.entries (entry ${this.entryCount + 1})`);
      }
      throw new HarFormatError(`truncated: unexpected end of file after ${this.bytesRead} bytes`);
    }
    if (!this.seenLog) throw new HarFormatError('not a HAR file: the JSON object has no "log"');
    if (!this.seenEntries) throw new HarFormatError('not a HAR file: "log" has no "entries" array');
  }

  // ---- strings -------------------------------------------------------------------------------

  private scanString(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    const keyed = this.depth === 1 || (this.depth === 2 && this.logDepth === 2);
    if (keyed) {
      // Short strings where keys live: byte by byte, keeping the text.
      while (i < n) {
        const b = chunk[i++]!;
        if (this.escaped) {
          this.escaped = false;
          if (this.keyText.length < KEY_MAX) this.keyText += '\\' + String.fromCharCode(b);
        } else if (b === BACKSLASH) {
          this.escaped = true;
        } else if (b === QUOTE) {
          this.inString = false;
          this.stringEnded();
          return i;
        } else if (this.keyText.length < KEY_MAX) {
          this.keyText += String.fromCharCode(b);
        }
      }
      return n;
    }
    if (this.escaped) {
      this.escaped = false;
      i++;
      if (i >= n) return n;
    }
    for (;;) {
      const q = chunk.indexOf(QUOTE, i);
      if (q < 0) {
        // Ends inside the string: an odd run of trailing backslashes escapes the next chunk's first byte.
        let k = n - 1;
        while (k >= i && chunk[k] === BACKSLASH) k--;
        this.escaped = ((n - 1 - k) & 1) === 1;
        return n;
      }
      let k = q - 1;
      while (k >= i && chunk[k] === BACKSLASH) k--;
      if (((q - 1 - k) & 1) === 0) {
        this.inString = false;
        if (this.cutting) {
          // The cut string ends here: its closing quote was already written; copy on after it.
          this.cutting = false;
          this.longestCut = Math.max(this.longestCut, this.bytesRead + q - this.stringStart - 1);
          this.captureStart = q + 1;
        }
        this.stringEnded();
        return q + 1;
      }
      i = q + 1; // an escaped quote: keep looking
    }
  }

  private stringEnded(): void {
    const d = this.depth;
    if (d === 1 || (d === 2 && this.logDepth === 2)) {
      if (d === 1 ? this.topState === Obj.Colon : this.logState === Obj.Colon) this.lastKey = this.keyText;
    }
    if (d === 3 && this.entriesDepth === 3 && this.arrState === Arr.CommaOrEnd && this.capture === Capture.Entry) {
      // A string element of log.entries (not an object): still an element, emitted at the next ',' or ']'.
      this.arrState = Arr.Scalar;
    }
  }

  // ---- the top object and `log`: keys, and the values that matter ----------------------------

  private stepObject(chunk: Uint8Array, i: number, b: number, top: boolean): number {
    const state = top ? this.topState : this.logState;
    const where = top ? 'the top object' : '"log"';
    const set = (s: Obj): void => { if (top) this.topState = s; else this.logState = s; };
    if (isSpace(b)) return i + 1;
    switch (state) {
      case Obj.KeyOrEnd:
      case Obj.Key:
        if (b === QUOTE) {
          this.inString = true;
          this.keyText = '';
          set(Obj.Colon);
          return i + 1;
        }
        if (b === CLOSE_OBJECT && state === Obj.KeyOrEnd) return this.closeObject(i, top);
        throw new HarFormatError(`not JSON: expected a key in ${where}, found ${describeByte(b)} at byte ${this.bytesRead + i}`);
      case Obj.Colon:
        if (b === COLON) { set(Obj.Value); return i + 1; }
        throw new HarFormatError(`not JSON: expected ":" in ${where}, found ${describeByte(b)} at byte ${this.bytesRead + i}`);
      case Obj.Value: {
        const key = this.lastKey;
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          set(Obj.CommaOrEnd);
          if (top && key === 'log') {
            if (b !== OPEN_OBJECT) throw new HarFormatError('not a HAR file: "log" is not an object');
            if (this.seenLog) throw new HarFormatError('not a HAR file: "log" appears twice');
            this.seenLog = true;
            this.open(1);
            this.logDepth = 2;
            this.logState = Obj.KeyOrEnd;
            return i + 1;
          }
          if (!top && key === 'entries') {
            if (b !== OPEN_ARRAY) throw new HarFormatError('not a HAR file: "log.entries" is not an array');
            if (this.seenEntries) throw new HarFormatError('not a HAR file: "log.entries" appears twice');
            this.seenEntries = true;
            this.open(2);
            this.entriesDepth = 3;
            this.arrState = Arr.ElementOrEnd;
            return i + 1;
          }
          if (!top && ((key === 'pages' && b === OPEN_ARRAY) || (key === 'creator' && b === OPEN_OBJECT))) {
            this.capture = key === 'pages' ? Capture.Pages : Capture.Creator;
            this.captureStart = i;
            this.pagesDepth = 2;
          }
          this.open(b === OPEN_OBJECT ? 1 : 2);
          return i + 1;
        }
        if (top && key === 'log') throw new HarFormatError('not a HAR file: "log" is not an object');
        if (!top && key === 'entries') throw new HarFormatError('not a HAR file: "log.entries" is not an array');
        if (b === QUOTE) {
          this.inString = true;
          this.keyText = '';
          set(Obj.CommaOrEnd);
          return i + 1;
        }
        if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || b === COLON) {
          throw new HarFormatError(`not JSON: expected a value in ${where}, found ${describeByte(b)} at byte ${this.bytesRead + i}`);
        }
        set(Obj.Scalar);
        return i + 1;
      }
      case Obj.Scalar:
        if (b === COMMA) { set(Obj.Key); return i + 1; }
        if (b === CLOSE_OBJECT) return this.closeObject(i, top);
        if (b === QUOTE || b === OPEN_OBJECT || b === OPEN_ARRAY || b === CLOSE_ARRAY || b === COLON) {
          throw new HarFormatError(`not JSON: unexpected ${describeByte(b)} in ${where} at byte ${this.bytesRead + i}`);
        }
        return i + 1;
      case Obj.CommaOrEnd:
        if (b === COMMA) { set(Obj.Key); return i + 1; }
        if (b === CLOSE_OBJECT) return this.closeObject(i, top);
        throw new HarFormatError(`not JSON: expected "," or "}" in ${where}, found ${describeByte(b)} at byte ${this.bytesRead + i}`);
    }
  }

  private closeObject(i: number, top: boolean): number {
    this.depth--;
    if (top) {
      this.finished = true;
      if (!this.seenLog) throw new HarFormatError('not a HAR file: the JSON object has no "log"');
    } else {
      this.logDepth = 0;
      if (!this.seenEntries) throw new HarFormatError('not a HAR file: "log" has no "entries" array');
    }
    return i + 1;
  }

  // ---- log.entries ---------------------------------------------------------------------------

  private stepEntries(chunk: Uint8Array, i: number, b: number, out: Uint8Array[]): number {
    if (isSpace(b)) {
      if (this.arrState === Arr.Scalar) this.arrState = Arr.ScalarDone;
      return i + 1;
    }
    switch (this.arrState) {
      case Arr.ElementOrEnd:
      case Arr.Element:
        if (b === CLOSE_ARRAY && this.arrState === Arr.ElementOrEnd) return this.closeEntries(i);
        if (b === COMMA || b === CLOSE_ARRAY || b === CLOSE_OBJECT || b === COLON) {
          throw new HarFormatError(`not JSON: expected an entry in log.entries (entry ${this.entryCount + 1}), found ${describeByte(b)}`);
        }
        this.capture = Capture.Entry;
        this.captureStart = i;
        this.entryStart = this.bytesRead + i;
        this.arrState = Arr.CommaOrEnd;
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          this.open(b === OPEN_OBJECT ? 1 : 2);
        } else if (b === QUOTE) {
          this.inString = true; // stringEnded turns this into a scalar element
          this.stringStart = this.bytesRead + i;
        } else {
          this.arrState = Arr.Scalar;
        }
        return i + 1;
      case Arr.Scalar:
      case Arr.ScalarDone:
        if (b === COMMA || b === CLOSE_ARRAY) {
          out.push(this.takeCapture(chunk, i));
          this.entryCount++;
          if (b === CLOSE_ARRAY) return this.closeEntries(i);
          this.arrState = Arr.Element;
          return i + 1;
        }
        if (this.arrState === Arr.ScalarDone || b === QUOTE || b === OPEN_OBJECT || b === OPEN_ARRAY || b === CLOSE_OBJECT || b === COLON) {
          throw new HarFormatError(`not JSON: unexpected ${describeByte(b)} in log.entries (entry ${this.entryCount + 1})`);
        }
        return i + 1;
      case Arr.CommaOrEnd:
        if (b === COMMA) { this.arrState = Arr.Element; return i + 1; }
        if (b === CLOSE_ARRAY) return this.closeEntries(i);
        throw new HarFormatError(`not JSON: expected "," or "]" after entry ${this.entryCount} of log.entries, found ${describeByte(b)}`);
    }
  }

  private closeEntries(i: number): number {
    this.depth--;
    this.entriesDepth = 0;
    return i + 1;
  }

  // ---- anything deeper: only strings and brackets matter -------------------------------------

  private stepNested(chunk: Uint8Array, i: number, b: number, out: Uint8Array[]): number {
    const n = chunk.length;
    // Hot loop over the structure of entries: jump from one interesting byte to the next.
    for (;;) {
      if (b === QUOTE) {
        // Skip the string here (no key or element ends inside an entry): find the closing quote.
        this.stringStart = this.bytesRead + i;
        let from = i + 1;
        for (;;) {
          const q = closingQuote(chunk, from);
          if (q < 0) {
            this.inString = true;
            let k = n - 1;
            while (k > i && chunk[k] === BACKSLASH) k--;
            this.escaped = ((n - 1 - k) & 1) === 1;
            return n;
          }
          let k = q - 1;
          while (k > i && chunk[k] === BACKSLASH) k--;
          if (((q - 1 - k) & 1) === 0) {
            i = q;
            break;
          }
          from = q + 1;
        }
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        this.open(b === OPEN_OBJECT ? 1 : 2);
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        const want = b === CLOSE_OBJECT ? 1 : 2;
        if (this.stack[this.depth - 1] !== want) {
          throw new HarFormatError(`not JSON: mismatched ${describeByte(b)} at byte ${this.bytesRead + i}`);
        }
        this.depth--;
        const d = this.depth;
        if (d === 3 && this.entriesDepth === 3 && this.capture === Capture.Entry) {
          out.push(this.takeCapture(chunk, i + 1));
          this.entryCount++;
          return i + 1;
        }
        if (d === this.pagesDepth && (this.capture === Capture.Pages || this.capture === Capture.Creator)) {
          // Kept until the end: copy it out of the chunk.
          const kind = this.capture;
          const kept = Uint8Array.prototype.slice.call(this.takeCapture(chunk, i + 1));
          if (kind === Capture.Pages) this.pages = kept;
          else this.creator = kept;
          this.pagesDepth = 0;
          return i + 1;
        }
        if (d <= 2) return i + 1; // back in a keyed object
      }
      i++;
      if (i >= n) return n;
      b = chunk[i]!;
    }
  }

  private open(kind: number): void {
    if (this.depth === this.stack.length) {
      const bigger = new Uint8Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.depth++] = kind;
  }

  /** The captured bytes from the capture start up to `end` (exclusive) of this chunk. */
  private takeCapture(chunk: Uint8Array, end: number): Uint8Array {
    const start = this.captureStart;
    const entry = this.capture === Capture.Entry;
    this.capture = Capture.None;
    this.captureStart = -1;
    if (entry) {
      const number = this.entryCount + 1;
      if (this.longestCut > 0) this.notes.push({ entry: number, kind: 'string-cut', bytes: this.longestCut });
      this.longestCut = 0;
      if (this.oversized || (this.carryLength + end - Math.max(0, start)) > this.maxEntryBytes) {
        // Too large to parse: an empty element, which the reader skips with this note.
        this.notes.push({ entry: number, kind: 'too-large', bytes: this.bytesRead + end - this.entryStart });
        this.oversized = false;
        this.carry = [];
        this.carryLength = 0;
        return new Uint8Array(0);
      }
    }
    if (this.carry.length === 0) return chunk.subarray(start, end);
    // This chunk's part starts at 0, or after the closing quote of a string cut short.
    const tail = chunk.subarray(Math.max(0, start), end);
    const all = new Uint8Array(this.carryLength + tail.length);
    let at = 0;
    for (const part of this.carry) {
      all.set(part, at);
      at += part.length;
    }
    all.set(tail, at);
    this.carry = [];
    this.carryLength = 0;
    return all;
  }
}

/**
 * Where to end the kept part of a long string at or before `at` (within [from, chunk length]): never
 * inside an escape sequence or a UTF-8 character, so the kept part plus a closing quote is valid JSON.
 */
function cutPoint(chunk: Uint8Array, from: number, at: number): number {
  let cut = Math.min(at, chunk.length);
  // A UTF-8 character: back to its first byte.
  let lead = cut;
  while (lead > from && lead > cut - 4 && (chunk[lead - 1]! & 0xc0) === 0x80) lead--;
  if (lead > from && lead < cut + 1) {
    const b = chunk[lead - 1]!;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (size > 1 && lead - 1 + size > cut) cut = lead - 1;
  }
  // An escape: \x or \uXXXX cut short loses its backslash too.
  for (let p = Math.max(from, cut - 6); p < cut; p++) {
    if (chunk[p] !== BACKSLASH) continue;
    let k = p - 1;
    while (k >= from && chunk[k] === BACKSLASH) k--;
    if (((p - 1 - k) & 1) === 1) continue; // this backslash is itself escaped
    const length = chunk[p + 1] === 0x75 ? 6 : 2;
    if (p + length > cut) { cut = p; break; }
    p += length - 1;
  }
  return Math.max(from, cut);
}

/** Split a stream of HAR bytes into the raw bytes of each `log.entries` element. */
export async function* splitHarEntries(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, splitter = new HarSplitter()): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) yield* splitter.push(chunk);
  splitter.end();
}

/** Bytes looked at one by one before a string is searched natively: most strings of an entry are short. */
const SHORT_STRING = 48;

/** The next '"' at or after `from`, or -1. A call into Buffer#indexOf costs more than reading a short string. */
function closingQuote(chunk: Uint8Array, from: number): number {
  const n = chunk.length;
  const near = Math.min(n, from + SHORT_STRING);
  for (let j = from; j < near; j++) if (chunk[j] === QUOTE) return j;
  return near < n ? chunk.indexOf(QUOTE, near) : -1;
}
