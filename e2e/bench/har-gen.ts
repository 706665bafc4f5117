// Large HAR files for `npm run bench`: mostly unrelated entries with bodies (as a long QA session
// records them), with Diffusion cascades and reconnects copied from the recorded Chromium captures
// every few dozen entries. Written as a stream, so a 1 GB file costs a few MB of memory.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Entry = Record<string, unknown> & { startedDateTime: string; _webSocketMessages?: { time: number }[] };

interface Group {
  entries: Entry[];
  /** Fixture's first entry time, epoch ms: entries are shifted relative to it. */
  t0: number;
}

function load(root: string, name: string, indexes: number[]): Group {
  const har = JSON.parse(readFileSync(join(root, 'e2e/fixtures/chromium', `${name}.har`), 'utf8')) as { log: { entries: Entry[] } };
  const entries = indexes.map((i) => {
    const e = har.log.entries[i];
    if (!e) throw new Error(`${name}.har has no entry ${i}`);
    return e;
  });
  return { entries, t0: Date.parse(entries[0]!.startedDateTime) };
}

/** The same entries, moved in time so every copy is its own connection. */
function shifted(group: Group, at: number): string[] {
  return group.entries.map((e) => {
    const copy = structuredClone(e);
    copy.startedDateTime = new Date(at + Date.parse(e.startedDateTime) - group.t0).toISOString();
    // Frame times are epoch seconds in Chromium's HAR.
    for (const m of copy._webSocketMessages ?? []) m.time = (at - group.t0) / 1000 + m.time;
    return JSON.stringify(copy);
  });
}

// Deterministic text with characters JSON must escape, so parsing is not all fast paths.
function bodyPool(bytes: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 {}[]:,."\\\n\té✓';
  let seed = 0x2545f491;
  let s = '';
  while (s.length < bytes) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    s += alphabet[(seed >>> 8) % alphabet.length];
  }
  return s;
}

export interface GeneratedHar {
  bytes: number;
  entries: number;
  diffusionEntries: number;
}

