import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HarFormatError, HarSplitter } from './split.ts';

// A small seeded generator, so a failure can be replayed.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['"', '\\', '\\"', '\\\\', '{', '}', '[', ']', ',', ':', 'é', '€', '😀', '\u0000', '\n', '\t', 'ws://', 'diffusion', 'a', 'bcd', ' ', '\u2028'];

function randomString(r: () => number): string {
  let s = '';
  const n = Math.floor(r() * 12);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 4 ? 5 : 8));
  switch (k) {
    case 0: return randomString(r);
    case 1: return Math.floor(r() * 1e6) / (r() < 0.5 ? 1 : 7);
    case 2: return r() < 0.5;
    case 3: return null;
    case 4: return -Math.floor(r() * 100);
    case 5: case 6: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) o[randomString(r) + i] = randomValue(r, depth + 1);
      return o;
    }
    default: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  }
}

function randomEntry(r: () => number): unknown {
  if (r() < 0.08) return randomValue(r, 5); // not an object: the reader must count it, not choke
  return { request: { url: `https://x/${randomString(r)}`, headers: [{ name: randomString(r), value: randomString(r) }] }, extra: randomValue(r, 1), body: randomString(r) };
}

function randomHar(r: () => number): { text: string; entries: unknown[]; pages: unknown } {
  const entries = Array.from({ length: Math.floor(r() * 12) }, () => randomEntry(r));
  const pages = r() < 0.3 ? undefined : [{ id: 'page_1', title: randomString(r), x: randomValue(r, 2) }];
  const log: Record<string, unknown> = { version: '1.2', creator: { name: randomString(r), nested: [randomValue(r, 3)] } };
  const pagesFirst = r() < 0.5;
  if (pages && pagesFirst) log['pages'] = pages;
  log['entries'] = entries;
  if (pages && !pagesFirst) log['pages'] = pages;
  if (r() < 0.5) log['comment'] = randomString(r);
  const top: Record<string, unknown> = r() < 0.3 ? { before: randomValue(r, 2), log } : { log };
  if (r() < 0.3) top['after'] = randomValue(r, 2);
  const indent = [undefined, 0, 1, 2, '\t'][Math.floor(r() * 5)];
  return { text: JSON.stringify(top, null, indent), entries, pages };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function split(bytes: Uint8Array, cuts: number[]): { entries: unknown[]; pages: unknown; count: number } {
  const s = new HarSplitter();
  const out: unknown[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    for (const raw of s.push(bytes.subarray(prev, c))) out.push(JSON.parse(decoder.decode(raw)));
    prev = c;
  }
  s.end();
  return { entries: out, pages: s.pages ? JSON.parse(decoder.decode(s.pages)) : undefined, count: s.entryCount };
}

function randomCuts(r: () => number, length: number): number[] {
  const n = Math.floor(r() * 8);
  return Array.from({ length: n }, () => Math.floor(r() * length)).sort((a, b) => a - b);
}

test('splitter yields exactly what JSON.parse sees, for 600 generated HARs cut at random places', () => {
  const r = rng(1234);
  for (let i = 0; i < 600; i++) {
    const { text, entries, pages } = randomHar(r);
    const bytes = encoder.encode(text);
    const got = split(bytes, randomCuts(r, bytes.length));
    // Compare with what JSON.parse reads back (-0 is written as 0).
    const parsed = JSON.parse(text) as { log: { entries: unknown[]; pages?: unknown } };
    assert.deepEqual(got.entries, parsed.log.entries, `HAR ${i}: ${text.slice(0, 200)}`);
    assert.deepEqual(got.pages, parsed.log.pages, `HAR ${i} pages`);
    assert.equal(got.count, entries.length);
    assert.equal(pages === undefined, got.pages === undefined);
  }
});

test('splitter handles every single-byte chunking of a HAR with escapes and multi-byte characters', () => {
  const text = JSON.stringify({ log: { pages: [{ title: 'a"b\\' }], entries: [{ s: 'x\\"y\\\\"z', u: 'é€😀', n: [1, { a: [] }] }, 'str\\', 3, null, { t: '"' }] } });
  const bytes = encoder.encode(text);
  const all = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  const got = split(bytes, all);
  assert.deepEqual(got.entries, (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries);
  for (let cut = 1; cut < bytes.length; cut++) assert.deepEqual(split(bytes, [cut]).entries, got.entries, `cut at ${cut}`);
});

test('splitter accepts a byte-order mark and surrounding whitespace', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(' \n{"log":{"entries":[{"a":1}]}}\n ')]);
  assert.deepEqual(split(bytes, [1, 2]).entries, [{ a: 1 }]);
});

