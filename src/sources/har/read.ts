// Reading a HAR into observations: from chunks of bytes (files of any size), from one string (the
// panel's import), or from a parsed log (devtools.network.getHAR()). All three give the same result.
import type { Observation, PageObservation, RequestObservation, SourceName } from '../../core/model.ts';
import type { HarEntry } from './har-types.ts';
import { interner, mapEntry, mapPage } from './map.ts';
import type { MappedEntry } from './map.ts';
import { isDiffusionCandidate, mayBeDiffusion } from './prefilter.ts';
import { HarFormatError, HarSplitter, MAX_ENTRY_BYTES, STRING_KEEP_BYTES } from './split.ts';
import type { SplitNote } from './split.ts';
import { captureTool, isProxyError } from './creator.ts';
import { slices } from '../../core/slices.ts';
import { thousands } from '../../core/rules/format.ts';
import type { CaptureTool } from './creator.ts';

export interface HarReadOptions {
  /** Source name on every observation: 'har' for files, 'devtools' for the panel's getHAR(). */
  source?: SourceName;
  /** Map every entry, not only those that may be Diffusion traffic (for tests and exports). */
  all?: boolean;
  /** Entries larger than this (once long strings are cut) are skipped with a note; for tests. */
  maxEntryBytes?: number;
}

export interface HarReadResult {
  /** Pages first, then requests in entry order. */
  observations: Observation[];
  /** Elements of log.entries. */
  entries: number;
  /** Elements that are not entries (not an object, no request.url, not JSON): counted, never thrown on. */
  skipped: number;
  /** Valid entries left out because they cannot be Diffusion traffic (see prefilter.ts). */
  unrelated: number;
  warnings: string[];
  /** The tool that wrote the file (`log.creator`), shown as "captured by"; null when it does not say. */
  capturedBy: CaptureTool | null;
}

export { HarFormatError };

