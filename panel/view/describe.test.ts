// Words and numbers the panel shows: counts grouped by thousands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, thousands } from './describe.ts';

test('thousands groups integers as en-US does, without loading locale data', () => {
  for (const n of [0, 7, 999, 1000, 12_345, 100_000, 1_234_567, -1234, 10_485_760]) assert.equal(thousands(n), n.toLocaleString('en-US'));
  assert.equal(thousands(1234.5), '1,234.5');
  assert.equal(count(10_000, 'connection'), '10,000 connections');
  assert.equal(count(1, 'finding'), '1 finding');
});
