import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { iso } from './describe.ts';

const reference = (ms: number): string | null => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

test('iso: as Date#toISOString for any time, day after day and back again', () => {
  const time = fc.oneof(
    fc.integer({ min: -8.64e15, max: 8.64e15 }),
    fc.double({ min: -9e15, max: 9e15, noNaN: true }),
    fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
  );
  fc.assert(fc.property(fc.array(time, { minLength: 1, maxLength: 20 }), (times) => {
    for (const t of times) assert.equal(iso(t), reference(t), `at ${t}`);
  }), { seed: 3, numRuns: 2000 });
});

test('iso: edges of the range, before 1970, and no time at all', () => {
  for (const t of [0, -1, -0.5, 0.9, -1000.5, 8.64e15, -8.64e15, 8.64e15 + 1, -8.64e15 - 1, 253402300799999, 253402300800000, -62198755200000, 1e17]) {
    assert.equal(iso(t), reference(t), `at ${t}`);
  }
  for (const t of [NaN, Infinity, -Infinity, null, undefined]) assert.equal(iso(t), null);
});