const SHOWN_INDEXES = 5;
// Cheap signs that an unparsed element is an entry (an object with a request and a string url), so
// `skipped` stays honest without parsing entries that cannot be Diffusion. Both match early in a
// browser's entry, so the search stops long before a big body.
const LOOKS_LIKE_ENTRY = /"request"\s*:\s*\{/;
const HAS_URL = /"url"\s*:\s*"/;

/** Collects entries one at a time and settles what needs the whole file at the end. */
class Collector {
  private readonly source: SourceName;
  private readonly all: boolean;
  private readonly mapped: MappedEntry[] = [];
  private readonly skippedAt: number[] = [];
  private pagesValue: unknown = undefined;
  private creatorValue: unknown = undefined;
  entries = 0;
  unrelated = 0;
  private skippedLarge = 0;
  /** Header values that are not text, across all entries. */
  private skippedValues = 0;
  /** Entries (0-based) the splitter left out as too large, and those whose long strings it cut. */
  private readonly tooLarge = new Map<number, number>();
  private readonly cut: SplitNote[] = [];
  readonly warnings: string[] = [];

  private readonly maxEntryBytes: number;
  private readonly intern = interner();

  constructor(options: HarReadOptions) {
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
    this.source = options.source ?? 'har';
    this.all = options.all ?? false;
  }

  /** What the splitter noted about the entries it is about to hand over. */
  splitNotes(notes: readonly SplitNote[]): void {
    for (const n of notes) {
      if (n.kind === 'too-large') this.tooLarge.set(n.entry - 1, n.bytes);
      else this.cut.push(n);
    }
  }

  /** One raw element of log.entries. */
  addRaw(text: string): void {
    const index = this.entries++;
    const large = this.tooLarge.get(index);
    if (large !== undefined) {
      this.warnings.push(`entry ${index + 1} skipped: ${megabytes(large)}, more than the ${megabytes(this.maxEntryBytes)} an entry can have to be analysed, even with its long strings cut; the rest of the capture is analysed`);
      this.skippedLarge++;
      return;
    }
    if (!this.all && !mayBeDiffusion(text)) {
      // Cheap check that it is an entry at all, so `skipped` stays honest without parsing.
      if (text.charCodeAt(0) === 0x7b && LOOKS_LIKE_ENTRY.test(text) && HAS_URL.test(text)) this.unrelated++;
      else this.addParsed(parseOrUndefined(text), index);
      return;
    }
    this.addParsed(parseOrUndefined(text), index);
  }

  addEntry(value: unknown): void {
    this.addParsed(value, this.entries++);
  }

  private addParsed(value: unknown, index: number): void {
    const mapped = mapEntry(value, index, this.source, this.intern);
    if (!mapped) {
      this.skippedAt.push(index);
      return;
    }
    if (!this.all && !isDiffusionCandidate(value as HarEntry)) {
      this.unrelated++;
      return;
    }
    this.skippedValues += mapped.skippedValues;
    this.mapped.push(mapped);
  }

  setPages(value: unknown): void {
    this.pagesValue = value;
  }

  setCreator(value: unknown): void {
    this.creatorValue = value;
  }

  finish(): HarReadResult {
    const pages: PageObservation[] = [];
    const pageUrls = new Map<string, string>();
    const undatedPages: PageObservation[] = [];
    if (this.pagesValue !== undefined && !Array.isArray(this.pagesValue)) this.warnings.push('log.pages is not an array: pages ignored');
    if (Array.isArray(this.pagesValue)) {
      for (const page of this.pagesValue) {
        const { observation, id, startKnown } = mapPage(page, this.source);
        if (!observation) continue;
        pages.push(observation);
        if (!startKnown) undatedPages.push(observation);
        if (id !== null) pageUrls.set(id, observation.url);
      }
    }

    const tool = captureTool(this.creatorValue);
    const requests: RequestObservation[] = [];
    let undated = 0;
    for (const m of this.mapped) {
      const url = m.pageref === null ? undefined : pageUrls.get(m.pageref);
      if (url !== undefined) m.observation.pageUrl = url;
      const o = m.observation;
      if (o.error !== undefined && isProxyError(o.error, o.status, tool)) o.errorByProxy = true;
      requests.push(m.observation);
      if (!m.startKnown) undated++;
    }
    if (undated > 0) {
      placeUndated(this.mapped);
      this.warnings.push(`${thousands(undated)} ${undated === 1 ? 'request has' : 'requests have'} no recorded start time (Chrome records refused WebSocket connections as 1969-12-31): placed by their order in the file`);
    }
    if (undatedPages.length > 0) {
      let first = Infinity;
      for (const r of requests) if (r.startedAt < first) first = r.startedAt;
      if (first === Infinity) first = 0;
      for (const p of undatedPages) p.startedAt = first;
    }
    if (this.cut.length > 0) {
      const shown = this.cut.slice(0, SHOWN_INDEXES).map((n) => `entry ${n.entry}: ${megabytes(n.bytes)}`).join(', ');
      this.warnings.push(`${thousands(this.cut.length)} ${this.cut.length === 1 ? 'entry has' : 'entries have'} strings longer than ${megabytes(STRING_KEEP_BYTES)} (bodies, messages), read only up to that length (${shown}${this.cut.length > SHOWN_INDEXES ? ', …' : ''})`);
    }
    if (this.skippedValues > 0) {
      this.warnings.push(`${thousands(this.skippedValues)} header ${this.skippedValues === 1 ? 'value is' : 'values are'} not text (an object or array): skipped`);
    }
    if (this.skippedAt.length > 0) {
      const shown = this.skippedAt.slice(0, SHOWN_INDEXES).map((i) => i + 1).join(', ');
      const more = this.skippedAt.length > SHOWN_INDEXES ? ', …' : '';
      this.warnings.push(`${thousands(this.skippedAt.length)} of ${thousands(this.entries)} entries skipped: not an object with request.url (entry ${shown}${more})`);
    }
    return { observations: [...pages, ...requests], entries: this.entries, skipped: this.skippedAt.length + this.skippedLarge, unrelated: this.unrelated, warnings: this.warnings, capturedBy: tool };
  }
}

/** Give each entry without a start time the start of the nearest dated entry before it, else after it. */
function placeUndated(mapped: MappedEntry[]): void {
  let previous: number | null = null;
  const pending: MappedEntry[] = [];
  for (const m of mapped) {
    if (!m.startKnown) m.observation.startUnknown = true;
    if (m.startKnown) {
      previous = m.observation.startedAt;
      for (const p of pending) p.observation.startedAt = previous;
      pending.length = 0;
    } else if (previous !== null) {
      m.observation.startedAt = previous;
    } else {
      pending.push(m);
    }
  }
  // No dated entry after them either: they stay at 0 (never NaN).
}

function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${Math.round(bytes / 1e6)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readPages(splitter: HarSplitter, decoder: TextDecoder, collector: Collector): void {
  if (splitter.creator) {
    const creator = parseOrUndefined(decoder.decode(splitter.creator));
    if (creator !== undefined) collector.setCreator(creator);
  }
  if (!splitter.pages) return;
  const value = parseOrUndefined(decoder.decode(splitter.pages));
  if (value === undefined) collector.warnings.push('log.pages is not valid JSON: pages ignored');
  else collector.setPages(value);
}

/** Read a HAR from chunks of its bytes (a file stream, a Blob stream), with memory bounded by the largest entry. */
export async function readHarChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: HarReadOptions = {}): Promise<HarReadResult> {
  const splitter = new HarSplitter(options);
  const decoder = new TextDecoder();
  const collector = new Collector(options);
  for await (const chunk of chunks) {
    const out = splitter.push(chunk);
    collector.splitNotes(splitter.notes.splice(0));
    for (const raw of out) collector.addRaw(decoder.decode(raw));
  }
  splitter.end();
  readPages(splitter, decoder, collector);
  return collector.finish();
}

/** The same, synchronously, for bytes already in memory. */
export function readHarBytes(chunks: Iterable<Uint8Array>, options: HarReadOptions = {}): HarReadResult {
  const splitter = new HarSplitter(options);
  const decoder = new TextDecoder();
  const collector = new Collector(options);
  for (const chunk of chunks) {
    const out = splitter.push(chunk);
    collector.splitNotes(splitter.notes.splice(0));
    for (const raw of out) collector.addRaw(decoder.decode(raw));
  }
  splitter.end();
  readPages(splitter, decoder, collector);
  return collector.finish();
}

/** Read a HAR held in one string (a file the panel imported). Encodes it slice by slice, so no second full copy. */
export function readHarText(text: string, options: HarReadOptions = {}): HarReadResult {
  const encoder = new TextEncoder();
  function* encoded(): Generator<Uint8Array> {
    for (const piece of slices(text)) yield encoder.encode(piece);
  }
  return readHarBytes(encoded(), options);
}

/** Read a HAR log already parsed, e.g. the one devtools.network.getHAR() hands over (it may lack pages). */
export function readHarLog(log: unknown, options: HarReadOptions = {}): HarReadResult {
  if (typeof log !== 'object' || log === null || Array.isArray(log)) throw new HarFormatError('not a HAR log: not an object');
  const { entries, pages, creator } = log as { entries?: unknown; pages?: unknown; creator?: unknown };
  if (!Array.isArray(entries)) throw new HarFormatError('not a HAR file: "log" has no "entries" array');
  const collector = new Collector({ source: 'devtools', ...options });
  for (const entry of entries) collector.addEntry(entry);
  if (pages !== undefined) collector.setPages(pages);
  if (creator !== undefined) collector.setCreator(creator);
  return collector.finish();
}
