// Connection response codes of the two client families (protocol fact sheet §3).
// 5.9.x (v=9), the Java clients 6.0–6.2 (v=13, 14, 15: diffusiondata/wireshark-dissector samples) and
// 6.2.6 (v=15) share one set; 6.12.1 (v=29) defines another. Versions 16–28 (Python's 21, the native
// clients of 6.3–6.11) are unverified: neither set is assumed, so no code is called undefined for them.
import type { ResponseFamily } from '../model.ts';

export interface ResponseCodeInfo {
  code: number;
  name: string;
  /** What it means, in plain words. */
  meaning: string;
  /** What to do about it. */
  fix: string;
  /** Retrying the same connection cannot help (authentication, licence, protocol). */
  fatal: boolean;
  /** Families whose client defines the code; an undefined code is a parse error for that client. */
  families: readonly ResponseFamily[];
}

const BOTH: readonly ResponseFamily[] = ['5.9', '6.x'];

const CODES: readonly ResponseCodeInfo[] = [
  { code: 100, name: 'OK', meaning: 'The server accepted the connection.', fix: '', fatal: false, families: BOTH },
  { code: 102, name: 'DOWNGRADE', meaning: 'The server speaks an older protocol than this client and asks it to downgrade.', fix: 'Use a client library of the same release as the server, or upgrade the server.', fatal: true, families: BOTH },
  { code: 105, name: 'RECONNECTED', meaning: 'The server resumed the existing session.', fix: '', fatal: false, families: BOTH },
  { code: 106, name: 'RECONNECTED_WITH_MESSAGE_LOSS', meaning: 'The server resumed the session but messages sent while disconnected were lost.', fix: 'Shorten network outages or raise the server\'s reconnection queue size if message loss matters.', fatal: false, families: BOTH },
  { code: 111, name: 'REJECTED', meaning: 'The server rejected the connection.', fix: 'Check the server log for the reason (connector configuration, client restrictions).', fatal: false, families: ['5.9'] },
  { code: 112, name: 'CONNECTION_UNSUPPORTED', meaning: 'The server does not accept this kind of connection on this connector.', fix: 'Enable the transport (WebSocket or HTTP polling) on the server connector the client reaches.', fatal: true, families: ['5.9'] },
  { code: 113, name: 'LICENSE_EXCEEDED', meaning: 'The server has reached the connection limit of its licence.', fix: 'Raise the licence limit or spread clients over more licensed servers; retrying immediately will not help.', fatal: true, families: BOTH },
  { code: 114, name: 'RECONNECTION_UNSUPPORTED', meaning: 'The server does not support reconnection for this connector.', fix: 'Enable reconnection on the server connector, or have the application open a new session.', fatal: false, families: BOTH },
  { code: 115, name: 'CONNECTION_PROTOCOL_ERROR', meaning: 'The server could not understand the connection request.', fix: 'Check that a proxy is not rewriting the request, and that client and server releases are compatible.', fatal: true, families: BOTH },
  { code: 116, name: 'AUTHENTICATION_FAILED', meaning: 'The server refused the principal and credentials.', fix: 'Check the principal and password the application connects with (diffusion.connect() in JavaScript, the session factory\'s principal and credentials in the other clients), and the server\'s security store; retrying with the same credentials will fail again.', fatal: true, families: BOTH },
  { code: 117, name: 'UNKNOWN_SESSION', meaning: 'The server does not know the session the client tried to resume: the reconnection reached a different server, or the session had expired.', fix: 'Give the load balancer session affinity (a sticky cookie or source-IP affinity) and keep the reconnect timeout within the server\'s.', fatal: false, families: BOTH },
  { code: 118, name: 'RECONNECTION_FAILED_MESSAGE_LOSS', meaning: 'The session could not be resumed without losing messages.', fix: 'Shorten network outages or raise the server\'s reconnection queue size.', fatal: false, families: BOTH },
  { code: 119, name: 'REJECTED_SERVER_INITIALISING', meaning: 'The server is still starting up and not yet accepting sessions.', fix: 'Retry after the server has started, or take it out of the load balancer until it is ready.', fatal: false, families: ['6.x'] },
  { code: 127, name: 'ERROR', meaning: 'The server failed while handling the connection.', fix: 'Check the server log at the time of the attempt.', fatal: false, families: ['5.9'] },
];

const BY_CODE = new Map(CODES.map((c) => [c.code, c]));

export function familyOf(version: number | null | undefined): ResponseFamily | null {
  if (version === null || version === undefined || !Number.isFinite(version)) return null;
  if (version >= 29) return '6.x';
  return version <= 15 ? '5.9' : null;
}

export function responseCodeInfo(code: number): ResponseCodeInfo | undefined {
  return BY_CODE.get(code);
}

export function responseCodeName(code: number): string {
  return BY_CODE.get(code)?.name ?? 'UNKNOWN';
}

export function isSuccessCode(code: number): boolean {
  return code === 100 || code === 105 || code === 106;
}

/** Whether a client of `family` understands `code` (if not, it treats the response as a parse error and cascades). */
export function isDefinedFor(code: number, family: ResponseFamily | null): boolean {
  const info = BY_CODE.get(code);
  if (!info) return false;
  return family === null ? true : info.families.includes(family);
}

export function allResponseCodes(): readonly ResponseCodeInfo[] {
  return CODES;
}
