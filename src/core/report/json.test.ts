import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonPieces } from './json.ts';

const whole = (record: object): string => `${JSON.stringify(record, null, 2)}\n`;

test('jsonPieces: the pieces join to the indented JSON of the whole, for any record', () => {
  const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', '0', '10', '-1'));
  const value = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ unit: 'binary' }));
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (record) => {
      assert.equal(jsonPieces(record).join(''), whole(record));
    }),
    { seed: 7, numRuns: 1000 },
  );
});

test('jsonPieces: a list written an item at a time joins to the whole with the list in place', () => {
  const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'connections'));
  const item = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ unit: 'binary' }));
  fc.assert(
    fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 5 }), key, fc.array(item, { maxLength: 6 }), (record, listKey, items) => {
      const whole = Object.defineProperty({ ...record }, listKey, { value: items, enumerable: true, writable: true, configurable: true });
      const placeholder = Object.defineProperty({ ...record }, listKey, { value: [], enumerable: true, writable: true, configurable: true });
      const lists = Object.defineProperty({}, listKey, { value: { count: items.length, item: (i: number) => items[i] }, enumerable: true });
      assert.equal(jsonPieces(placeholder, lists).join(''), `${JSON.stringify(whole, null, 2)}\n`);
    }),
    { seed: 5, numRuns: 1000 },
  );
});

test('jsonPieces: an empty record, and one whose only member is left out', () => {
  assert.deepEqual(jsonPieces({}), ['{}\n']);
  assert.equal(jsonPieces({ gone: undefined }).join(''), whole({ gone: undefined }));
  assert.deepEqual(jsonPieces({ a: [1, { b: 'x' }], c: '–' }), ['{\n', '  "a": [\n    1,\n    {\n      "b": "x"\n    }\n  ]', ',\n', '  "c": "–"', '\n}\n']);
});
