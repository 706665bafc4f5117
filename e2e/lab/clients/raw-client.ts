// A raw WebSocket handshake in the shapes the native Diffusion clients use, for the lab: no native
// client can be installed here, so their upgrades are built from the public facts (see HANDSHAKES).
// It reads the first binary message (the connection response) and closes.
import type { Agent } from 'node:http';
import { WebSocket } from 'ws';
import { encodePlainCredential } from '../../../src/core/diffusion/credentials.ts';

export interface RawHandshake {
  /** Query string (without '?') the client puts on the URL, or '' for header-style clients. */
  query: string;
  /** Extra request headers the client sends with the upgrade. */
  headers: Record<string, string>;
  /** Where the shape comes from. */
  source: string;
}

export interface Credentials { principal: string; password: string }

/**
 * The upgrade of each client family, from the public sources:
 * - java-6.1: `?v=14&ty=WJ&ca=10&username=…&password=…&r=60000` (diffusiondata/wireshark-dissector
 *   samples/v61ws.pcap; 6.0 is the same with v=13, samples/v60ws.pcap);
 * - java-6.2: headers `v: 15`, `ty: WJ`, `ca: 10`, `username`, `password`, `r: 60000` on a bare
 *   `GET /diffusion` (samples/v62constraints.pcap);
 * - android: the Java shape, with `$Environment` ANDROID_… in `sp` (clients since 6.11);
 * - apple: headers `ty: WIOS`, `v`, `ca`, `r`, `username`, `password`, `sp` with `$Environment`
 *   "Apple_iOS_<major.minor>" (strings of pushtechnology/diffusion-swift 6.11's framework); its protocol
 *   version is not public, 27 stands in for it;
 * - python: headers with `ty: PY`, protocol 21, `sp` with `$Environment` PYTHON_… (the PyPI package).
 */
export function handshakeOf(kind: 'java-6.1' | 'java-6.2' | 'android' | 'apple' | 'python', creds?: Credentials): RawHandshake {
  const tunnel = creds ? encodePlainCredential(creds.password) : undefined;
  switch (kind) {
    case 'java-6.1':
      return {
        query: `v=14&ty=WJ&ca=10${creds ? `&username=${encodeURIComponent(creds.principal)}&password=${encodeURIComponent(tunnel!)}` : ''}&r=60000`,
        headers: {},
        source: 'Java 6.1 upgrade as in diffusiondata/wireshark-dissector samples/v61ws.pcap',
      };
    case 'java-6.2':
      return {
        query: '',
        headers: { v: '15', ty: 'WJ', ca: '10', ...(creds ? { username: creds.principal, password: tunnel! } : {}), r: '60000' },
        source: 'Java 6.2 upgrade as in diffusiondata/wireshark-dissector samples/v62constraints.pcap',
      };
    case 'android':
      return {
        query: '',
        headers: { v: '15', ty: 'WJ', ca: '10', r: '60000', sp: JSON.stringify({ $Environment: 'ANDROID_14' }) },
        source: 'the Java header shape (samples/v62constraints.pcap) with the $Environment ANDROID_… of clients since 6.11',
      };
    case 'apple':
      return {
        query: '',
        headers: { ty: 'WIOS', v: '27', ca: '0', r: '60000', ...(creds ? { username: creds.principal, password: tunnel! } : {}), sp: JSON.stringify({ $Environment: 'Apple_iOS_17.2' }) },
        source: 'the header names and $Environment format in pushtechnology/diffusion-swift 6.11 (protocol version 27 stands in: the real one is not public)',
      };
    case 'python':
      return {
        query: '',
        headers: { v: '21', ca: '0', r: '60000', ty: 'PY', sp: JSON.stringify({ $Environment: 'PYTHON_3.11.2' }) },
        source: 'the header names, client type PY and protocol 21 of the PyPI diffusion package',
      };
  }
}

export interface RawResult {
  /** HTTP status of the upgrade (101 when accepted). */
  status: number | null;
  /** The first binary message: the connection response. */
  response: Buffer | null;
  error: string | null;
}

/** Send one upgrade to `url` (a path ending in /diffusion), read the connection response, close. */
export function rawHandshake(url: string, shape: RawHandshake, opts: { agent?: Agent; timeoutMs?: number } = {}): Promise<RawResult> {
  const full = shape.query ? `${url}?${shape.query}` : url;
  return new Promise((resolve) => {
    let settled = false;
    const ws = new WebSocket(full, { headers: shape.headers, agent: opts.agent, perMessageDeflate: false });
    const done = (r: RawResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => { /* closing */ });
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => done({ status: 101, response: null, error: 'no connection response' }), opts.timeoutMs ?? 3000);
    ws.on('unexpected-response', (_req, res) => done({ status: res.statusCode ?? null, response: null, error: `Unexpected response code: ${res.statusCode}` }));
    ws.on('message', (data, isBinary) => done({ status: 101, response: isBinary ? Buffer.from(data as Buffer) : null, error: isBinary ? null : 'text frame' }));
    ws.on('error', (e) => done({ status: null, response: null, error: e.message }));
  });
}
