// Load-balancer simulator in front of one or more emulators: the intermediary behaviours that
// break Diffusion connections in real deployments (path prefixes, proxies that strip `Upgrade`,
// refused connections, round-robin without affinity, idle timeouts, CORS, TLS termination).
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { EventLog } from '../event-log.ts';
import { listen, type Listening, type SiteHandler, type TlsMaterial } from '../net.ts';

export interface Backend { host: string; port: number }

export interface BalancerOptions {
  name?: string;
  backends: Backend[];
  /** Only requests under this prefix are routed to the backends, e.g. `/lb`. */
  prefix?: string;
  /** Remove the prefix before forwarding (the backend serves `/diffusion`); otherwise forward the path unchanged. */
  stripPrefix?: boolean;
  /** `proxy` tunnels WebSocket upgrades; a number answers every upgrade with that plain HTTP status (a proxy that strips `Upgrade`). */
  upgrade?: 'proxy' | 200 | 400 | 426 | 502;
  /** Reset every TCP connection as soon as it is accepted. */
  refuse?: boolean;
  /** `round-robin`: every request and upgrade to the next backend; `cookie`: stick to the backend named by the `lb` cookie it sets. */
  balance?: 'round-robin' | 'cookie';
  /** Close tunnels that carried no bytes for this long, and answer 504 to requests the backend holds longer. */
  idleCloseMs?: number;
  /** `forward` preflights to the backend, `answer` them here (and add CORS headers), or `block` them with 403. */
  cors?: 'forward' | 'answer' | 'block';
  tls?: TlsMaterial;
  site?: SiteHandler;
  /** Listen on this port instead of an ephemeral one (e.g. 443 for the scheme/port scenario). */
  port?: number;
}

export interface BalancerEvent {
  at: number;
  balancer: string;
  type: 'route' | 'upgrade' | 'answered' | 'refused' | 'idle-close' | 'not-found' | 'preflight';
  method?: string;
  path?: string;
  backend?: number;
  detail?: string;
}

export interface Balancer extends Listening {
  name: string;
  log: EventLog<BalancerEvent>;
  reset(): void;
}

