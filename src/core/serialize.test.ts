import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestObservation } from './model.ts';
import { fromWire, MAX_TEXT, toWire } from './serialize.ts';

const obs: RequestObservation = {
  kind: 'request', source: 'hook', transport: 'WEBSOCKET', url: 'ws://127.0.0.1/diffusion?ty=WB&v=29',
  startedAt: 1000, endedAt: 1010, status: 101, body: new Uint8Array([35, 29, 100, 0, 255]), closeCode: 1006,
  requestHeaders: { m: '0' }, pageUrl: 'http://127.0.0.1/',
};

test('round trip through JSON keeps every field and the body bytes', () => {
  const back = fromWire(JSON.parse(JSON.stringify(toWire(obs))));
  // Header records have no prototype (names are page data): compare their contents.
  assert.deepEqual({ ...back, requestHeaders: { ...(back as RequestObservation).requestHeaders } }, obs);
});

test('page observations round trip', () => {
  const page = { kind: 'page' as const, source: 'hook' as const, url: 'http://x/', startedAt: 5, clientVersion: '6.12.1' };
  assert.deepEqual(fromWire(JSON.parse(JSON.stringify(toWire(page)))), page);
});

test('anything that is not an observation is refused', () => {
  for (const v of [null, 1, 'x', [], {}, { kind: 'request' }, { ...toWire(obs), source: 'evil' }, { ...toWire(obs), transport: 'FTP' },
    { ...toWire(obs), startedAt: 'now' }, { ...toWire(obs), startedAt: Number.NaN }, { ...toWire(obs), kind: 'script' }]) {
    assert.equal(fromWire(v), null, JSON.stringify(v));
  }
});

test('hostile fields are dropped or cut, never trusted', () => {
  const back = fromWire({ ...toWire(obs), url: 'x'.repeat(MAX_TEXT * 3), status: -1, closeCode: 1e9, bodyIsText: 'yes',
    requestHeaders: { M: '0', bad: 42, ['<b>']: '<script>' }, body: '!!!not base64' }) as RequestObservation;
  assert.equal(back.url.length, MAX_TEXT);
  assert.equal(back.status, undefined);
  assert.equal(back.closeCode, undefined);
  assert.equal(back.bodyIsText, undefined);
  assert.equal(back.body, undefined);
  assert.deepEqual({ ...back.requestHeaders }, { m: '0', '<b>': '<script>' });
});
