import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, errorLabel, listing, locationOf, pageOrigin } from './format.ts';
import { endpoint } from './test-builders.ts';

test('durations read naturally from milliseconds to hours', () => {
  assert.deepEqual([250, 1500, 60_000, 59_800, 180_000, 3_600_000, 7_200_000].map(duration), ['0.25 s', '1.5 s', '60 s', '59.8 s', '3 min', '60 min', '2 h']);
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