/** Write a HAR of about `targetBytes` to `file`. */
export async function generateHar(root: string, file: string, targetBytes: number): Promise<GeneratedHar> {
  const unrelated = load(root, 'healthy-reconnect-after-drop', [0, 1, 2, 3]).entries;
  // WS 101 with a binary first frame, then a reconnect with the session token.
  const reconnect = load(root, 'healthy-reconnect-after-drop', [4, 6]);
  // WS status 0, then XHR m=0 / m=1 / m=2 with their headers.
  const cascade = load(root, 'websocket-stripped-upgrade', [4, 6, 7, 8]);
  const exhausted = load(root, 'transports-exhausted', [4, 6, 7]);
  const groups = [reconnect, cascade, exhausted];
  const pool = bodyPool(64 * 1024);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  let entries = 0;
  let diffusionEntries = 0;
  const write = async (text: string): Promise<void> => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const error = new Promise<never>((_, reject) => out.once('error', reject));
  error.catch(() => {});
  const t0 = Date.UTC(2025, 0, 15, 9, 0, 0);
  let seed = 7;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  await write(`{"log":{"version":"1.2","creator":{"name":"dci-bench","version":"1"},"pages":[{"startedDateTime":"${new Date(t0).toISOString()}","id":"page_1","title":"http://app.lab.test/","pageTimings":{}}],"entries":[\n`);
  let first = true;
  let at = t0;
  for (let n = 0; written < targetBytes; n++) {
    at += 250;
    let parts: string[];
    if (n % 40 === 39) {
      at += 10_000;
      parts = shifted(groups[(n / 40 | 0) % groups.length]!, at);
      diffusionEntries += parts.length;
    } else {
      const e = structuredClone(unrelated[n % unrelated.length]!) as Entry & { response: { content: Record<string, unknown> }; request: { url: string } };
      e.startedDateTime = new Date(at).toISOString();
      e.request.url = `http://app.lab.test/assets/${n}.js`;
      const size = 1024 + next(15 * 1024);
      const start = next(pool.length - size);
      e.response.content = { size, mimeType: 'text/javascript', text: pool.slice(start, start + size) };
      parts = [JSON.stringify(e)];
    }
    for (const p of parts) {
      await Promise.race([write((first ? '' : ',\n') + p), error]);
      first = false;
      entries++;
    }
  }
  await write('\n]}}\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes: written, entries, diffusionEntries };
}

// ---- Diffusion-dense captures: few unrelated entries, the same recorded Diffusion entries again and
// again, as a long session or a retrying application records them.

export type DenseKind = 'polls' | 'refused' | 'reconnects';

/** A recorded entry moved to `at` (epoch ms); frame times move with it, unless they are not dates (refused sockets). */
function movedTo(e: Entry, at: number, undated: boolean): Entry {
  const copy = structuredClone(e);
  delete copy['_initiator']; // stack traces of the page's scripts: bulk, not connection facts
  const from = Date.parse(e.startedDateTime);
  if (!undated) copy.startedDateTime = new Date(at).toISOString();
  for (const m of copy._webSocketMessages ?? []) if (m.time > 1e9) m.time += (at - from) / 1000;
  return copy;
}

/**
 * Write a dense HAR to `file`:
 * - polls: one XHR session (a refused WebSocket, the XHR handshake) then `count` long polls and sends
 *   carrying its token, 400 ms apart (a day-long session at count 200,000);
 * - refused: `count` refused WebSocket handshakes of an application retrying every 60 ms, a third of
 *   them with Chrome's 1969 placeholder time, and every tenth answered 116 (authentication failed);
 * - reconnects: one WebSocket session and `count` reconnects with its token, 2 s apart.
 */
export async function generateDenseHar(root: string, file: string, kind: DenseKind, count: number): Promise<GeneratedHar> {
  const page = load(root, 'websocket-stripped-upgrade', [0]).entries;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  let entries = 0;
  const write = async (text: string): Promise<void> => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const t0 = Date.UTC(2025, 0, 15, 9, 0, 0);
  await write(`{"log":{"version":"1.2","creator":{"name":"dci-bench","version":"1"},"pages":[],"entries":[\n`);
  const put = async (e: Entry): Promise<void> => {
    await write((entries === 0 ? '' : ',\n') + JSON.stringify(e));
    entries++;
  };
  await put(movedTo(page[0]!, t0, false));
  let at = t0 + 100;
  if (kind === 'polls') {
    const [ws, handshake, poll, send] = load(root, 'websocket-stripped-upgrade', [4, 6, 7, 8]).entries;
    await put(movedTo(ws!, at, false));
    await put(movedTo(handshake!, (at += 100), false));
    for (let i = 0; i < count; i++) await put(movedTo(i % 4 === 3 ? send! : poll!, (at += 400), false));
  } else if (kind === 'refused') {
    const [dated, undated] = load(root, 'retry-storm', [4, 12]).entries;
    const [rejected] = load(root, 'retry-after-fatal-rejection', [6]).entries;
    for (let i = 0; i < count; i++) {
      at += 60;
      if (i % 10 === 9) await put(movedTo(rejected!, at, false));
      else await put(movedTo(i % 3 === 2 ? undated! : dated!, at, i % 3 === 2));
    }
  } else {
    const [first, reconnect] = load(root, 'healthy-reconnect-after-drop', [4, 6]).entries;
    await put(movedTo(first!, at, false));
    for (let i = 0; i < count; i++) await put(movedTo(reconnect!, (at += 2000), false));
  }
  await write('\n]}}\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes: written, entries, diffusionEntries: entries - 1 };
}

/**
 * A capture with one giant entry: the recorded XHR handshake of a stripped-upgrade session whose
 * answer carries `bytes` more of body (a server that kept writing), between its WebSocket attempt
 * and its polls.
 */
export async function generateHugeEntryHar(root: string, file: string, bytes: number): Promise<GeneratedHar> {
  const [ws, handshake, poll] = load(root, 'websocket-stripped-upgrade', [4, 6, 7]).entries;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let written = 0;
  const write = async (text: string): Promise<void> => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const t0 = Date.UTC(2025, 0, 15, 9, 0, 0);
  const big = movedTo(handshake!, t0 + 100, false) as Entry & { response: { content: { text: string } } };
  // Split the entry's JSON around its body text and stream the padding in between.
  const marker = '@@BODY@@';
  const text = big.response.content.text;
  big.response.content.text = marker;
  const [before, after] = JSON.stringify(big).split(JSON.stringify(marker));
  await write(`{"log":{"version":"1.2","creator":{"name":"dci-bench","version":"1"},"pages":[],"entries":[\n${JSON.stringify(movedTo(ws!, t0, false))},\n`);
  await write(`${before}${JSON.stringify(text).slice(0, -1)}`);
  const piece = 'diffusion-padding-'.repeat(1 << 16);
  for (let n = 0; n < bytes; n += piece.length) await write(piece);
  await write(`"${after},\n${JSON.stringify(movedTo(poll!, t0 + 300, false))}\n]}}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes: written, entries: 3, diffusionEntries: 3 };
}
