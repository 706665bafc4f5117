import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from './diagnose.ts';
import { analyze } from './analyze.ts';
import { runRules } from './rules/index.ts';
import type { Connection, Verdict } from './model.ts';
import { readHarText } from '../sources/har/read.ts';
import { har, wsRefused, xhrHandshake } from '../sources/har/test-fixtures.ts';
import { attempt, connection, context, failedAttempt, PASSWORD, preflight, rejectedAttempt, T0, tunnel } from './rules/test-builders.ts';

function verdictsOf(connections: Connection[], ctx = context()): Verdict[] {
  return diagnose(connections, runRules(connections, ctx));
}

/** Everything a verdict shows, its consequences included. */
function shown(v: Verdict): string {
  return [v.title, v.message, v.fix, ...v.evidence, ...v.consequences.flatMap((f) => [f.message, f.fix])].join('\n');
}

test('a retry storm is one verdict over the retrying connections, with their WebSocket and exhausted findings beneath it', () => {
  const connections = Array.from({ length: 12 }, (_, i) => connection([failedAttempt({ id: `w${i}`, startedAt: T0 + i * 100, error: 'net::ERR_CONNECTION_REFUSED' })], { id: `c${i + 1}` }));
  const verdicts = verdictsOf(connections);
  assert.equal(verdicts[0]!.rule, 'retry-storm');
  assert.equal(verdicts[0]!.connections.length, 12);
  assert.match(verdicts[0]!.title, /^The application retries in a tight loop \(12 connections\)$/);
  assert.match(verdicts[0]!.message, /^12 attempts went to push\.example\.com:443\/lb\/diffusion within 1\.1 s/);
  assert.equal(verdicts[0]!.severity, 'error', 'as severe as what it explains');
  const folded = new Set(verdicts[0]!.consequences.map((f) => f.rule));
  assert.ok(folded.has('websocket-unavailable') && folded.has('transports-exhausted'), [...folded].join());
  assert.equal(verdicts.length, 1, verdicts.map((v) => v.rule).join());
});

test('a failed CORS preflight leads; the WebSocket refusal and the exhausted transports are its consequences', () => {
  const page = 'https://app.example.com/trade';
  const c = connection([
    failedAttempt({ id: 'w1', httpStatus: 400, error: null }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 20, httpStatus: 0, error: 'net::ERR_FAILED', pageUrl: page }),
  ], { id: 'c1' });
  const verdicts = verdictsOf([c], context({ preflights: [preflight({ startedAt: T0 + 15, status: 403, allowOrigin: null, allowHeaders: null })] }));
  assert.equal(verdicts.length, 1);
  const v = verdicts[0]!;
  assert.equal(v.rule, 'cors-preflight-failed');
  assert.equal(v.id, 'cors-preflight-failed#1');
  assert.equal(v.title, 'The XHR fallback was blocked by its CORS preflight');
  assert.match(v.message, /the OPTIONS preflight was answered 403/);
  assert.deepEqual(v.consequences.map((f) => f.rule).sort(), ['transports-exhausted', 'websocket-unavailable']);
  assert.deepEqual(v.evidence, ['c1 x1 XHR https://push.example.com:443/lb/diffusion: no HTTP status, net::ERR_FAILED']);
});

