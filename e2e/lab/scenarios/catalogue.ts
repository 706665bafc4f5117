// The built-in situations: healthy ones, and at least one per rule of the catalogue.
// `raise` holds the rules the situation is about; `notRaise` the rules that would be false alarms;
// `verdict` the root cause of the scenario's main connection (the first verdict), null when healthy.
// Rules that follow from the situation only as a consequence (e.g. websocket-unavailable when every
// transport failed) are in neither list, so the core is free to report or fold them.
import { RULE_IDS, type RuleId, type Scenario } from './types.ts';

/** Every rule except the given ones. */
const allExcept = (...ids: RuleId[]): RuleId[] => RULE_IDS.filter((r) => !ids.includes(r));

const PRINCIPAL = 'qa-user';
/** A known fake password so redaction tests can look for it (and its credential-tunnel encoding). */
export const LAB_PASSWORD = 'lab-secret-pw';

/** nginx: the usual map for WebSocket proxying (Connection: upgrade only when the client asked for one). */
const NGINX_UPGRADE_MAP = `map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}`;
/** nginx: what a location needs to pass WebSocket upgrades. */
const NGINX_WEBSOCKET = `        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;`;
/** HAProxy: defaults of an HTTP load balancer that logs every request, with the given timeouts. */
const haproxyDefaults = (timeouts: string) => `defaults
    mode http
    log global
    option httplog
    timeout connect 2s
${timeouts}`;

