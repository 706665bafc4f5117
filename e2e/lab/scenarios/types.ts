// A scenario is data: the story a QA tester would try, the lab it needs (emulators, balancers),
// what the page's application code does with the real client, and the rules it must and must not raise.
import type { Reply } from '../server/emulator.ts';
import type { BalancerOptions } from '../balancer/balancer.ts';

/** The rule catalogue's ids (a public contract of the core). */
export const RULE_IDS = [
  'missing-diffusion-suffix',
  'duplicated-diffusion-suffix',
  'secure-to-insecure-cascade',
  'mixed-content-blocked',
  'websocket-unavailable',
  'no-fallback-transport',
  'transports-exhausted',
  'connection-rejected',
  'retry-after-fatal-rejection',
  'session-affinity-lost',
  'cors-preflight-failed',
  'credentials-over-insecure-transport',
  'credentials-in-url',
  'idle-timeout-disconnect',
  'protocol-version-mismatch',
  'retry-storm',
  'scheme-port-mismatch',
  'path-prefix-mismatch',
  'not-diffusion-endpoint',
  'upstream-unreachable',
  'missing-path-prefix',
  'session-lost-on-failover',
  'recovered-rejection',
  'session-in-worker',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Lab host names; the browser maps *.lab.test to 127.0.0.1 so pages and servers are distinct, non-loopback origins. */
export type LabHost = 'app' | 'api';

export interface EmulatorEndpoint {
  kind: 'emulator';
  host: LabHost;
  tls?: boolean;
  replies?: Reply[];
  paths?: string[];
  cors?: boolean;
  pingPeriodMs?: number;
  reconnect?: 'resume' | 'forget';
  /** Answer polls with sequence ≥ N with `diffusion-connection: reconnect`. */
  pollReconnectFrom?: number;
  /** The server dies this long after its first session connected (stops listening, cuts every connection); a page load revives it. */
  stopAfterMs?: number;
}

/** The balancer's behaviours, as the simulator takes them. */
export interface BalancerEndpoint extends Pick<BalancerOptions, 'prefix' | 'stripPrefix' | 'upgrade' | 'refuse' | 'balance' | 'idleCloseMs' | 'cors'> {
  kind: 'balancer';
  host: LabHost;
  tls?: boolean;
  /** Names of emulator endpoints behind it. */
  backends: string[];
  /** A fixed port (443 for the scheme/port scenario); when it cannot be bound nothing listens there. */
  port?: number;
}

/**
 * A real Debian nginx or HAProxy, started by the lab with this configuration (nginx: the part inside
 * `http { }`; HAProxy: everything after `global`). Placeholders: {{listen}} its own loopback address,
 * {{<endpoint>}} an emulator's address, {{site}} the lab's page server, {{nothing}} an address where
 * nothing listens. nginx runs with its instance directory as prefix, so `root www;` is the web root
 * that `webRoot` fills.
 */
export interface ProxyEndpoint {
  kind: 'nginx' | 'haproxy';
  host: LabHost;
  config: string;
  /** nginx: write the scenario page as www/index.html, with the lab's scripts in www/lab/ (a static single-page app). */
  webRoot?: boolean;
}

export type Endpoint = EmulatorEndpoint | BalancerEndpoint | ProxyEndpoint;

/** One `diffusion.connect()` the page's application code makes, and what the application does around it. */
export interface AppStep {
  /** What this part of the application is, e.g. "price feed". */
  label: string;
  /** The endpoint the options point at (host, port and `secure` come from it). */
  target: string;
  /** Other `diffusion.connect` options: path, transports, principal, credentials, retry, … */
  options?: Record<string, unknown>;
  /** Override the port the application configures (e.g. 443). */
  port?: number;
  /** Reconnect strategy: wait this long before each reconnect attempt (the client's default is 5 s). */
  reconnectDelayMs?: number;
  /** The application's own retry after a failed connect. */
  onFailure?: { retries: number; delayMs: number; target?: string; options?: Record<string, unknown> };
  /** How long the application keeps a connected session before closing it. */
  holdMs?: number;
  /** Start together with the previous step instead of after it. */
  parallel?: boolean;
  /** Run the session in a SharedWorker of this name: `diffusion.connect(options, name, 'diffusion-worker.js')`. */
  worker?: string;
  /** What the real client does in this lab (checked by the scenario tests). */
  outcome: { result: 'connected' | 'failed'; closeReasonId?: number; reconnects?: boolean; closedBy?: 'server' };
}

export interface Scenario {
  id: string;
  title: string;
  /** What a QA tester would try, in their words. */
  story: string;
  /** Where the page comes from: served by one of the endpoints (same origin) or by a plain site server on `app`. */
  page: { servedBy?: string; secure?: boolean; /** The page lives under this path prefix of its server, e.g. /eu. */ prefix?: string };
  endpoints: Record<string, Endpoint>;
  steps: AppStep[];
  /** The page also opens a WebSocket and XHRs that have nothing to do with Diffusion. */
  unrelatedTraffic?: boolean;
  /** Upper bound for the whole page, in ms. */
  boundMs: number;
  /** `verdict`: the root cause's rule id for the scenario's main connection, null when healthy. */
  expect: { raise: RuleId[]; notRaise: RuleId[]; verdict: RuleId | null };
  /** What Chromium was measured to do here, when it matters for reading a capture. */
  observed?: string;
  /** What a real proxy's own log must show (a regular expression per proxy endpoint), checked by the scenario tests. */
  proxyLog?: Record<string, string>;
}
