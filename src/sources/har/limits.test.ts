// Huge entries: long strings are cut to their first bytes (still valid JSON, still analysed), and an
// entry too large to parse is skipped with a note naming it; the rest of the capture is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HarSplitter, STRING_KEEP_BYTES } from './split.ts';
import { readHarBytes } from './read.ts';
import { har, wsFailed, xhrHandshake } from './test-fixtures.ts';

const encoder = new TextEncoder();

function chunked(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

test('a string longer than the limit is cut on a character boundary, whatever the escapes and chunk sizes', () => {
  // Escapes and multi-byte characters everywhere, so every cut point lands next to one.
  const unit = 'ab\\"\\\\\\u00e9é€😀\\n';
  const long = unit.repeat(Math.ceil((STRING_KEEP_BYTES * 2.5) / unit.length));
  const text = `{"log":{"entries":[{"request":{"url":"ws://h/diffusion"},"data":"${long}","after":1},{"n":2}]}}`;
  for (const size of [65_536, 65_537, 99_991, 1 << 20, (1 << 20) + 3]) {
    const s = new HarSplitter();
    const entries: string[] = [];
    for (const c of chunked(text, size)) for (const e of s.push(c)) entries.push(new TextDecoder().decode(e));
    s.end();
    assert.equal(entries.length, 2, `chunk ${size}`);
    const first = JSON.parse(entries[0]!) as { data: string; after: number; request: { url: string } };
    assert.equal(first.after, 1);
    assert.equal(first.request.url, 'ws://h/diffusion');
    assert.ok(first.data.length < STRING_KEEP_BYTES + size + 8, `kept ${first.data.length} chars at chunk ${size}`);
    assert.ok(JSON.parse(`"${long}"`).startsWith(first.data), `a prefix at chunk ${size}`);
    assert.deepEqual(JSON.parse(entries[1]!), { n: 2 });
    assert.deepEqual(s.notes.map((n) => [n.entry, n.kind]), [[1, 'string-cut']]);
  }
});

test('a handshake with a huge body is still analysed from its first bytes, with a note', () => {
  const big = xhrHandshake() as { response: { content: { text: string; encoding?: string } } };
  const content = big.response.content;
  content.text += 'x'.repeat(3 * STRING_KEEP_BYTES);
  const read = readHarBytes(chunked(JSON.stringify(har([wsFailed(), big])), 1 << 20));
  assert.equal(read.entries, 2);
  assert.equal(read.skipped, 0);
  assert.equal(read.observations.filter((o) => o.kind === 'request').length, 2);
  assert.ok(read.warnings.some((w) => /1 entry has strings longer than 1 MB \(bodies, messages\), read only up to that length \(entry 2: 3 MB\)/.test(w)), read.warnings.join('\n'));
});

test('an entry too large even with its strings cut is skipped with a note naming it; the others are read', () => {
  const many = wsFailed() as Record<string, unknown>;
  many['_webSocketMessages'] = Array.from({ length: 20_000 }, (_, i) => ({ type: 'send', time: i, opcode: 1, data: `message ${i}` }));
  const read = readHarBytes(chunked(JSON.stringify(har([wsFailed(), many, xhrHandshake()])), 64 * 1024), { maxEntryBytes: 200_000 });
  assert.equal(read.entries, 3);
  assert.equal(read.skipped, 1);
  assert.equal(read.observations.filter((o) => o.kind === 'request').length, 2);
  assert.ok(read.warnings.some((w) => /^entry 2 skipped: \d+ (?:kB|MB), more than the 200 kB an entry can have to be analysed, even with its long strings cut; the rest of the capture is analysed$/.test(w)), read.warnings.join('\n'));
  assert.ok(!read.warnings.some((w) => /not an object with request\.url/.test(w)));
});