function rejects(text: string | Uint8Array, pattern: RegExp, cuts: number[] = []): void {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  assert.throws(() => split(bytes, cuts), (err: unknown) => {
    assert.ok(err instanceof HarFormatError, `not a HarFormatError: ${String(err)}`);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'), 'one line');
    return true;
  });
}

test('splitter rejects non-HAR input with a clear message', () => {
  rejects('', /empty/);
  rejects('   \n', /empty/);
  rejects('hello', /not JSON/);
  rejects('<html></html>', /not JSON/);
  rejects('[1,2]', /array/);
  rejects('"log"', /single value/);
  rejects('42', /single value/);
  rejects('null', /single value/);
  rejects('{}', /no "log"/);
  rejects('{"a":{"log":{"entries":[]}}}', /no "log"/);
  rejects('{"log":[]}', /"log" is not an object/);
  rejects('{"log":"x"}', /"log" is not an object/);
  rejects('{"log":{}}', /no "entries"/);
  rejects('{"log":{"pages":[]}}', /no "entries"/);
  rejects('{"log":{"entries":{}}}', /not an array/);
  rejects('{"log":{"entries":5}}', /not an array/);
  rejects('{"log":{"entries":[]}} x', /after the end/);
  rejects('{"log":{"entries":[{]}}', /mismatched/);
  rejects('{"log":{"entries":[1 2]}}', /not JSON/);
  rejects('{"log" {"entries":[]}}', /expected ":"/);
  rejects('{log:{"entries":[]}}', /expected a key/);
  rejects('{"log":{"entries":[,]}}', /expected an entry/);
  rejects(new Uint8Array([0x1f, 0x8b, 0x08, 0x00]), /not JSON/); // gzip
});

test('every truncation of a valid HAR is rejected; inside entries it names the entry', () => {
  const text = JSON.stringify({ log: { version: '1.2', pages: [{ id: 'p', title: 'https://a/' }], entries: [{ request: { url: 'wss://h/diffusion?ty=WB' } }, { s: 'a\\"b', n: [1, 2, { x: null }] }, { t: 'é😀' }] } }, null, 1);
  const bytes = encoder.encode(text);
  for (let n = 0; n < bytes.length; n++) {
    const cut = bytes.subarray(0, n);
    assert.throws(() => split(cut, []), HarFormatError, `truncated at ${n}`);
  }
  const inEntries = encoder.encode(text.slice(0, text.indexOf('"s"')));
  rejects(inEntries, /^truncated: unexpected end of file inside log\.entries \(entry 2\)$/);
});

test('random bytes and random non-HAR JSON values are rejected, never accepted or crashed on', () => {
  const r = rng(99);
  for (let i = 0; i < 300; i++) {
    const bytes = new Uint8Array(1 + Math.floor(r() * 200)).map(() => Math.floor(r() * 256));
    if (r() < 0.3) bytes[0] = 0x7b; // starts like an object
    assert.throws(() => split(bytes, randomCuts(r, bytes.length)), HarFormatError, `random ${i}`);
  }
  for (let i = 0; i < 300; i++) {
    let v = randomValue(r, 0);
    if (r() < 0.3) v = { log: randomValue(r, 2) };
    const ok = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { log?: unknown }).log === 'object'
      && Array.isArray(((v as { log?: { entries?: unknown } }).log ?? {}).entries);
    if (ok) continue;
    assert.throws(() => split(encoder.encode(JSON.stringify(v)), []), HarFormatError, `value ${JSON.stringify(v)}`);
  }
});
