// Decoding the server's connection response: the first WebSocket binary message, or the body of the
// XHR m=0 answer (protocol fact sheet §3). A response that cannot be decoded is evidence too: the
// client treats it as a parse error and cascades, so the error says exactly what is wrong.
import type { ConnectionResponse, ResponseDecodeError } from '../model.ts';
import { toHex } from './bytes.ts';
import { familyOf, isSuccessCode, responseCodeName } from './response-codes.ts';

export const PROTOCOL_BYTE = 35;
const SESSION_ID_AT = 3;
const TOKEN_AT = 19;
const PING_AT = 43;
const TRAILER_AT = 51;
const SUCCESS_LENGTH_59 = 51;
const SUCCESS_LENGTH_6X = 55;

export type DecodeResult = { response: ConnectionResponse; error?: undefined } | { response?: undefined; error: ResponseDecodeError };

/**
 * Decode a connection response. `clientVersion` (the request's `v`) selects the client family:
 * 6.x clients require the trailing int32 on success responses, 5.9 clients ignore it.
 */
export function decodeConnectionResponse(bytes: Uint8Array, clientVersion: number | null): DecodeResult {
  const fail = (error: string): DecodeResult => ({ error: { error, hex: toHex(bytes) } });
  if (bytes.length === 0) return fail('empty connection response');
  if (bytes[0] !== PROTOCOL_BYTE) return fail(`protocol byte is ${bytes[0]}, expected ${PROTOCOL_BYTE}: this is not a Diffusion connection response`);
  if (bytes.length < 3) return fail(`truncated connection response: ${bytes.length} of at least 3 bytes`);
  const version = bytes[1]!;
  const code = bytes[2]!;
  const base: ConnectionResponse = {
    protocolByte: PROTOCOL_BYTE,
    version,
    code,
    name: responseCodeName(code),
    success: isSuccessCode(code),
    sessionId: null,
    token: null,
    pingPeriodMs: null,
    trailer: null,
    length: bytes.length,
  };
  if (!base.success) return { response: base };

  const family = familyOf(clientVersion ?? version);
  const needed = family === '6.x' ? SUCCESS_LENGTH_6X : SUCCESS_LENGTH_59;
  if (bytes.length < needed) {
    const why = family === '6.x' && bytes.length >= SUCCESS_LENGTH_59
      ? ' (6.x clients require the 4-byte maximum message size after the ping period)'
      : '';
    return fail(`truncated connection response: ${bytes.length} of ${needed} bytes for ${code} ${base.name}${why}`);
  }
  // Read from the bytes themselves: a DataView needs the array's buffer, which V8 makes anew for a
  // small array stored on its heap (every 55-byte response), and BigInts cost more than the arithmetic.
  // One flat string: built a character at a time, the token is a rope that every lookup by token
  // flattens (and spreading a subarray is slower still).
  const codes: number[] = [];
  for (let i = TOKEN_AT; i < PING_AT; i++) codes.push(bytes[i]!);
  const token = String.fromCharCode.apply(null, codes);
  return {
    response: {
      ...base,
      sessionId: `${hexAt(bytes, SESSION_ID_AT, 8)}-${hexAt(bytes, SESSION_ID_AT + 8, 8)}`,
      token,
      // A signed 64-bit count: the high half times 2^32 plus the low half rounds once, as Number(BigInt) does.
      pingPeriodMs: int32At(bytes, PING_AT) * 2 ** 32 + (int32At(bytes, PING_AT + 4) >>> 0),
      trailer: bytes.length >= TRAILER_AT + 4 ? int32At(bytes, TRAILER_AT) : null,
    },
  };
}

/** A big-endian signed 32-bit integer. */
function int32At(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `count` bytes as lower-case hex, two digits each: a big-endian unsigned number, zero-padded. */
function hexAt(bytes: Uint8Array, from: number, count: number): string {
  let hex = '';
  for (let i = from; i < from + count; i++) hex += HEX_BYTES[bytes[i]!]!;
  return hex;
}

/** A text frame instead of a binary one: the client cannot parse it. */
export function textFrameError(bytes: Uint8Array): ResponseDecodeError {
  return { error: 'the connection response arrived as a text frame; the client expects one binary message', hex: toHex(bytes) };
}
