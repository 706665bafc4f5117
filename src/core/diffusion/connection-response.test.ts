import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConnectionResponse, textFrameError } from './connection-response.ts';

// The emulator's success response (protocol fact sheet §6): 55 bytes.
function success(v: number, code = 100, opts: { ping?: bigint; trailer?: number | null; token?: string } = {}): Uint8Array {
  const b = Buffer.alloc(opts.trailer === null ? 51 : 55);
  b[0] = 35; b[1] = v; b[2] = code;
  b.writeBigUInt64BE(0x1234n, 3);
  b.writeBigUInt64BE(0xfedcba9876543210n, 11);
  b.write(opts.token ?? 'TOKEN-abcdefghijklmnopqr', 19, 'latin1');
  b.writeBigInt64BE(opts.ping ?? 3600000n, 43);
  if (opts.trailer !== null) b.writeInt32BE(opts.trailer ?? 10485760, 51);
  return new Uint8Array(b);
}

test('decodes a 6.12 success response', () => {
  const r = decodeConnectionResponse(success(29), 29);
  assert.ok(r.response);
  assert.equal(r.response.code, 100);
  assert.equal(r.response.name, 'OK');
  assert.equal(r.response.success, true);
  assert.equal(r.response.version, 29);
  assert.equal(r.response.sessionId, '0000000000001234-fedcba9876543210');
  assert.equal(r.response.token, 'TOKEN-abcdefghijklmnopqr');
  assert.equal(r.response.pingPeriodMs, 3600000);
  assert.equal(r.response.trailer, 10485760);
  assert.equal(r.response.length, 55);
});

test('5.9 accepts a success response without the trailing int32; 6.x does not', () => {
  const short = success(9, 100, { trailer: null });
  assert.equal(decodeConnectionResponse(short, 9).response?.trailer, null);
  const r = decodeConnectionResponse(success(29, 100, { trailer: null }), 29);
  assert.match(r.error!.error, /51 of 55 bytes.*maximum message size/);
});

test('failure responses are three bytes and named', () => {
  const r = decodeConnectionResponse(new Uint8Array([35, 29, 116]), 29);
  assert.equal(r.response?.name, 'AUTHENTICATION_FAILED');
  assert.equal(r.response?.success, false);
  assert.equal(r.response?.sessionId, null);
  assert.equal(decodeConnectionResponse(new Uint8Array([35, 29, 200]), 29).response?.name, 'UNKNOWN');
});

test('a version byte different from the client\'s is decoded, for the rules to compare', () => {
  assert.equal(decodeConnectionResponse(success(28), 29).response?.version, 28);
});

test('105 carries the recovery sequence', () => {
  assert.equal(decodeConnectionResponse(success(29, 105, { trailer: 4 }), 29).response?.trailer, 4);
});

test('truncated, empty and foreign bytes are decoding errors with evidence', () => {
  const full = success(29);
  for (let n = 0; n < full.length; n++) {
    const r = decodeConnectionResponse(full.subarray(0, n), 29);
    assert.ok(r.error, `length ${n} must not decode`);
    assert.equal(r.error.hex, Buffer.from(full.subarray(0, n)).toString('hex'));
  }
  assert.match(decodeConnectionResponse(new Uint8Array([0x7b, 0x22]), 29).error!.error, /protocol byte is 123/);
  assert.match(decodeConnectionResponse(new Uint8Array([]), 29).error!.error, /empty/);
  assert.match(textFrameError(new Uint8Array([35])).error, /text frame/);
});

test('a ping period of zero and negative values decode as numbers', () => {
  assert.equal(decodeConnectionResponse(success(9, 100, { ping: 0n }), 9).response?.pingPeriodMs, 0);
  assert.equal(decodeConnectionResponse(success(29, 100, { ping: -1n }), 29).response?.pingPeriodMs, -1);
});

test('a response inside a larger buffer is read at its own offset', () => {
  const inner = success(29);
  const outer = new Uint8Array(inner.length + 10);
  outer.set(inner, 10);
  assert.equal(decodeConnectionResponse(outer.subarray(10), 29).response?.sessionId, '0000000000001234-fedcba9876543210');
});
