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
];

export function scenarioById(id: string): Scenario | undefined {
  return scenarios.find((s) => s.id === id);
}
