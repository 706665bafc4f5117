// Sessions recorded through a real intercepting proxy (Debian's mitmdump): the real `diffusion`
// client in Node (6.12.1 through its httpProxyAgent option; 5.9.24, which has no such option, behind
// mitmdump in reverse mode) and in Chromium (its proxy switch), and the native clients' handshake
// shapes sent by the lab's raw client (built from documentation: no native client can run here).
// Each is captured twice at once: mitmproxy ≤ 8's stock HAR (no WebSocket messages) and mitmproxy 10's.
import type { Agent } from 'node:http';
import type { ClientFamily, Outcome } from '../../src/core/model.ts';
import type { EmulatorOptions } from '../lab/server/emulator.ts';
import { handshakeOf, rawHandshake, type RawResult } from '../lab/clients/raw-client.ts';
import { connectOnce, type Outcome as ClientOutcome } from '../lab/clients/node-client.ts';
import { LAB_PASSWORD } from '../lab/scenarios/catalogue.ts';

export const CAPTURES = ['mitmproxy8', 'mitmproxy10'] as const;
export type CaptureKind = (typeof CAPTURES)[number];

/** What `dci analyze` must say about one capture of a scenario. */
export interface CaptureExpectation {
  /** Outcome of each connection, in order; [] when the capture holds none. */
  outcomes: Outcome[];
  raise: string[];
  notRaise: string[];
  /** The root cause of the main connection (a rule id), or null for a healthy one. */
  verdict: string | null;
  /** The capture says once that it keeps no WebSocket messages. */
  framesNote: boolean;
  /** The proxy's own connection error is marked as such on an attempt. */
  proxyError?: boolean;
}

export interface ProxyScenario {
  id: string;
  title: string;
  story: string;
  client: ClientFamily;
  /** 'recorded': the real client made this traffic; 'documentation': the raw client built it from public facts. */
  built: 'recorded' | 'documentation';
  /** What made the traffic, and where its shape comes from. */
  source: string;
  /** mitmdump in front of the emulator as a reverse proxy, instead of a forward proxy the client is told about. */
  reverse?: boolean;
  /** The emulator's script; `dead` makes the client aim at a port where nothing listens. */
  emulator: EmulatorOptions & { dead?: boolean };
  /** Chromium loads the emulator's page through the proxy. */
  browser?: boolean;
  run?(ctx: RunContext): Promise<string>;
  expect: Record<CaptureKind, CaptureExpectation>;
}

export interface RunContext {
  /** Host and port the client aims at (the emulator, a dead port, or mitmdump in reverse mode). */
  host: string;
  port: number;
  /** The forward proxy agent (undefined in reverse mode). */
  agent?: Agent;
}

const CREDS = { principal: 'qa-user', password: LAB_PASSWORD };

function clientResult(o: ClientOutcome): string {
  if (o.kind === 'connected') {
    o.session.close();
    return 'connected';
  }
  return o.kind === 'failed' ? `failed: ${o.id ?? '-'} ${o.message}` : 'pending';
}

function rawResult(r: RawResult): string {
  if (r.response) return `answered ${r.response[2]}`;
  return `status ${r.status ?? '-'}${r.error ? `, ${r.error}` : ''}`;
}

const nodeRun = (version: '6.12.1' | '5.9.24', extra: Record<string, unknown> = {}) => async (ctx: RunContext) => {
  const options: Record<string, unknown> = { host: ctx.host, port: ctx.port, secure: false, reconnect: false, ...extra };
  if (ctx.agent) options['httpProxyAgent'] = ctx.agent;
  return clientResult(await connectOnce(version, options, 5000));
};

const rawRun = (kind: Parameters<typeof handshakeOf>[0], path = '/diffusion', creds?: typeof CREDS) => async (ctx: RunContext) =>
  rawResult(await rawHandshake(`ws://${ctx.host}:${ctx.port}${path}`, handshakeOf(kind, creds), { agent: ctx.agent }));