const AFFINITY_COOKIE = 'lb';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export async function startBalancer(opts: BalancerOptions): Promise<Balancer> {
  const name = opts.name ?? 'balancer';
  const log = new EventLog<BalancerEvent>();
  const record = (e: Omit<BalancerEvent, 'at' | 'balancer'>) => log.push({ at: Date.now(), balancer: name, ...e });
  const prefix = opts.prefix ?? '';
  let turn = 0;
  const tunnels = new Set<Socket>();

  if (opts.backends.length === 0 && !opts.refuse && typeof opts.upgrade !== 'number') throw new Error('a balancer needs a backend');

  /** The forwarded path (with query), or undefined when the request is not under the prefix. */
  function route(url: string): string | undefined {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q);
    if (!prefix) return url;
    if (path !== prefix && !path.startsWith(prefix + '/')) return undefined;
    return opts.stripPrefix ? (path.slice(prefix.length) || '/') + query : url;
  }

  function choose(req: IncomingMessage): { index: number; setCookie: boolean } {
    const n = opts.backends.length;
    if (opts.balance === 'cookie') {
      const v = Number(cookieValue(req.headers.cookie, AFFINITY_COOKIE));
      if (Number.isInteger(v) && v >= 0 && v < n) return { index: v, setCookie: false };
      return { index: turn++ % n, setCookie: true };
    }
    return { index: turn++ % n, setCookie: false };
  }

  function corsResponseHeaders(req: IncomingMessage): Record<string, string> {
    if (opts.cors !== 'answer' || !req.headers.origin) return {};
    return { 'access-control-allow-origin': req.headers.origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'diffusion-connection' };
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const forwarded = route(url);
    if ((req.method === 'GET' || req.method === 'HEAD') && (forwarded === undefined || prefix === '') && opts.site?.(req, res)) return;
    if (forwarded === undefined) {
      record({ type: 'not-found', method: req.method, path: url });
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (req.method === 'OPTIONS' && opts.cors && opts.cors !== 'forward') {
      record({ type: 'preflight', path: url, detail: opts.cors });
      if (opts.cors === 'block') { res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden'); return; }
      res.writeHead(204, {
        ...corsResponseHeaders(req),
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '0',
      }).end();
      return;
    }
    const { index, setCookie } = choose(req);
    const backend = opts.backends[index] as Backend;
    record({ type: 'route', method: req.method, path: url, backend: index, detail: forwarded });
    const headers = { ...req.headers, host: `${backend.host}:${backend.port}`, 'x-forwarded-prefix': prefix };
    const up = httpRequest({ host: backend.host, port: backend.port, method: req.method, path: forwarded, headers }, (upRes) => {
      clearTimeout(idle);
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined) out[k] = v;
      Object.assign(out, corsResponseHeaders(req));
      if (setCookie) {
        const existing = out['set-cookie'];
        const mine = `${AFFINITY_COOKIE}=${index}; Path=/`;
        out['set-cookie'] = Array.isArray(existing) ? [...existing, mine] : existing ? [existing, mine] : [mine];
      }
      res.writeHead(upRes.statusCode ?? 502, out);
      upRes.pipe(res);
    });
    // An intermediary gives up on a request the backend holds (a long poll) after its idle time.
    const idle = opts.idleCloseMs === undefined ? undefined : setTimeout(() => {
      record({ type: 'idle-close', path: url, backend: index, detail: 'request' });
      up.destroy();
      if (!res.headersSent) res.writeHead(504, { 'content-type': 'text/plain', ...corsResponseHeaders(req) }).end('Gateway Timeout');
      else res.destroy();
    }, opts.idleCloseMs);
    up.on('error', () => {
      clearTimeout(idle);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', ...corsResponseHeaders(req) }).end('Bad Gateway');
      else res.destroy();
    });
    res.on('close', () => { clearTimeout(idle); up.destroy(); });
    req.pipe(up);
  }

  function answer(socket: Duplex, status: number, body = ''): void {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Status'}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = req.url ?? '/';
    const forwarded = route(url);
    socket.on('error', () => { /* the browser may reset; nothing to report */ });
    if (forwarded === undefined) {
      record({ type: 'not-found', method: 'GET', path: url, detail: 'upgrade' });
      answer(socket, 404, 'Not Found');
      return;
    }
    if (typeof opts.upgrade === 'number') {
      record({ type: 'answered', path: url, detail: `upgrade answered ${opts.upgrade}` });
      answer(socket, opts.upgrade, opts.upgrade === 200 ? 'OK' : STATUS_CODES[opts.upgrade] ?? '');
      return;
    }
    const { index, setCookie } = choose(req);
    const backend = opts.backends[index] as Backend;
    record({ type: 'upgrade', path: url, backend: index, detail: forwarded });
    const up = netConnect(backend.port, backend.host);
    tunnels.add(up);
    const lines = [`GET ${forwarded} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const k = req.rawHeaders[i] as string;
      lines.push(`${k}: ${k.toLowerCase() === 'host' ? `${backend.host}:${backend.port}` : req.rawHeaders[i + 1]}`);
    }
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    let lastActivity = Date.now();
    const touch = () => { lastActivity = Date.now(); };
    const end = () => { clearInterval(idleTimer); up.destroy(); socket.destroy(); tunnels.delete(up); };
    const idleTimer = opts.idleCloseMs === undefined ? undefined : setInterval(() => {
      if (Date.now() - lastActivity >= (opts.idleCloseMs as number)) {
        record({ type: 'idle-close', path: url, backend: index, detail: 'tunnel' });
        end();
      }
    }, Math.max(20, Math.floor(opts.idleCloseMs / 10)));
    // Insert the affinity cookie into the backend's 101 response head, then tunnel bytes both ways.
    let headDone = !setCookie;
    let pending = Buffer.alloc(0);
    let answered = false;
    up.on('data', (chunk: Buffer) => {
      touch();
      answered = true;
      if (headDone) { socket.write(chunk); return; }
      pending = Buffer.concat([pending, chunk]);
      const at = pending.indexOf('\r\n\r\n');
      if (at < 0) return;
      headDone = true;
      const headText = pending.subarray(0, at).toString('latin1');
      socket.write(`${headText}\r\nSet-Cookie: ${AFFINITY_COOKIE}=${index}; Path=/\r\n\r\n`, 'latin1');
      socket.write(pending.subarray(at + 4));
    });
    socket.on('data', (chunk: Buffer) => { touch(); up.write(chunk); });
    up.on('error', () => {
      if (!answered) answer(socket, 502, 'Bad Gateway');
      end();
    });
    up.on('close', end);
    socket.on('close', end);
  }

  const server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }) : createHttpServer();
  if (opts.refuse) {
    // A closed port answers SYN with RST; resetting each accepted socket is the same to the client.
    server.prependListener('connection', (s: Socket) => { record({ type: 'refused' }); s.resetAndDestroy(); });
  }
  if (opts.idleCloseMs !== undefined) server.keepAliveTimeout = opts.idleCloseMs;
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  const listening = await listen(server, {
    scheme: opts.tls ? 'https' : 'http',
    port: opts.port,
    beforeClose: () => { for (const t of tunnels) t.destroy(); },
  });
  return { ...listening, name, log, reset() { turn = 0; log.clear(); } };
}
