// Byte-level pieces of the Diffusion handshake, as measured in docs/diffusion-protocol.md §1–§3.
import { randomBytes } from 'node:crypto';

export const PROTOCOL_BYTE = 35;
/** Ping period the lab announces by default: long, because the emulator sends no system pings. */
export const DEFAULT_PING_PERIOD_MS = 3_600_000;
export const MAX_MESSAGE_SIZE = 10_485_760;

export interface Session {
  /** Two int64 halves of the session id. */
  hi: bigint;
  lo: bigint;
  /** 24 printable ASCII characters (5.9 strips the high bit of token bytes). */
  token: string;
  /** Which emulator created it (for logs and the `session` cookie). */
  server: string;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newSession(server: string): Session {
  const b = randomBytes(40);
  let token = '';
  for (let i = 0; i < 24; i++) token += TOKEN_ALPHABET[(b[i] ?? 0) % TOKEN_ALPHABET.length];
  return { hi: b.readBigUInt64BE(24) >> 1n, lo: b.readBigUInt64BE(32) >> 1n, token, server };
}

export function sessionIdText(s: Session): string {
  return `${s.hi.toString(16).padStart(16, '0')}-${s.lo.toString(16).padStart(16, '0')}`;
}

/**
 * The connection response (§3). Failure codes are 3 bytes; 100/105/106 carry session id, token,
 * ping period and the trailing int32 that 6.12 requires (recovery sequence for 105, max message
 * size otherwise). `trailer: false` omits it (a parse error for 6.12).
 */
export function connectionResponse(opts: {
  version: number;
  code: number;
  session?: Session;
  pingPeriodMs?: number;
  int32?: number;
  protocolByte?: number;
  trailer?: boolean;
}): Buffer {
  const head = Buffer.from([opts.protocolByte ?? PROTOCOL_BYTE, opts.version & 0xff, opts.code & 0xff]);
  if (![100, 105, 106].includes(opts.code)) return head;
  const s = opts.session;
  if (!s) throw new Error(`response code ${opts.code} needs a session`);
  const body = Buffer.alloc(16 + 24 + 8);
  body.writeBigInt64BE(s.hi, 0);
  body.writeBigInt64BE(s.lo, 8);
  body.write(s.token, 16, 24, 'latin1');
  body.writeBigInt64BE(BigInt(opts.pingPeriodMs ?? DEFAULT_PING_PERIOD_MS), 40);
  if (opts.trailer === false) return Buffer.concat([head, body]);
  const tail = Buffer.alloc(4);
  tail.writeInt32BE(opts.int32 ?? MAX_MESSAGE_SIZE);
  return Buffer.concat([head, body, tail]);
}

/** Credential tunnel (§1): base64 of [type][varint length][bytes]; 0 NONE, 1 PLAIN, 2 CUSTOM. */
export function decodeCredentials(b64: string): { type: 'NONE' | 'PLAIN' | 'CUSTOM' | 'UNKNOWN'; value: string } {
  const b = Buffer.from(b64, 'base64');
  let i = 1;
  let len = 0;
  let shift = 0;
  for (;;) {
    const x = b[i++];
    if (x === undefined) break;
    len |= (x & 0x7f) << shift;
    if (!(x & 0x80)) break;
    shift += 7;
  }
  const type = (['NONE', 'PLAIN', 'CUSTOM'] as const)[b[0] ?? -1] ?? 'UNKNOWN';
  return { type, value: b.subarray(i, i + len).toString('utf8') };
}

/**
 * The reconnect token as the client sends it: 6.12 puts the token string in the WS query
 * (URI-encoded) and raw in the XHR `c` header; 5.9 URI-encodes both. Printable tokens make
 * a plain decode enough.
 */
export function readToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try { return decodeURIComponent(raw); } catch { return raw; }
}