test('secure: true on port 80 (the wss: attempt with no start time, then https:): one connection, TLS to a plain-HTTP port, no "add XHR" and no firewall story', () => {
  const read = readHarText(JSON.stringify(har([
    wsRefused({ url: 'wss://push.example.com:80/lb/diffusion?ty=WB&v=29&ca=8&r=60000' }),
    { ...(xhrHandshake({ start: T0 + 30, status: 0, error: 'net::ERR_SSL_PROTOCOL_ERROR' }) as object), request: { ...(xhrHandshake() as { request: object }).request, url: 'https://push.example.com:80/lb/diffusion' } },
  ])));
  const analysis = analyze(read.observations);
  assert.equal(analysis.connections.length, 1);
  assert.equal(analysis.verdicts.length, 1, analysis.verdicts.map((v) => v.rule).join());
  const v = analysis.verdicts[0]!;
  assert.equal(v.rule, 'scheme-port-mismatch');
  assert.equal(v.severity, 'error');
  assert.match(v.message, /used TLS on port 80/);
  assert.ok(!analysis.findings.some((f) => f.rule === 'no-fallback-transport'));
  assert.doesNotMatch(shown(v), /network dropped|firewall|Add 'XHR'/);
  assert.match(v.consequences.find((f) => f.rule === 'websocket-unavailable')!.message, /TLS was spoken to port 80, where the listener speaks plain HTTP/);
});

test('a single-page app\'s server answering /diffusion: not Diffusion, not "a proxy stripped the Upgrade header"', () => {
  const spa = { endpoint: { secure: false, port: 80, path: '/diffusion', prefix: '' } };
  const c = connection([
    failedAttempt({ id: 'w1', httpStatus: 200, error: 'Error during WebSocket handshake: Unexpected response code: 200', ...spa }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 30, httpStatus: 405, error: null, responseHeaders: { server: 'nginx/1.22.1' }, ...spa }),
  ]);
  const [v, ...rest] = verdictsOf([c]);
  assert.equal(rest.length, 0);
  assert.equal(v!.rule, 'not-diffusion-endpoint');
  assert.equal(v!.title, 'The endpoint is not a Diffusion server');
  assert.match(v!.message, /do not serve Diffusion: the XHR handshake \(POST\) was answered 405 Method Not Allowed/);
  assert.doesNotMatch(shown(v!), /stripped the Upgrade|proxy_http_version/);
  assert.match(v!.evidence.join('\n'), /x1 XHR http:\/\/push\.example\.com:80\/diffusion: status 405, answered by nginx/);
});

test('119 then connected a second later: a warning verdict, and no error anywhere', () => {
  const verdicts = verdictsOf([
    connection([rejectedAttempt(119, { id: 'a1' })], { id: 'c1' }),
    connection([attempt({ id: 'a2', startedAt: T0 + 1000 })], { id: 'c2' }),
  ]);
  assert.deepEqual(verdicts.map((v) => [v.rule, v.severity]), [['recovered-rejection', 'warning']]);
  assert.match(verdicts[0]!.message, /119 REJECTED_SERVER_INITIALISING, and 1 s later connection c2 connected/);
});

test('failover: the server died and the other one answered 117; the verdict does not say "add a sticky cookie"', () => {
  const c = connection([
    attempt({ id: 'a1', cookies: { SERVERID: ['s1'] } }),
    rejectedAttempt(117, { id: 'a2', startedAt: T0 + 4000, reconnect: true, params: { hasToken: true }, requestHeaders: { cookie: 'SERVERID=s1' }, cookies: { SERVERID: ['s2'] } }),
  ], { id: 'c1', outcome: 'lost' });
  const [v, ...rest] = verdictsOf([c]);
  assert.equal(rest.length, 0);
  assert.equal(v!.rule, 'session-lost-on-failover');
  assert.equal(v!.title, 'The session was lost with its server');
  assert.doesNotMatch(`${v!.fix}\n${v!.consequences.map((f) => f.fix).join('\n')}`, /sticky cookie|cookie … insert|balance source/);
  assert.match(v!.evidence.join('\n'), /c1 a2 reconnect WEBSOCKET wss:\/\/push\.example\.com:443\/lb\/diffusion: 117 UNKNOWN_SESSION/);
});

