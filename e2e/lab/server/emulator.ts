// Diffusion server emulator: WebSocket and XHR polling on one port, faithful to
// docs/diffusion-protocol.md. Each first connection attempt (WS upgrade or XHR m=0 without a token)
// takes the next reply of `replies` (the last one repeats); reconnects (a token in `c`) are answered
// 105 when this emulator knows the token and 117 when it does not.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { connectionResponse, decodeCredentials, newSession, readToken, sessionIdText, DEFAULT_PING_PERIOD_MS, type Session } from './wire.ts';
import { EventLog } from '../event-log.ts';
import { listen, type Listening, type SiteHandler, type TlsMaterial } from '../net.ts';

/** What the emulator does with one first-connection attempt. */
export type Reply =
  /** Connect (100). `version` overrides the echoed client version; `dropAfterMs` cuts the connection later (a network drop). */
  | { kind: 'ok'; version?: number; protocolByte?: number; trailer?: boolean; dropAfterMs?: number }
  /** A failure response `[35, v, code]`, e.g. 116; 102 is DOWNGRADE. */
  | { kind: 'code'; code: number; version?: number }
  /** Answer the WS upgrade or the XHR handshake with a plain HTTP status and no Diffusion response. */
  | { kind: 'http'; status: number }
  /** WS: accept the upgrade, then close the socket without a connection response. */
  | { kind: 'close' }
  /** Never answer. */
  | { kind: 'silent' };

export interface EmulatorOptions {
  /** Name used in logs and in the `session` cookie. */
  name?: string;
  /** Request paths served as Diffusion endpoints (default `/diffusion`). Others get 404. */
  paths?: string[];
  replies?: Reply[];
  pingPeriodMs?: number;
  /** `forget`: answer every reconnect with 117 (a restarted server). */
  reconnect?: 'resume' | 'forget';
  /** Answer CORS preflights and expose `diffusion-connection` (a server configured for cross-origin pages). */
  cors?: boolean;
  /** How long an XHR long poll (m=1) is held open before an empty 200. */
  pollHoldMs?: number;
  /** Polls with sequence ≥ N are answered `diffusion-connection: reconnect`. */
  pollReconnectFrom?: number;
  /** The server dies this long after its first session connected: it stops listening and cuts every connection, until `reset()`. */
  stopAfterMs?: number;
  tls?: TlsMaterial;
  site?: SiteHandler;
}

export interface EmulatorEvent {
  at: number;
  server: string;
  type: 'ws-upgrade' | 'ws-closed' | 'xhr-handshake' | 'xhr-poll' | 'xhr-send' | 'preflight' | 'not-found' | 'drop' | 'stopped' | 'not-upgraded';
  path?: string;
  /** Client parameters: the WS query, or the XHR headers. */
  params?: Record<string, string>;
  /** Decoded credential tunnel, when a password was sent. */
  credentials?: { type: string; value: string };
  /** What the emulator answered: a response code, an HTTP status, or a label. */
  answer?: string;
  sessionId?: string;
  reconnect?: boolean;
}

export interface Emulator extends Listening {
  name: string;
  log: EventLog<EmulatorEvent>;
  /** Sessions this emulator created, by token. */
  sessions: Map<string, Session>;
  /** Start the reply script again and forget sessions (a page reload in the lab). */
  reset(): void;
  /** Answer the upgrade/handshake of an external server (used by the balancer in the same process). */
  server: Server;
}

const CLIENT_PARAMS = ['ty', 'v', 'ca', 'r', 'c', 'cs', 'ss', 'sp', 'username', 'password', 'm', 's'];

