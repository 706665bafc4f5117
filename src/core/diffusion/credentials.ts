// The credential tunnel the client sends as `password`: base64 of [type][varint length][bytes].
// Type 0 NONE, 1 PLAIN (UTF-8), 2 CUSTOM. It is an encoding, not encryption: we only ever read the
// type, so the cleartext never leaves this module.
import { base64ToBytes } from './bytes.ts';

const TYPES = ['NONE', 'PLAIN', 'CUSTOM'] as const;
export type CredentialType = (typeof TYPES)[number];

export function credentialType(tunnel: string): CredentialType | null {
  const bytes = base64ToBytes(tunnel);
  if (!bytes || bytes.length < 2) return null;
  return TYPES[bytes[0]!] ?? null;
}

/** Encode a PLAIN credential the way the client does (used by tests and the lab to know what to look for). */
export function encodePlainCredential(password: string): string {
  const utf8 = new TextEncoder().encode(password);
  const len: number[] = [];
  let n = utf8.length;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    len.push(b);
  } while (n);
  const all = new Uint8Array(1 + len.length + utf8.length);
  all[0] = 1;
  all.set(len, 1);
  all.set(utf8, 1 + len.length);
  let bin = '';
  for (const b of all) bin += String.fromCharCode(b);
  return btoa(bin);
}