const ALL_QUIET = ['connection-rejected', 'websocket-unavailable', 'transports-exhausted', 'no-fallback-transport', 'missing-diffusion-suffix', 'credentials-in-url'];

export const proxyScenarios: readonly ProxyScenario[] = [
  {
    id: 'node-612-connected',
    title: 'Node 6.12.1 connects through the proxy',
    story: 'A Node service with httpProxyAgent pointing at mitmdump connects over WebSocket.',
    client: 'node', built: 'recorded', source: 'diffusion 6.12.1 in Node, httpProxyAgent: https-proxy-agent',
    emulator: {},
    run: nodeRun('6.12.1'),
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['connected'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: false },
    },
  },
  {
    id: 'node-612-rejected-authentication',
    title: 'Node 6.12.1 rejected with 116',
    story: 'The service logs in with a wrong password; the server answers 116 AUTHENTICATION_FAILED.',
    client: 'node', built: 'recorded', source: 'diffusion 6.12.1 in Node, httpProxyAgent: https-proxy-agent',
    emulator: { replies: [{ kind: 'code', code: 116 }] },
    run: nodeRun('6.12.1', { principal: CREDS.principal, credentials: CREDS.password }),
    expect: {
      // The stock export cannot show the 116: it must say so rather than read as harmless.
      mitmproxy8: { outcomes: ['unknown'], raise: ['credentials-in-url'], notRaise: ['connection-rejected', 'no-fallback-transport'], verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['rejected'], raise: ['connection-rejected', 'credentials-in-url'], notRaise: ['no-fallback-transport', 'websocket-unavailable'], verdict: 'connection-rejected', framesNote: false },
    },
  },
  {
    id: 'node-612-upstream-unreachable',
    title: 'The proxy cannot reach the server',
    story: 'The service aims at a port where no Diffusion server listens; mitmdump records its own connection error.',
    client: 'node', built: 'recorded', source: 'diffusion 6.12.1 in Node, httpProxyAgent: https-proxy-agent',
    emulator: { dead: true },
    run: nodeRun('6.12.1'),
    expect: {
      // The stock export writes only flows that got a response: nothing at all.
      mitmproxy8: { outcomes: [], raise: [], notRaise: [], verdict: null, framesNote: false },
      mitmproxy10: { outcomes: ['exhausted'], raise: ['websocket-unavailable', 'transports-exhausted'], notRaise: ['no-fallback-transport'], verdict: 'upstream-unreachable', framesNote: false, proxyError: true },
    },
  },
  {
    id: 'node-5924-reverse-connected',
    title: 'Node 5.9.24 through mitmdump as a reverse proxy',
    story: 'A 5.9 service (no httpProxyAgent option) connects to mitmdump, which forwards to the server.',
    client: 'node', built: 'recorded', source: 'diffusion 5.9.24 in Node, mitmdump --mode reverse',
    reverse: true,
    emulator: {},
    run: nodeRun('5.9.24'),
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['connected'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: false },
    },
  },
  {
    id: 'chromium-612-connected',
    title: 'Chromium through the proxy',
    story: 'A page with the 6.12.1 browser client, Chromium started with --proxy-server pointing at mitmdump.',
    client: 'browser', built: 'recorded', source: 'diffusion 6.12.1 dist/diffusion.js in Chromium, --proxy-server',
    emulator: {}, browser: true,
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['connected'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: false },
    },
  },
  {
    id: 'chromium-612-websocket-refused-xhr',
    title: 'Chromium: WebSocket answered 200, XHR fallback through the proxy',
    story: 'The upgrade is answered 200 (as by a proxy that strips it); the browser client falls back to XHR long polling.',
    client: 'browser', built: 'recorded', source: 'diffusion 6.12.1 dist/diffusion.js in Chromium, --proxy-server',
    emulator: { replies: [{ kind: 'http', status: 200 }, { kind: 'ok' }], pollHoldMs: 500 }, browser: true,
    expect: {
      mitmproxy8: { outcomes: ['connected'], raise: ['websocket-unavailable'], notRaise: ['no-fallback-transport', 'transports-exhausted'], verdict: 'websocket-unavailable', framesNote: false },
      // mitmproxy 10 also records the poll the page's close() aborted ("Client disconnected"): a clean close.
      mitmproxy10: { outcomes: ['closed'], raise: ['websocket-unavailable'], notRaise: ['no-fallback-transport', 'transports-exhausted'], verdict: 'websocket-unavailable', framesNote: false },
    },
  },
  {
    id: 'java-62-headers-connected',
    title: 'Java 6.2: parameters in the request headers',
    story: 'A Java application connects; its upgrade is a bare GET /diffusion with the parameters as headers.',
    client: 'java', built: 'documentation', source: handshakeOf('java-6.2').source,
    emulator: {},
    run: rawRun('java-6.2'),
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['connected'], raise: [], notRaise: ALL_QUIET, verdict: null, framesNote: false },
    },
  },
  {
    id: 'java-61-query-rejected-authentication',
    title: 'Java 6.1: parameters in the query, rejected with 116',
    story: 'A Java 6.1 application logs in with a wrong password; its credentials travel in the URL.',
    client: 'java', built: 'documentation', source: handshakeOf('java-6.1').source,
    emulator: { replies: [{ kind: 'code', code: 116 }] },
    run: rawRun('java-6.1', '/diffusion', CREDS),
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: ['credentials-in-url'], notRaise: ['connection-rejected'], verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['rejected'], raise: ['connection-rejected', 'credentials-in-url'], notRaise: ['websocket-unavailable'], verdict: 'connection-rejected', framesNote: false },
    },
  },
  {
    id: 'apple-headers-rejected-authentication',
    title: 'Apple: headers, rejected with 116',
    story: 'An iOS application logs in with a wrong password; its credentials travel as request headers.',
    client: 'apple', built: 'documentation', source: handshakeOf('apple').source,
    emulator: { replies: [{ kind: 'code', code: 116 }] },
    run: rawRun('apple', '/diffusion', CREDS),
    expect: {
      mitmproxy8: { outcomes: ['unknown'], raise: [], notRaise: ['connection-rejected', 'credentials-in-url'], verdict: null, framesNote: true },
      mitmproxy10: { outcomes: ['rejected'], raise: ['connection-rejected'], notRaise: ['credentials-in-url', 'no-fallback-transport'], verdict: 'connection-rejected', framesNote: false },
    },
  },
  {
    id: 'android-headers-upstream-unreachable',
    title: 'Android: the proxy cannot reach the server',
    story: 'An Android application aims at a server that is down; the proxy records its own connection error.',
    client: 'android', built: 'documentation', source: handshakeOf('android').source,
    emulator: { dead: true },
    run: rawRun('android'),
    expect: {
      mitmproxy8: { outcomes: [], raise: [], notRaise: [], verdict: null, framesNote: false },
      mitmproxy10: { outcomes: ['exhausted'], raise: ['websocket-unavailable', 'no-fallback-transport'], notRaise: ['connection-rejected'], verdict: 'upstream-unreachable', framesNote: false, proxyError: true },
    },
  },
  {
    id: 'python-prefix-dropped',
    title: "Python: urljoin dropped the load balancer's prefix",
    story: "The Python client was given ws://lb/eu (no trailing slash): urljoin(url, 'diffusion') asks for /diffusion, which the balancer does not serve.",
    client: 'python', built: 'documentation', source: handshakeOf('python').source,
    emulator: { paths: ['/eu/diffusion'] },
    run: rawRun('python', '/diffusion'),
    expect: {
      mitmproxy8: { outcomes: ['exhausted'], raise: ['websocket-unavailable'], notRaise: ['no-fallback-transport'], verdict: 'websocket-unavailable', framesNote: false },
      mitmproxy10: { outcomes: ['exhausted'], raise: ['websocket-unavailable'], notRaise: ['no-fallback-transport'], verdict: 'websocket-unavailable', framesNote: false },
    },
  },
];