function pick(from: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of CLIENT_PARAMS) {
    const v = from[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const name = opts.name ?? 'emulator';
  const paths = new Set(opts.paths ?? ['/diffusion']);
  const replies = opts.replies?.length ? opts.replies : [{ kind: 'ok' } as Reply];
  const pingPeriodMs = opts.pingPeriodMs ?? DEFAULT_PING_PERIOD_MS;
  const pollHoldMs = opts.pollHoldMs ?? 15_000;
  const log = new EventLog<EmulatorEvent>();
  const sessions = new Map<string, Session>();
  const heldPolls = new Map<string, Set<ServerResponse>>();
  /** Tokens whose XHR traffic is being cut (a network drop), until the client reconnects. */
  const dropped = new Set<string>();
  const sockets = new Set<WebSocket>();
  const timers = new Set<NodeJS.Timeout>();
  /** Every TCP connection, cut when the server dies. */
  const connections = new Set<Duplex>();
  let attempt = 0;
  let death: 'none' | 'scheduled' | 'dead' = 'none';

  const nextReply = (): Reply => replies[Math.min(attempt++, replies.length - 1)] as Reply;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };
  const record = (e: Omit<EmulatorEvent, 'at' | 'server'>) => log.push({ at: Date.now(), server: name, ...e });
  // The `session` cookie: set whenever the request does not carry one this server issued, as a
  // server behind a load balancer without affinity would (so the cookie changes when requests move).
  const issuedCookies = new Set<string>();
  const cookieFor = (req: IncomingMessage): string | undefined => {
    const current = /(?:^|;\s*)session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    if (current && issuedCookies.has(current)) return undefined;
    const value = `${name}.${randomBytes(8).toString('hex')}`;
    issuedCookies.add(value);
    return `session=${value}; Path=/; HttpOnly`;
  };

  /** The answer to one handshake, WS or XHR. `bytes` undefined means an HTTP status / close / silence. */
  function decide(params: Record<string, string>): { reply: Reply; bytes?: Buffer; session?: Session; reconnect: boolean; answer: string } {
    const v = Number(params.v ?? 0);
    const token = readToken(params.c);
    if (token !== undefined) {
      const known = opts.reconnect !== 'forget' ? sessions.get(token) : undefined;
      if (known) {
        // 105 RECONNECTED: the int32 is the recovery sequence, which must be ≥ the client's `cs`.
        const bytes = connectionResponse({ version: v, code: 105, session: known, pingPeriodMs, int32: Number(params.cs ?? 0) });
        return { reply: { kind: 'ok' }, bytes, session: known, reconnect: true, answer: '105' };
      }
      return { reply: { kind: 'code', code: 117 }, bytes: connectionResponse({ version: v, code: 117 }), reconnect: true, answer: '117' };
    }
    const reply = nextReply();
    switch (reply.kind) {
      case 'ok': {
        const session = newSession(name);
        sessions.set(session.token, session);
        if (opts.stopAfterMs !== undefined && death === 'none') {
          death = 'scheduled';
          later(opts.stopAfterMs, die);
        }
        const bytes = connectionResponse({ version: reply.version ?? v, code: 100, session, pingPeriodMs, protocolByte: reply.protocolByte, trailer: reply.trailer });
        return { reply, bytes, session, reconnect: false, answer: reply.version !== undefined && reply.version !== v ? `100 v=${reply.version}` : '100' };
      }
      case 'code':
        return { reply, bytes: connectionResponse({ version: reply.version ?? v, code: reply.code }), reconnect: false, answer: String(reply.code) };
      case 'http':
        return { reply, reconnect: false, answer: `http ${reply.status}` };
      default:
        return { reply, reconnect: false, answer: reply.kind };
    }
  }

  function corsHeaders(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (!opts.cors || !origin) return;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'diffusion-connection');
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if ((req.method === 'GET' || req.method === 'HEAD') && opts.site?.(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!paths.has(path)) {
        record({ type: 'not-found', path, answer: '404' });
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      if (req.method === 'OPTIONS') {
        record({ type: 'preflight', path, answer: opts.cors ? '204 cors' : '200 no cors' });
        if (opts.cors && req.headers.origin) {
          res.writeHead(204, {
            'access-control-allow-origin': req.headers.origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
            'access-control-max-age': '0',
          }).end();
        } else {
          res.writeHead(200, { allow: 'POST' }).end();
        }
        return;
      }
      if (req.method === 'GET' && req.headers['upgrade'] === undefined && new URL(req.url ?? '/', 'http://x').searchParams.has('ty')) {
        // A WebSocket handshake without its Upgrade header (a proxy dropped it): no upgrade, a 400.
        // What a real Diffusion server answers here is not known; 400 is what WebSocket endpoints commonly answer.
        record({ type: 'not-upgraded', path, answer: '400' });
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad Request: not a WebSocket upgrade');
        return;
      }
      if (req.method !== 'POST') { res.writeHead(405).end(); return; }
      corsHeaders(req, res);
      const params = pick(req.headers);
      const m = params.m;
      if (m === '0') return handshake(req, res, params, path);
      const token = readToken(params.c) ?? '';
      const session = sessions.get(token);
      if (dropped.has(token)) {
        // The network is "down" for this session until the client comes back with a reconnect.
        record({ type: m === '1' ? 'xhr-poll' : 'xhr-send', path, params, answer: 'connection reset (dropped)' });
        req.socket.destroy();
        return;
      }
      if (m === '1') {
        const reconnectHeader = !session || (opts.pollReconnectFrom !== undefined && Number(params.s) >= opts.pollReconnectFrom);
        record({ type: 'xhr-poll', path, params, sessionId: session && sessionIdText(session), answer: reconnectHeader ? 'diffusion-connection: reconnect' : 'held' });
        const setCookie = cookieFor(req);
        if (setCookie) res.setHeader('set-cookie', setCookie);
        if (reconnectHeader) {
          // An unknown token on a poll: this server never saw the session (no affinity), so it asks the client to reconnect.
          res.writeHead(200, { 'content-type': 'text/plain', 'diffusion-connection': 'reconnect' }).end();
          return;
        }
        let held = heldPolls.get(token);
        if (!held) heldPolls.set(token, (held = new Set()));
        const polls = held;
        polls.add(res);
        res.on('close', () => polls.delete(res));
        later(pollHoldMs, () => { if (!res.writableEnded) res.writeHead(200, { 'content-type': 'text/plain' }).end(); });
        return;
      }
      if (m === '2') {
        record({ type: 'xhr-send', path, params, sessionId: session && sessionIdText(session), answer: session ? '200' : 'diffusion-connection: reconnect' });
        const setCookie = cookieFor(req);
        if (setCookie) res.setHeader('set-cookie', setCookie);
        res.writeHead(200, session ? { 'content-type': 'text/plain' } : { 'content-type': 'text/plain', 'diffusion-connection': 'reconnect' }).end();
        return;
      }
      res.writeHead(400).end();
    });
  }

  function handshake(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, path: string): void {
    const d = decide(params);
    const back = readToken(params.c);
    if (back !== undefined) dropped.delete(back);
    record({
      type: 'xhr-handshake', path, params, answer: d.answer, reconnect: d.reconnect,
      credentials: params.password ? decodeCredentials(readToken(params.password) ?? '') : undefined,
      sessionId: d.session && sessionIdText(d.session),
    });
    if (d.reply.kind === 'http') { res.writeHead(d.reply.status, { 'content-type': 'text/plain' }).end(); return; }
    if (d.reply.kind === 'silent' || d.reply.kind === 'close') {
      if (d.reply.kind === 'close') req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    const setCookie = cookieFor(req);
    if (setCookie) headers['set-cookie'] = setCookie;
    // The m=0 body is the raw response bytes, not base64 (§2).
    res.writeHead(200, headers).end(d.bytes);
    const drop = d.reply.kind === 'ok' && !d.reconnect ? d.reply.dropAfterMs : undefined;
    if (drop !== undefined && d.session) {
      const token = d.session.token;
      later(drop, () => {
        record({ type: 'drop', sessionId: sessionIdText(d.session as Session), answer: 'poll sockets destroyed' });
        dropped.add(token);
        for (const r of heldPolls.get(token) ?? []) r.socket?.destroy();
      });
    }
  }

  const wss = new WebSocketServer({ noServer: true });
  const upgradeCookies = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, req) => {
    const c = upgradeCookies.get(req);
    if (c) headers.push(`Set-Cookie: ${c}`);
  });

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const params: Record<string, string> = {};
    for (const [k, v] of u.searchParams) params[k] = v;
    // Java 6.2+, Apple and Python clients send the parameters as request headers instead.
    if (params.ty === undefined) Object.assign(params, pick(req.headers));
    if (!paths.has(u.pathname)) {
      record({ type: 'not-found', path: u.pathname, params, answer: '404' });
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found');
      return;
    }
    const d = decide(params);
    record({
      type: 'ws-upgrade', path: u.pathname, params, answer: d.answer, reconnect: d.reconnect,
      credentials: params.password ? decodeCredentials(params.password) : undefined,
      sessionId: d.session && sessionIdText(d.session),
    });
    if (d.reply.kind === 'http') {
      socket.end(`HTTP/1.1 ${d.reply.status} Lab\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const setCookie = cookieFor(req);
    if (setCookie) upgradeCookies.set(req, setCookie);
    const reply = d.reply;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', (code) => {
        sockets.delete(ws);
        record({ type: 'ws-closed', sessionId: d.session && sessionIdText(d.session), answer: String(code) });
      });
      ws.on('error', () => { /* a client reset is an ordinary end here */ });
      if (reply.kind === 'silent') return;
      if (reply.kind === 'close') { ws.close(1000); return; }
      ws.send(d.bytes as Buffer, { binary: true });
      if (reply.kind === 'ok' && !d.reconnect && reply.dropAfterMs !== undefined) {
        later(reply.dropAfterMs, () => {
          record({ type: 'drop', sessionId: d.session && sessionIdText(d.session), answer: 'socket destroyed' });
          ws.terminate();
        });
      }
    });
  }

  const server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }) : createHttpServer();
  server.on('connection', (s: Duplex) => { connections.add(s); s.on('close', () => connections.delete(s)); });
  /** The server goes away as a crashed process would: the port refuses, every connection is cut without a close frame. */
  function die(): void {
    death = 'dead';
    record({ type: 'stopped', answer: 'port closed, connections cut' });
    server.close();
    for (const ws of sockets) ws.terminate();
    for (const c of connections) c.destroy();
  }
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  const listening = await listen(server, {
    scheme: opts.tls ? 'https' : 'http',
    beforeClose: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  });

  return {
    ...listening,
    name,
    log,
    sessions,
    server,
    reset() {
      if (death === 'dead') server.listen(listening.port, listening.host);
      death = 'none';
      attempt = 0;
      sessions.clear();
      issuedCookies.clear();
      dropped.clear();
      log.clear();
    },
  };
}
