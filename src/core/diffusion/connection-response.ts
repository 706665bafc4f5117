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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hi = view.getBigUint64(SESSION_ID_AT);
  const lo = view.getBigUint64(SESSION_ID_AT + 8);
  // One flat string: built a character at a time, the token is a rope that every lookup by token
  // flattens (and spreading a subarray is slower still).
  const codes: number[] = [];
  for (let i = TOKEN_AT; i < PING_AT; i++) codes.push(bytes[i]!);
  const token = String.fromCharCode.apply(null, codes);
  const ping = view.getBigInt64(PING_AT);
  return {
    response: {
      ...base,
      sessionId: `${hi.toString(16).padStart(16, '0')}-${lo.toString(16).padStart(16, '0')}`,
      token,
      pingPeriodMs: Number(ping),
      trailer: bytes.length >= TRAILER_AT + 4 ? view.getInt32(TRAILER_AT) : null,
    },
  };
}

/** A text frame instead of a binary one: the client cannot parse it. */
export function textFrameError(bytes: Uint8Array): ResponseDecodeError {
  return { error: 'the connection response arrived as a text frame; the client expects one binary message', hex: toHex(bytes) };
}