export const scenarios: Scenario[] = [
  // ── healthy ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'healthy-websocket',
    title: 'Healthy: WebSocket on the same origin',
    story: 'Open the trading page; prices connect straight away over WebSocket.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'price feed', target: 'server', holdMs: 1500, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'healthy-xhr-only',
    title: 'Healthy: XHR long polling only',
    story: 'The app is configured for HTTP polling only (transports: XHR); it connects and polls.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'price feed', target: 'server', options: { transports: ['XHR'] }, holdMs: 2000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'healthy-behind-prefix',
    title: 'Healthy: behind a load balancer path prefix',
    story: 'Production routes /lb/* to the Diffusion servers; the app sets path "/lb" and connects.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], prefix: '/lb', stripPrefix: true },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { path: '/lb' }, holdMs: 1500, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'healthy-reconnect-after-drop',
    title: 'Healthy: reconnect after a network drop',
    story: 'Pull the network for a moment after connecting; the client reconnects with its token and the server resumes the session (105).',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'ok', dropAfterMs: 1000 }] } },
    steps: [{ label: 'price feed', target: 'server', reconnectDelayMs: 300, holdMs: 2500, outcome: { result: 'connected', reconnects: true } }],
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'healthy-unrelated-traffic',
    title: 'Healthy: Diffusion beside unrelated WebSockets and XHRs',
    story: 'A page with a chat WebSocket and REST calls next to the Diffusion client; only Diffusion traffic is analysed.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'price feed', target: 'server', holdMs: 1500, outcome: { result: 'connected' } }],
    unrelatedTraffic: true,
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'healthy-cross-origin-xhr',
    title: 'Healthy: cross-origin XHR with CORS configured',
    story: 'The page on app.lab.test polls api.lab.test; the server answers the preflight and exposes diffusion-connection.',
    page: {},
    endpoints: { server: { kind: 'emulator', host: 'api', cors: true } },
    steps: [{ label: 'price feed', target: 'server', options: { transports: ['XHR'] }, holdMs: 1500, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },

  // ── paths ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'missing-diffusion-suffix',
    title: 'Path without /diffusion (routing query in the path)',
    story: 'The app was told "the gateway routes by ?route=", so it sets path "/gateway?route=/diffusion"; the client keeps it as is and nothing connects.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], prefix: '/rt', stripPrefix: true },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { path: '/gateway?route=/diffusion' }, outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['missing-diffusion-suffix'],
      verdict: 'missing-diffusion-suffix',
      notRaise: ['duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'cors-preflight-failed'],
    },
  },
  {
    id: 'duplicated-diffusion-suffix',
    title: 'Path ending in "/diffusion/" becomes /diffusion/diffusion',
    story: 'The app sets path "/lb/diffusion/" (trailing slash); the client appends /diffusion again and the server answers 404.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], prefix: '/lb', stripPrefix: true },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { path: '/lb/diffusion/' }, outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['duplicated-diffusion-suffix'],
      verdict: 'duplicated-diffusion-suffix',
      notRaise: ['missing-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'cors-preflight-failed', 'path-prefix-mismatch'],
    },
  },
  {
    id: 'path-prefix-mismatch',
    title: 'Two parts of one page use different path prefixes',
    story: 'The price feed uses path "/lb" and works; the chat widget was written against a dev server and uses the default /diffusion, which the load balancer does not route.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], prefix: '/lb', stripPrefix: true },
    },
    steps: [
      { label: 'price feed', target: 'lb', options: { path: '/lb' }, holdMs: 2000, outcome: { result: 'connected' } },
      { label: 'chat widget', target: 'lb', parallel: true, outcome: { result: 'failed', closeReasonId: 7 } },
    ],
    boundMs: 8000,
    expect: {
      raise: ['path-prefix-mismatch'],
      verdict: 'path-prefix-mismatch',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'cors-preflight-failed'],
    },
  },

  // ── transports ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'websocket-stripped-upgrade',
    title: 'Proxy strips Upgrade (plain 200): falls back to XHR',
    story: 'Behind the corporate proxy the WebSocket upgrade comes back as a plain 200; the client falls back to long polling and works, slowly.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], upgrade: 200 },
    },
    steps: [{ label: 'price feed', target: 'lb', holdMs: 1500, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['websocket-unavailable'],
      verdict: 'websocket-unavailable',
      notRaise: allExcept('websocket-unavailable'),
    },
  },
  {
    id: 'websocket-upgrade-426',
    title: 'Load balancer answers the upgrade 426: falls back to XHR',
    story: 'A load balancer without WebSocket support answers 426 Upgrade Required; the client connects over XHR instead.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], upgrade: 426 },
    },
    steps: [{ label: 'price feed', target: 'lb', holdMs: 1500, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['websocket-unavailable'],
      verdict: 'websocket-unavailable',
      notRaise: allExcept('websocket-unavailable'),
    },
  },
  {
    id: 'no-fallback-transport',
    title: 'WebSocket only, and the upgrade fails (502)',
    story: 'The app pins transports to ["WS"]; the gateway answers the upgrade 502 and there is nothing to fall back to.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], upgrade: 502 },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { transports: ['WS'] }, outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['no-fallback-transport'],
      verdict: 'no-fallback-transport',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'cors-preflight-failed', 'path-prefix-mismatch'],
    },
  },
  {
    id: 'transports-exhausted',
    title: 'Every transport refused',
    story: 'The Diffusion host is down behind the load balancer (connections refused); WebSocket and XHR both fail.',
    page: {},
    endpoints: { lb: { kind: 'balancer', host: 'api', backends: [], refuse: true } },
    steps: [{ label: 'price feed', target: 'lb', outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['transports-exhausted'],
      verdict: 'transports-exhausted',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'no-fallback-transport'],
    },
  },
  {
    id: 'upstream-unreachable',
    title: 'Load balancer without a healthy server: 503 to both transports',
    story: 'Every Diffusion server behind the load balancer is down; it answers the WebSocket upgrade and the XHR handshake with 503 itself, and nothing connects.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api', replies: [{ kind: 'http', status: 503 }] },
      lb: { kind: 'balancer', host: 'app', backends: ['server'] },
    },
    steps: [{ label: 'price feed', target: 'lb', outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['upstream-unreachable'],
      verdict: 'upstream-unreachable',
      notRaise: allExcept('upstream-unreachable', 'websocket-unavailable', 'transports-exhausted'),
    },
  },
  {
    id: 'cors-preflight-failed',
    title: 'Cross-origin XHR fallback blocked by a failed preflight',
    story: 'The page on app.lab.test talks to api.lab.test; the upgrade is refused (400) and the XHR fallback dies on a CORS preflight the gateway rejects.',
    page: {},
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'api', backends: ['server'], upgrade: 400, cors: 'block' },
    },
    steps: [{ label: 'price feed', target: 'lb', outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['cors-preflight-failed'],
      verdict: 'cors-preflight-failed',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'no-fallback-transport'],
    },
  },

  // ── security ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'secure-to-insecure-cascade',
    title: 'App retries insecurely after wss fails',
    story: 'wss:// to api.lab.test fails; the app\'s error handler "helpfully" retries with secure: false and connects over plain ws://.',
    page: {},
    endpoints: {
      secure: { kind: 'balancer', host: 'api', tls: true, backends: [], refuse: true },
      plain: { kind: 'emulator', host: 'api' },
    },
    steps: [{
      label: 'price feed', target: 'secure', holdMs: 1000,
      onFailure: { retries: 1, delayMs: 300, target: 'plain', options: { secure: false } },
      outcome: { result: 'connected' },
    }],
    boundMs: 8000,
    expect: {
      raise: ['secure-to-insecure-cascade'],
      verdict: 'secure-to-insecure-cascade',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed'],
    },
  },
  {
    id: 'mixed-content-blocked',
    title: 'ws:// and http:// from an https page',
    story: 'The page moved to https but the Diffusion options still say secure: false; the browser blocks both transports as mixed content.',
    page: { secure: true },
    endpoints: { server: { kind: 'emulator', host: 'api', cors: true } },
    steps: [{ label: 'price feed', target: 'server', options: { secure: false }, outcome: { result: 'failed', closeReasonId: 7 } }],
    observed: 'Chromium 156: new WebSocket("ws://…") throws SecurityError at construction, so the WS attempt has no network entry (only a console "Mixed Content" error); the XHR fallback to http:// is blocked and appears in the HAR with status 0 and no response. The client reports 7.',
    boundMs: 8000,
    expect: {
      raise: ['mixed-content-blocked'],
      verdict: 'mixed-content-blocked',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed'],
    },
  },
  {
    id: 'credentials-over-websocket',
    title: 'Principal and password in a ws:// URL',
    story: 'Log in as qa-user on the http test site: the password travels in the WebSocket URL, unencrypted.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'login', target: 'server', options: { principal: PRINCIPAL, credentials: LAB_PASSWORD }, holdMs: 1000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['credentials-over-insecure-transport', 'credentials-in-url'],
      verdict: 'credentials-over-insecure-transport',
      notRaise: allExcept('credentials-over-insecure-transport', 'credentials-in-url'),
    },
  },
  {
    id: 'credentials-over-http-polling',
    title: 'Principal and password in http:// polling headers',
    story: 'Log in as qa-user with HTTP polling on the http test site: the password goes in a request header, unencrypted.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'login', target: 'server', options: { principal: PRINCIPAL, credentials: LAB_PASSWORD, transports: ['XHR'] }, holdMs: 1000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['credentials-over-insecure-transport'],
      verdict: 'credentials-over-insecure-transport',
      notRaise: allExcept('credentials-over-insecure-transport'),
    },
  },
  {
    id: 'credentials-in-url-over-wss',
    title: 'Password in the wss:// URL',
    story: 'Log in as qa-user on the https site: encrypted on the wire, but the password is in the URL, where proxies and logs keep it.',
    page: { servedBy: 'server', secure: true },
    endpoints: { server: { kind: 'emulator', host: 'app', tls: true } },
    steps: [{ label: 'login', target: 'server', options: { principal: PRINCIPAL, credentials: LAB_PASSWORD }, holdMs: 1000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['credentials-in-url'],
      verdict: 'credentials-in-url',
      notRaise: allExcept('credentials-in-url'),
    },
  },
  {
    id: 'scheme-port-mismatch',
    title: 'Plain ws:// to port 443',
    story: 'The config says port 443 with secure: false (copied from the dev settings); plain WebSocket and HTTP go to the TLS port and fail.',
    page: {},
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'api', tls: true, backends: ['server'], port: 443, cors: 'answer' },
    },
    steps: [{ label: 'price feed', target: 'lb', port: 443, options: { secure: false }, outcome: { result: 'failed' } }],
    boundMs: 8000,
    expect: {
      raise: ['scheme-port-mismatch'],
      verdict: 'scheme-port-mismatch',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'retry-storm', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'path-prefix-mismatch'],
    },
  },

  // ── server answers ─────────────────────────────────────────────────────────────────────────
  {
    id: 'connection-rejected-authentication',
    title: 'Server rejects the connection: 116 AUTHENTICATION_FAILED',
    story: 'Anonymous connections are switched off on the test server; the app connects without credentials and is rejected (close reason 99).',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 116 }] } },
    steps: [{ label: 'price feed', target: 'server', outcome: { result: 'failed', closeReasonId: 99 } }],
    boundMs: 8000,
    expect: {
      raise: ['connection-rejected'],
      verdict: 'connection-rejected',
      notRaise: allExcept('connection-rejected'),
    },
  },
  {
    id: 'connection-rejected-licence',
    title: 'Server rejects the connection: 113 LICENSE_EXCEEDED',
    story: 'The test server\'s licence allows fewer sessions than the load test opens; this one is rejected (close reason 18).',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 113 }] } },
    steps: [{ label: 'price feed', target: 'server', outcome: { result: 'failed', closeReasonId: 18 } }],
    boundMs: 8000,
    expect: {
      raise: ['connection-rejected'],
      verdict: 'connection-rejected',
      notRaise: allExcept('connection-rejected'),
    },
  },
  {
    id: 'recovered-rejection',
    title: 'Server still starting (119), the app retries and connects',
    story: 'The page opens while the Diffusion server is still starting: the first connect is rejected with 119 REJECTED_SERVER_INITIALISING; the app retries a second later and connects.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 119 }, { kind: 'ok' }] } },
    steps: [{ label: 'price feed', target: 'server', options: { transports: ['XHR'] }, onFailure: { retries: 1, delayMs: 1000 }, holdMs: 1000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: {
      raise: ['recovered-rejection'],
      verdict: 'recovered-rejection',
      notRaise: allExcept('recovered-rejection'),
    },
  },
  {
    id: 'retry-after-fatal-rejection',
    title: 'App retries after 116 AUTHENTICATION_FAILED',
    story: 'Authentication fails; the app\'s error handler retries twice more a second apart, with the same settings, and is rejected each time.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 116 }] } },
    steps: [{ label: 'price feed', target: 'server', onFailure: { retries: 2, delayMs: 1000 }, outcome: { result: 'failed', closeReasonId: 99 } }],
    boundMs: 8000,
    expect: {
      raise: ['connection-rejected', 'retry-after-fatal-rejection'],
      verdict: 'connection-rejected',
      notRaise: allExcept('connection-rejected', 'retry-after-fatal-rejection', 'retry-storm'),
    },
  },
  {
    id: 'protocol-version-downgrade',
    title: 'Server answers 102 DOWNGRADE',
    story: 'The client library was upgraded but the server was not; the server answers DOWNGRADE (close reason 17).',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 102 }] } },
    steps: [{ label: 'price feed', target: 'server', outcome: { result: 'failed', closeReasonId: 17 } }],
    boundMs: 8000,
    expect: {
      raise: ['protocol-version-mismatch'],
      verdict: 'protocol-version-mismatch',
      notRaise: allExcept('protocol-version-mismatch', 'connection-rejected'),
    },
  },
  {
    id: 'protocol-version-byte-mismatch',
    title: 'Server speaks another protocol version',
    story: 'An older server answers with protocol version 28 to the 6.12 client (v=29); the client cascades to XHR, gets the same, and gives up (close reason 17).',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'ok', version: 28 }] } },
    steps: [{ label: 'price feed', target: 'server', outcome: { result: 'failed', closeReasonId: 17 } }],
    boundMs: 8000,
    expect: {
      raise: ['protocol-version-mismatch'],
      verdict: 'protocol-version-mismatch',
      notRaise: allExcept('protocol-version-mismatch', 'connection-rejected', 'transports-exhausted', 'websocket-unavailable'),
    },
  },

  // ── intermediaries over time ───────────────────────────────────────────────────────────────
  {
    id: 'session-affinity-lost',
    title: 'Round-robin load balancer without session affinity (XHR)',
    story: 'Three Diffusion servers behind a round-robin load balancer with no sticky sessions: the first poll lands on a server that does not know the session and asks the client to reconnect; the reconnect lands on a third server, which answers UNKNOWN_SESSION (117), and the session is closed.',
    page: { servedBy: 'lb' },
    endpoints: {
      a: { kind: 'emulator', host: 'api' },
      b: { kind: 'emulator', host: 'api' },
      c: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['a', 'b', 'c'], balance: 'round-robin' },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { transports: ['XHR'] }, reconnectDelayMs: 200, holdMs: 3000, outcome: { result: 'connected', closedBy: 'server', closeReasonId: 4 } }],
    boundMs: 8000,
    expect: {
      raise: ['session-affinity-lost'],
      verdict: 'session-affinity-lost',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'idle-timeout-disconnect', 'secure-to-insecure-cascade', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed', 'no-fallback-transport', 'websocket-unavailable'],
    },
  },
  {
    id: 'idle-timeout-disconnect',
    title: 'Load balancer closes idle WebSockets after 1.5 s',
    story: 'Leave the page open with no prices flowing: the load balancer cuts the idle WebSocket every 1.5 s, well inside the one-hour ping period, and the client keeps reconnecting.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: { kind: 'balancer', host: 'app', backends: ['server'], idleCloseMs: 1500 },
    },
    steps: [{ label: 'price feed', target: 'lb', reconnectDelayMs: 200, holdMs: 5200, outcome: { result: 'connected', reconnects: true } }],
    boundMs: 9000,
    expect: {
      raise: ['idle-timeout-disconnect'],
      verdict: 'idle-timeout-disconnect',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed', 'no-fallback-transport', 'transports-exhausted', 'websocket-unavailable'],
    },
  },
  {
    id: 'retry-storm',
    title: 'App retries in a tight loop',
    story: 'The server is down; the app\'s error handler reconnects 50 ms after every failure, twelve times in under two seconds.',
    page: {},
    endpoints: { lb: { kind: 'balancer', host: 'api', backends: [], refuse: true } },
    steps: [{ label: 'price feed', target: 'lb', options: { transports: ['WS'] }, onFailure: { retries: 12, delayMs: 50 }, outcome: { result: 'failed', closeReasonId: 7 } }],
    boundMs: 8000,
    expect: {
      raise: ['retry-storm'],
      verdict: 'retry-storm',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'session-affinity-lost', 'idle-timeout-disconnect', 'secure-to-insecure-cascade', 'retry-after-fatal-rejection', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed'],
    },
  },

  // ── real nginx and HAProxy (Debian's, started by the lab with the configuration on the page) ──
  {
    id: 'nginx-upgrade-headers-missing',
    title: 'nginx without the Upgrade and Connection headers: falls back to XHR',
    story: 'The site\'s nginx proxies everything to Diffusion with a bare proxy_pass: the WebSocket handshake reaches the server as a plain GET without Upgrade, fails, and the client falls back to long polling.',
    page: { servedBy: 'edge' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      edge: {
        kind: 'nginx', host: 'app',
        config: `upstream diffusion {
    server {{server}};
}

server {
    listen {{listen}};

    # Pages and Diffusion through one location. Missing for WebSockets:
    # proxy_http_version 1.1 and the Upgrade and Connection headers.
    location / {
        proxy_pass http://diffusion;
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'edge', holdMs: 1000, outcome: { result: 'connected' } }],
    proxyLog: { edge: '"GET /diffusion\\?ty=WB[^"]*" 400 ' },
    observed: 'nginx 1.22 forwards the handshake as an HTTP/1.0 GET with Connection: close and no Upgrade; the lab\'s server answers it 400, which nginx relays (with its own Server header). The XHR fallback through the same location works.',
    boundMs: 8000,
    expect: { raise: ['websocket-unavailable'], notRaise: allExcept('websocket-unavailable'), verdict: 'websocket-unavailable' },
  },
  {
    id: 'nginx-prefix-client-without-path',
    title: 'nginx routes /eu/ to Diffusion; the client asks for /diffusion',
    story: 'The page lives under /eu/ and nginx sends /eu/* to Diffusion with the prefix removed; the app was not given path "/eu", so both transports ask nginx for /diffusion and get its 404 page.',
    page: { servedBy: 'edge', prefix: '/eu' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      edge: {
        kind: 'nginx', host: 'app',
        config: `${NGINX_UPGRADE_MAP}

upstream diffusion {
    server {{server}};
}

server {
    listen {{listen}};

    # /eu/... goes to Diffusion as /... (the trailing / of proxy_pass removes the prefix).
    # Clients must connect with path: '/eu'.
    location /eu/ {
        proxy_pass http://diffusion/;
${NGINX_WEBSOCKET}
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'edge', outcome: { result: 'failed', closeReasonId: 7 } }],
    proxyLog: { edge: '"GET /diffusion\\?ty=WB[^"]*" 404 [\\s\\S]*"POST /diffusion HTTP/1\\.1" 404 ' },
    boundMs: 8000,
    expect: { raise: ['missing-path-prefix'], notRaise: allExcept('missing-path-prefix', 'websocket-unavailable', 'transports-exhausted'), verdict: 'missing-path-prefix' },
  },
  {
    id: 'nginx-read-timeout-websocket',
    title: 'nginx proxy_read_timeout 1s cuts the idle WebSocket',
    story: 'WebSockets pass through nginx, but proxy_read_timeout is 1 s, far below the ping period: every quiet WebSocket is cut at 1 s and the client reconnects again and again.',
    page: { servedBy: 'edge' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      edge: {
        kind: 'nginx', host: 'app',
        config: `${NGINX_UPGRADE_MAP}

upstream diffusion {
    server {{server}};
}

server {
    listen {{listen}};

    location / {
        proxy_pass http://diffusion;
${NGINX_WEBSOCKET}
        # Shorter than the Diffusion ping period: idle connections are cut.
        proxy_read_timeout 1s;
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'edge', reconnectDelayMs: 200, holdMs: 4000, outcome: { result: 'connected', reconnects: true } }],
    proxyLog: { edge: 'upstream timed out \\(110: Connection timed out\\) while proxying upgraded connection' },
    observed: 'nginx closes both sides at 1.0 s without a close frame (the browser sees 1006) and logs it only at [info]: "upstream timed out (110: Connection timed out) while proxying upgraded connection". The reconnect is answered 105.',
    boundMs: 8000,
    expect: { raise: ['idle-timeout-disconnect'], notRaise: allExcept('idle-timeout-disconnect'), verdict: 'idle-timeout-disconnect' },
  },
  {
    id: 'nginx-read-timeout-long-poll',
    title: 'nginx proxy_read_timeout 1s answers the long poll 504',
    story: 'The app polls over XHR through nginx with proxy_read_timeout 1 s: the server holds each poll longer, nginx gives up and answers 504 Gateway Time-out, and the client reconnects every second.',
    page: { servedBy: 'edge' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      edge: {
        kind: 'nginx', host: 'app',
        config: `upstream diffusion {
    server {{server}};
}

server {
    listen {{listen}};

    location / {
        proxy_pass http://diffusion;
        # Shorter than a held long poll: nginx answers 504 instead.
        proxy_read_timeout 1s;
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'edge', options: { transports: ['XHR'] }, reconnectDelayMs: 200, holdMs: 4000, outcome: { result: 'connected', reconnects: true } }],
    proxyLog: { edge: '"POST /diffusion HTTP/1\\.1" 504 ' },
    observed: 'nginx answers the held poll "504 Gateway Time-out" (its HTML page) at 1.0 s and logs an [error] line; the client takes the failed poll as a lost connection and reconnects (105).',
    boundMs: 8000,
    expect: { raise: ['idle-timeout-disconnect'], notRaise: allExcept('idle-timeout-disconnect'), verdict: 'idle-timeout-disconnect' },
  },
  {
    id: 'haproxy-round-robin-no-affinity',
    title: 'HAProxy round-robin over two servers, no stickiness (XHR)',
    story: 'Two Diffusion servers behind HAProxy balance roundrobin with no cookie: the requests of one XHR session alternate between the servers, and every poll that reaches the server that does not know the session sends the client back to reconnect.',
    page: { servedBy: 'lb' },
    endpoints: {
      a: { kind: 'emulator', host: 'api' },
      b: { kind: 'emulator', host: 'api' },
      lb: {
        kind: 'haproxy', host: 'app',
        config: `${haproxyDefaults('    timeout client 30s\n    timeout server 30s\n    timeout tunnel 1h')}

frontend www
    bind {{listen}}
    default_backend diffusion

backend diffusion
    # Every request to the next server, even on one keep-alive connection.
    balance roundrobin
    server a {{a}}
    server b {{b}}`,
      },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { transports: ['XHR'] }, reconnectDelayMs: 200, holdMs: 2200, outcome: { result: 'connected', reconnects: true } }],
    proxyLog: { lb: 'diffusion/([ab]) .* 200 .*"POST /diffusion HTTP/1\\.1"[\\s\\S]*diffusion/(?!\\1)[ab] .* 200 .*"POST /diffusion HTTP/1\\.1"' },
    observed: 'HAProxy sends the XHR handshake to one server and the poll after it, on the same keep-alive connection, to the other, which answers diffusion-connection: reconnect; the reconnect goes back to the first server (105) and its poll to the other again: the session bounces every ~0.25 s.',
    boundMs: 8000,
    expect: {
      raise: ['session-affinity-lost'],
      verdict: 'session-affinity-lost',
      notRaise: ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'protocol-version-mismatch', 'credentials-in-url', 'credentials-over-insecure-transport', 'mixed-content-blocked', 'idle-timeout-disconnect', 'secure-to-insecure-cascade', 'scheme-port-mismatch', 'path-prefix-mismatch', 'cors-preflight-failed', 'no-fallback-transport', 'websocket-unavailable', 'not-diffusion-endpoint', 'upstream-unreachable', 'missing-path-prefix', 'session-lost-on-failover', 'recovered-rejection', 'session-in-worker'],
    },
  },
  {
    id: 'haproxy-cookie-affinity',
    title: 'HAProxy round-robin with cookie SRV insert: sticky, healthy (XHR)',
    story: 'The same two servers, now with cookie SRV insert: HAProxy sets the cookie on the first answer and every later poll of the session goes to the same server.',
    page: { servedBy: 'lb' },
    endpoints: {
      a: { kind: 'emulator', host: 'api' },
      b: { kind: 'emulator', host: 'api' },
      lb: {
        kind: 'haproxy', host: 'app',
        config: `${haproxyDefaults('    timeout client 30s\n    timeout server 30s\n    timeout tunnel 1h')}

frontend www
    bind {{listen}}
    default_backend diffusion

backend diffusion
    balance roundrobin
    # Stickiness: the browser sends SRV back with every poll.
    cookie SRV insert indirect nocache
    server a {{a}} cookie a
    server b {{b}} cookie b`,
      },
    },
    steps: [{ label: 'price feed', target: 'lb', options: { transports: ['XHR'] }, holdMs: 1200, outcome: { result: 'connected' } }],
    proxyLog: { lb: 'diffusion/[ab] .* --VN .*"POST /diffusion HTTP/1\\.1"' },
    boundMs: 8000,
    expect: { raise: [], notRaise: allExcept(), verdict: null },
  },
  {
    id: 'haproxy-timeout-client-no-tunnel',
    title: 'HAProxy timeout client 1s and no timeout tunnel: idle WebSockets cut',
    story: 'HAProxy has timeout client 1s and no timeout tunnel; once a WebSocket is up that short client timeout governs it, so every quiet WebSocket is cut at 1 s and the client reconnects.',
    page: { servedBy: 'lb' },
    endpoints: {
      server: { kind: 'emulator', host: 'api' },
      lb: {
        kind: 'haproxy', host: 'app',
        config: `${haproxyDefaults('    # No "timeout tunnel": upgraded connections keep these.\n    timeout client 1s\n    timeout server 30s')}

frontend www
    bind {{listen}}
    default_backend diffusion

backend diffusion
    server s1 {{server}}`,
      },
    },
    steps: [{ label: 'price feed', target: 'lb', reconnectDelayMs: 200, holdMs: 4000, outcome: { result: 'connected', reconnects: true } }],
    proxyLog: { lb: ' 101 \\d+ - - cD-- .*"GET /diffusion\\?ty=WB' },
    observed: 'HAProxy 2.6 cuts the idle WebSocket at 1.0 s with termination state cD-- in its log; the reconnect is answered 105.',
    boundMs: 8000,
    expect: { raise: ['idle-timeout-disconnect'], notRaise: allExcept('idle-timeout-disconnect'), verdict: 'idle-timeout-disconnect' },
  },
  {
    id: 'haproxy-failover-unknown-session',
    title: 'HAProxy fails over to a server that does not know the session (117)',
    story: 'Server a dies 1.5 s into the session; HAProxy\'s health check marks it down and sends the client\'s reconnect to the backup server b, which has never heard of the session and answers UNKNOWN_SESSION (117).',
    page: { servedBy: 'lb' },
    endpoints: {
      a: { kind: 'emulator', host: 'api', stopAfterMs: 1500 },
      b: { kind: 'emulator', host: 'api' },
      lb: {
        kind: 'haproxy', host: 'app',
        config: `${haproxyDefaults('    timeout client 30s\n    timeout server 30s\n    timeout tunnel 1h')}

frontend www
    bind {{listen}}
    default_backend diffusion

backend diffusion
    option redispatch
    # b takes over when the health check finds a down; sessions are not replicated between them.
    server a {{a}} check inter 500 fall 1 rise 1
    server b {{b}} check inter 500 fall 1 rise 1 backup`,
      },
    },
    steps: [{ label: 'price feed', target: 'lb', reconnectDelayMs: 1000, holdMs: 3000, outcome: { result: 'connected', closedBy: 'server', closeReasonId: 4 } }],
    proxyLog: { lb: 'Server diffusion/a is DOWN[\\s\\S]*diffusion/b .* 101 .*"GET /diffusion\\?ty=WB[^"]*&c=' },
    observed: 'HAProxy\'s health check marks a DOWN within 0.5 s of its death ("Running on backup"); the reconnect, a second after the drop, goes to b, which answers 117: the session is closed (4).',
    boundMs: 8000,
    expect: { raise: ['session-lost-on-failover'], notRaise: allExcept('session-lost-on-failover', 'connection-rejected'), verdict: 'session-lost-on-failover' },
  },
  {
    id: 'spa-history-fallback',
    title: 'Client pointed at the single-page app\'s own nginx (try_files → index.html)',
    story: 'The app connects to the host that serves it, but that is nginx serving a single-page app: its history fallback answers GET /diffusion with index.html (200) and the XHR POST with 405 Not Allowed.',
    page: { servedBy: 'web' },
    endpoints: {
      web: {
        kind: 'nginx', host: 'app', webRoot: true,
        config: `server {
    listen {{listen}};
    # The single-page app: index.html and its scripts.
    root www;

    # History-API routing: any path that is not a file gets the app's index.html.
    location / {
        try_files $uri $uri/ /index.html;
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'web', outcome: { result: 'failed', closeReasonId: 7 } }],
    proxyLog: { web: '"GET /diffusion\\?ty=WB[^"]*" 200 [\\s\\S]*"POST /diffusion HTTP/1\\.1" 405 ' },
    boundMs: 8000,
    expect: { raise: ['not-diffusion-endpoint'], notRaise: allExcept('not-diffusion-endpoint', 'websocket-unavailable', 'transports-exhausted'), verdict: 'not-diffusion-endpoint' },
  },
  {
    id: 'spa-history-fallback-405-as-200',
    title: 'The same single-page app, with error_page 405 =200',
    story: 'As before, but the nginx configuration also turns 405 into the page (error_page 405 =200 $uri): the XHR POST now gets index.html with 200 too, and the client tries to read an HTML page as a connection response.',
    page: { servedBy: 'web' },
    endpoints: {
      web: {
        kind: 'nginx', host: 'app', webRoot: true,
        config: `server {
    listen {{listen}};
    # The single-page app: index.html and its scripts.
    root www;

    # History-API routing: any path that is not a file gets the app's index.html.
    location / {
        try_files $uri $uri/ /index.html;
    }
    # POSTs to static files: the page instead of 405.
    error_page 405 =200 $uri;
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'web', outcome: { result: 'failed', closeReasonId: 5 } }],
    proxyLog: { web: '"POST /diffusion HTTP/1\\.1" 200 ' },
    observed: 'The upgrade gets index.html with 200 and so does the XHR POST; the client fails to parse "<!doctype" as a connection response (close reason 5).',
    boundMs: 8000,
    expect: { raise: ['not-diffusion-endpoint'], notRaise: allExcept('not-diffusion-endpoint', 'websocket-unavailable', 'transports-exhausted'), verdict: 'not-diffusion-endpoint' },
  },
  {
    id: 'nginx-upstream-down',
    title: 'nginx in front of a Diffusion server that is down (502)',
    story: 'The site\'s nginx serves the pages and proxies /diffusion, but the Diffusion server behind it is down: nginx answers the upgrade and the XHR handshake 502 Bad Gateway.',
    page: { servedBy: 'edge' },
    endpoints: {
      edge: {
        kind: 'nginx', host: 'app',
        config: `${NGINX_UPGRADE_MAP}

upstream diffusion {
    # The Diffusion server: down, nothing listens on its port.
    server {{nothing}};
}

server {
    listen {{listen}};

    # The application's pages.
    location / {
        proxy_pass http://{{site}};
    }

    location /diffusion {
        proxy_pass http://diffusion;
${NGINX_WEBSOCKET}
    }
}`,
      },
    },
    steps: [{ label: 'price feed', target: 'edge', outcome: { result: 'failed', closeReasonId: 7 } }],
    proxyLog: { edge: 'connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream' },
    boundMs: 8000,
    expect: { raise: ['upstream-unreachable'], notRaise: allExcept('upstream-unreachable', 'websocket-unavailable', 'transports-exhausted'), verdict: 'upstream-unreachable' },
  },

  // ── recovered and hidden sessions ──────────────────────────────────────────────────────────
  {
    id: 'transient-initialising-then-connected',
    title: 'Server still starting (119), the app retries a second later and connects',
    story: 'The page opens while the Diffusion server is still starting: the first connect is rejected with REJECTED_SERVER_INITIALISING (119); the app retries one second later and connects.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: 119 }, { kind: 'ok' }] } },
    steps: [{ label: 'price feed', target: 'server', onFailure: { retries: 1, delayMs: 1000 }, holdMs: 800, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: ['recovered-rejection'], notRaise: allExcept('recovered-rejection', 'connection-rejected'), verdict: 'recovered-rejection' },
  },
  {
    id: 'session-in-shared-worker',
    title: 'Session in a SharedWorker (diffusion-worker.js)',
    story: 'The app shares one session between its tabs: diffusion.connect(options, "prices", "diffusion-worker.js") runs the session in a SharedWorker, whose WebSocket the page\'s own capture does not hold.',
    page: { servedBy: 'server' },
    endpoints: { server: { kind: 'emulator', host: 'app' } },
    steps: [{ label: 'price feed', target: 'server', worker: 'prices', holdMs: 1000, outcome: { result: 'connected' } }],
    boundMs: 8000,
    expect: { raise: ['session-in-worker'], notRaise: allExcept('session-in-worker'), verdict: 'session-in-worker' },
  },
];

export function scenarioById(id: string): Scenario | undefined {
  return scenarios.find((s) => s.id === id);
}
