import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { slices } from './slices.ts';

test('slices: a short text is one piece, an empty one too', () => {
  assert.deepEqual([...slices('abc', 8)], ['abc']);
  assert.deepEqual([...slices('', 8)], ['']);
});

test('slices: a surrogate pair at the cut goes whole into the next piece', () => {
  const text = 'abc\u{1F600}def';
  assert.deepEqual([...slices(text, 4)], ['abc', '\u{1F600}de', 'f']);
});

test('slices: pieces join to the text, stay within the size and encode as the whole does', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 2, max: 16 }), (text, size) => {
      const pieces = [...slices(text, size)];
      assert.equal(pieces.join(''), text);
      for (const p of pieces) assert.ok(p.length <= size);
      assert.ok(pieces.every((p, i) => i === pieces.length - 1 || p.length > 0));
      assert.deepEqual(Buffer.concat(pieces.map((p) => Buffer.from(p))), Buffer.from(text));
    }),
    { seed: 11, numRuns: 500 },
  );
});
