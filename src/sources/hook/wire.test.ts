import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64ToBytes } from '../../core/diffusion/bytes.ts';
import { MAX_BODY_LENGTH } from './event.ts';
import { fromWire } from './wire.ts';

const T0 = 1_750_000_000_000;

test('a first binary message becomes base64 bytes; a text frame is marked as text', () => {
  const bin = fromWire({ k: 'wm', i: 1, t: T0, d: new Uint8Array([35, 29, 100]).buffer });
  assert.deepEqual(bin, { ok: true, value: { kind: 'ws-first-message', id: 1, at: T0, body: 'Ix1k', text: false, truncated: false } });
  const text = fromWire({ k: 'wm', i: 1, t: T0, d: 'hé' });
  assert.ok(text.ok && text.value.kind === 'ws-first-message' && text.value.text);
  assert.deepEqual([...base64ToBytes((text.value as { body: string }).body)!], [0x68, 0xc3, 0xa9]);
});

test('bodies longer than the limit are cut and flagged', () => {
  const r = fromWire({ k: 'wm', i: 1, t: T0, d: new Uint8Array(MAX_BODY_LENGTH + 1) });
  assert.ok(r.ok && r.value.kind === 'ws-first-message');
  assert.equal(r.value.truncated, true);
  assert.equal(base64ToBytes(r.value.body)!.length, MAX_BODY_LENGTH);
});

test('XHR headers are split into pairs; the x-user-defined handshake text becomes bytes', () => {
  const sent = fromWire({ k: 'xs', i: 2, t: T0, m: 'POST', u: 'http://h/diffusion', h: 'm:0\nty:B\nsp:%7B%22a%22%3A%22b%3Ac%22%7D\n' });
  assert.deepEqual(sent, { ok: true, value: { kind: 'xhr-send', id: 2, at: T0, method: 'POST', url: 'http://h/diffusion', headers: [['m', '0'], ['ty', 'B'], ['sp', '%7B%22a%22%3A%22b%3Ac%22%7D']] } });
  // 0x80 and 0xFF arrive as U+F780 and U+F7FF under x-user-defined.
  const ended = fromWire({ k: 'xe', i: 2, t: T0, o: 'load', s: 200, h: 'content-type: text/plain\r\nX-A: 1\r\n', b: '#\x1dd\uf780\uf7ff' });
  assert.ok(ended.ok && ended.value.kind === 'xhr-end');
  assert.deepEqual(ended.value.headers, [['content-type', 'text/plain'], ['x-a', '1']]);
  assert.deepEqual([...base64ToBytes(ended.value.body!)!], [35, 29, 100, 0x80, 0xff]);
  assert.equal(ended.value.bodyLossy, false);
  const lossy = fromWire({ k: 'xe', i: 2, t: T0, o: 'load', s: 200, h: '', b: '#\ufffd' });
  assert.ok(lossy.ok && lossy.value.kind === 'xhr-end' && lossy.value.bodyLossy === true);
});

test('anything else from the page is rejected', () => {
  for (const raw of [
    null, 'ws', [], { k: 'zz', i: 1, t: T0 }, { k: 'toString', i: 1, t: T0 }, { k: 'ws', i: 1, t: T0 },
    { k: 'wm', i: 1, t: T0, d: { length: 3 } }, { k: 'xs', i: 1, t: T0, m: 'POST', u: '/d', h: 'no-colon\n' },
    { k: 'xe', i: 1, t: T0, o: 'load', s: 200, h: '', b: 7 }, { k: 'wc', i: 1, t: T0, c: '1000', r: '', w: true },
  ]) {
    assert.equal(fromWire(raw).ok, false, JSON.stringify(raw));
  }
});
