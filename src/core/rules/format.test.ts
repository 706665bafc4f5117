import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, errorLabel, idListing, idRuns, listing, locationOf, pageOrigin, plural, thousands } from './format.ts';
import { endpoint } from './test-builders.ts';

test('durations read naturally from milliseconds to hours', () => {
  assert.deepEqual([250, 1500, 60_000, 59_800, 180_000, 3_600_000, 7_200_000].map(duration), ['0.25 s', '1.5 s', '60 s', '59.8 s', '3 min', '60 min', '2 h']);
});

test('counts get thousands separators as toLocaleString en-US gives them', () => {
  for (const n of [0, 7, 999, 1000, 9999, 10_000, 100_000, 999_999, 1_000_000, 1_234_567]) assert.equal(thousands(n), n.toLocaleString('en-US'));
  // Every count in a message reads the same way as "(100,000 in all)" beside it.
  assert.equal(plural(90_000, 'attempt'), '90,000 attempts');
  assert.equal(plural(1, 'attempt'), '1 attempt');
  assert.equal(plural(1_000, 'entry', 'entries'), '1,000 entries');
});

test('error labels never carry the URL query an error text quotes', () => {
  const raw = "Failed to construct 'WebSocket': The URL 'ws://push.example.com/diffusion?ty=WB&password=AQ5odW50ZXIyLXNlY3JldA%3D%3D' is invalid.";
  const label = errorLabel(raw);
  assert.ok(!label.includes('AQ5odW50'), label);
  assert.equal(errorLabel('net::ERR_CONNECTION_REFUSED at https://push.example.com/?c=abc'), 'net::ERR_CONNECTION_REFUSED');
});

test('locations come from the endpoint, page origins drop path and query', () => {
  assert.equal(locationOf('XHR', endpoint({ host: '::1', port: 8080, secure: false })), 'http://[::1]:8080/lb/diffusion');
  assert.equal(pageOrigin('https://app.example.com/trade?session=abc'), 'https://app.example.com');
  assert.equal(listing(['a', 'b', 'c']), 'a, b and c');
});

test('id lists: runs of consecutive ids become ranges; a long list keeps its ends and says how many it holds', () => {
  assert.deepEqual(idRuns(['c1', 'c2', 'c3', 'c7', 'a8', 'a9', 'a10', 'a12']), ['c1–c3', 'c7', 'a8–a10', 'a12']);
  assert.deepEqual(idRuns(['c1', 'c2']), ['c1', 'c2']);
  assert.equal(idListing(['c1']), 'c1');
  assert.equal(idListing(['c1', 'c2']), 'c1 and c2');
  assert.equal(idListing(['c1', 'c2', 'c3', 'c7', 'c9']), 'c1–c3, c7 and c9');
  assert.equal(idListing(['c1', 'c2', 'c3', 'c7'], (runs) => runs.join(', ')), 'c1–c3, c7');
  const storm = Array.from({ length: 99_999 }, (_, i) => `a${i + 1}`).filter((id) => !id.endsWith('0'));
  assert.equal(idListing(storm), `a1–a9, a11–a19, a21–a29, a31–a39, a41–a49, a51–a59, a61–a69, a71–a79, a81–a89, a91–a99, a101–a109, …, a99991–a99999 (${storm.length.toLocaleString('en-US')} in all)`);
  // Not of our form: each stands alone, never part of a range.
  assert.deepEqual(idRuns(['x', 'c01', 'c02', 'c3', 'c4']), ['x', 'c01', 'c02', 'c3', 'c4']);
});