test('page under /eu/app/, 404 on the bare /diffusion for both transports: the verdict says which path to try', () => {
  const page = 'https://push.example.com/eu/app/';
  const bare = { endpoint: { path: '/diffusion', prefix: '' }, pageUrl: page };
  const c = connection([
    failedAttempt({ id: 'w1', httpStatus: 404, error: null, ...bare }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 20, httpStatus: 404, error: null, ...bare }),
  ]);
  const [v, ...rest] = verdictsOf([c]);
  assert.equal(rest.length, 0);
  assert.equal(v!.rule, 'missing-path-prefix');
  assert.match(v!.fix, /^Set path: '\/eu'/);
  assert.deepEqual(v!.consequences.map((f) => f.rule).sort(), ['transports-exhausted', 'websocket-unavailable']);
});

test('a session in a SharedWorker: a verdict about the worker instead of nothing', () => {
  const ctx = context({ workers: [{ url: 'https://app.example.com/diffusion-worker.js', startedAt: T0, status: 0, pageUrl: 'https://app.example.com/' }] });
  const [v, ...rest] = verdictsOf([], ctx);
  assert.equal(rest.length, 0);
  assert.equal(v!.rule, 'session-in-worker');
  assert.equal(v!.severity, 'info');
  assert.deepEqual(v!.connections, []);
  assert.match(v!.message, /runs its Diffusion session in a SharedWorker/);
});

test('connections with the same cause and fix share one verdict with their count; different causes are ordered by severity, then by how much they explain', () => {
  const stripped = (id: string, at: number) => connection([
    failedAttempt({ id: `${id}w`, startedAt: at, httpStatus: 200, error: null }),
    attempt({ id: `${id}x`, transport: 'XHR', startedAt: at + 30 }),
  ], { id });
  const leak = connection([attempt({ id: 'lw', startedAt: T0 + 90_000, endpoint: { host: 'chat.example.com', secure: false, port: 80 }, password: PASSWORD })], { id: 'leak' });
  const verdicts = verdictsOf([stripped('s1', T0), stripped('s2', T0 + 30_000), stripped('s3', T0 + 60_000), leak]);
  assert.deepEqual(verdicts.map((v) => v.rule), ['credentials-over-insecure-transport', 'websocket-unavailable']);
  const ws = verdicts[1]!;
  assert.deepEqual(ws.connections, ['s1', 's2', 's3']);
  assert.equal(ws.causes.length, 3);
  assert.equal(ws.title, 'The WebSocket upgrade failed: answered 200 instead of 101 (3 connections)');
  assert.match(ws.message, /The same cause explains 3 findings over 3 connections: s1–s3\./);
  assert.equal(verdicts[0]!.consequences[0]?.rule, 'credentials-in-url');
  for (const v of verdicts) {
    const text = shown(v);
    for (const secret of [PASSWORD, tunnel(PASSWORD), encodeURIComponent(tunnel(PASSWORD)), 'TOKENtoken']) assert.ok(!text.includes(secret), `${v.id} shows ${secret}`);
  }
});

test('every finding is in exactly one verdict, as its cause or a consequence', () => {
  const c1 = connection([failedAttempt({ id: 'w1', httpStatus: 404, error: null, endpoint: { path: '/lb/diffusion/diffusion', prefix: '/lb/diffusion' } }), failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 10, httpStatus: 404, error: null, endpoint: { path: '/lb/diffusion/diffusion', prefix: '/lb/diffusion' } })]);
  const c2 = connection([rejectedAttempt(116, { id: 'r1', startedAt: T0 + 5000 })]);
  const findings = runRules([c1, c2], context());
  const verdicts = diagnose([c1, c2], findings);
  const placed = verdicts.flatMap((v) => [...v.causes, ...v.consequences]);
  assert.equal(placed.length, findings.length);
  assert.deepEqual(new Set(placed), new Set(findings));
  assert.deepEqual(verdicts.map((v) => v.rule), ['duplicated-diffusion-suffix', 'connection-rejected']);
});

test('a rejection\'s title names the code the server answered', () => {
  const rejected = connection([rejectedAttempt(116, { id: 'r1' })], { id: 'r' });
  const [v] = verdictsOf([rejected]);
  assert.equal(v?.title, 'The server rejected the connection: 116 AUTHENTICATION_FAILED');
});
