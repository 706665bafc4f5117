// The real 6.12.1 browser bundle in headless Chromium, over WebSocket and XHR: connecting, each
// response code of docs/diffusion-protocol.md §3, cascading WS → XHR, reconnecting (105 / 117),
// and through the balancer behaviours that only a browser can show (XHR affinity, CORS, TLS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startLab, type Lab } from '../lab.ts';
import { launchChromium, runScenarioPage, type LabBrowser, type PageRun } from '../browser.ts';
import type { Emulator, EmulatorEvent } from '../server/emulator.ts';
import type { Balancer, BalancerEvent } from '../balancer/balancer.ts';
import type { AppStep, Endpoint, Scenario } from '../scenarios/types.ts';

// code → [close-reason id, cascades to the next transport] for 6.12.1 (matrix.out).
const CODES: Record<number, [number, boolean]> = {
  102: [17, false], 111: [5, true], 112: [5, true], 113: [18, false], 114: [4, false], 115: [4, false],
  116: [99, false], 117: [4, false], 118: [4, false], 119: [4, false], 127: [5, true],
};

function probe(id: string, endpoints: Record<string, Endpoint>, step: Omit<AppStep, 'label' | 'outcome'>, extra: Partial<Scenario> = {}): Scenario {
  return {
    id, title: id, story: id, page: { servedBy: Object.keys(endpoints)[0] }, endpoints,
    steps: [{ label: 'client', holdMs: 600, outcome: { result: 'connected' }, ...step }],
    boundMs: 8000, expect: { raise: [], notRaise: [], verdict: null }, ...extra,
  };
}

const probes: Scenario[] = [];
for (const code of Object.keys(CODES)) {
  probes.push(probe(`code-${code}-cascade`, { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: Number(code) }] } }, { target: 'server' }));
  probes.push(probe(`code-${code}-xhr`, { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'code', code: Number(code) }] } }, { target: 'server', options: { transports: ['XHR'] } }));
}
probes.push(
  probe('ws-connects', { server: { kind: 'emulator', host: 'app' } }, { target: 'server' }),
  probe('xhr-connects', { server: { kind: 'emulator', host: 'app' } }, { target: 'server', options: { transports: ['XHR'] }, holdMs: 1200 }),
  probe('cascade-404-to-xhr', { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'http', status: 404 }, { kind: 'ok' }] } }, { target: 'server' }),
  probe('xhr-handshake-500', { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'http', status: 500 }] } }, { target: 'server', options: { transports: ['XHR'] } }),
  probe('ws-reconnect-105', { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'ok', dropAfterMs: 300 }] } }, { target: 'server', reconnectDelayMs: 100, holdMs: 1200 }),
  probe('xhr-reconnect-105', { server: { kind: 'emulator', host: 'app', replies: [{ kind: 'ok', dropAfterMs: 300 }] } }, { target: 'server', options: { transports: ['XHR'] }, reconnectDelayMs: 100, holdMs: 1200 }),
  probe('ws-reconnect-117', { server: { kind: 'emulator', host: 'app', reconnect: 'forget', replies: [{ kind: 'ok', dropAfterMs: 300 }] } }, { target: 'server', reconnectDelayMs: 100, holdMs: 1200 }),
  probe('xhr-reconnect-117', { server: { kind: 'emulator', host: 'app', reconnect: 'forget', replies: [{ kind: 'ok', dropAfterMs: 300 }] } }, { target: 'server', options: { transports: ['XHR'] }, reconnectDelayMs: 100, holdMs: 1200 }),
  probe('xhr-poll-reconnect-header', { server: { kind: 'emulator', host: 'app', pollReconnectFrom: 0 } }, { target: 'server', options: { transports: ['XHR'] }, reconnectDelayMs: 100, holdMs: 800 }),
  probe('lb-cookie-affinity-xhr', {
    lb: { kind: 'balancer', host: 'app', backends: ['a', 'b'], balance: 'cookie' },
    a: { kind: 'emulator', host: 'api' }, b: { kind: 'emulator', host: 'api' },
  }, { target: 'lb', options: { transports: ['XHR'] }, holdMs: 1500 }),
  probe('lb-prefix-unstripped-xhr', {
    lb: { kind: 'balancer', host: 'app', backends: ['server'], prefix: '/lb' },
    server: { kind: 'emulator', host: 'api', paths: ['/lb/diffusion'] },
  }, { target: 'lb', options: { path: '/lb', transports: ['XHR'] }, holdMs: 1000 }),
  probe('lb-cors-answered-xhr', {
    lb: { kind: 'balancer', host: 'api', backends: ['server'], cors: 'answer', upgrade: 502 },
    server: { kind: 'emulator', host: 'api' },
  }, { target: 'lb', holdMs: 1000 }, { page: {} }),
  probe('lb-tls-wss', {
    lb: { kind: 'balancer', host: 'app', tls: true, backends: ['server'] },
    server: { kind: 'emulator', host: 'api' },
  }, { target: 'lb' }),
  probe('lb-tls-https-xhr', {
    lb: { kind: 'balancer', host: 'app', tls: true, backends: ['server'] },
    server: { kind: 'emulator', host: 'api' },
  }, { target: 'lb', options: { transports: ['XHR'] }, holdMs: 1000 }),
  probe('lb-idle-close-xhr', {
    lb: { kind: 'balancer', host: 'app', backends: ['server'], idleCloseMs: 500 },
    server: { kind: 'emulator', host: 'api' },
  }, { target: 'lb', options: { transports: ['XHR'] }, reconnectDelayMs: 100, holdMs: 1500 }),
);

let lab: Lab;
let browser: LabBrowser;
let page: Page;
before(async () => {
  lab = await startLab({ scenarios: probes });
  browser = await launchChromium();
  page = await browser.context.newPage();
});
after(async () => {
  await browser?.close();
  await lab?.close();
});

async function run(id: string): Promise<{ run: PageRun; events: EmulatorEvent[]; lb: BalancerEvent[] }> {
  const r = lab.scenarios.get(id);
  assert.ok(r, id);
  const out = await runScenarioPage(page, r.pageUrl, r.scenario.boundMs);
  assert.equal(out.state, 'done', out.log);
  const events: EmulatorEvent[] = [];
  const lb: BalancerEvent[] = [];
  for (const ep of r.endpoints.values()) {
    if (ep.kind === 'emulator') events.push(...((ep.server as Emulator).log.items));
    else if (ep.kind === 'balancer') lb.push(...(((ep.server as Balancer | undefined)?.log.items ?? [])));
  }
  return { run: out, events, lb };
}
const handshakes = (events: EmulatorEvent[]) => events.filter((e) => e.type === 'ws-upgrade' || e.type === 'xhr-handshake').map((e) => `${e.type === 'ws-upgrade' ? 'WS' : 'XHR'} ${e.answer}`);

for (const [code, [id, cascades]] of Object.entries(CODES)) {
  test(`WS then XHR: ${code} gives close reason ${id}${cascades ? ' after cascading to XHR' : ' without cascading'}`, async () => {
    const { run: r, events } = await run(`code-${code}-cascade`);
    assert.equal(r.results[0]?.result, 'failed', r.log);
    assert.equal(r.results[0]?.closeReasonId, id, r.log);
    assert.deepEqual(handshakes(events), cascades ? [`WS ${code}`, `XHR ${code}`] : [`WS ${code}`]);
  });
  test(`XHR only: ${code} gives close reason ${id}`, async () => {
    const { run: r, events } = await run(`code-${code}-xhr`);
    assert.equal(r.results[0]?.closeReasonId, id, r.log);
    assert.deepEqual(handshakes(events), [`XHR ${code}`]);
  });
}

test('connects over WebSocket (ca=8 in the browser)', async () => {
  const { run: r, events } = await run('ws-connects');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  const up = events.find((e) => e.type === 'ws-upgrade');
  assert.equal(up?.params?.ca, '8');
  assert.equal(up?.params?.v, '29');
});

test('connects over XHR: handshake, held polls, the close sent with m=2', async () => {
  const { run: r, events } = await run('xhr-connects');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  assert.deepEqual(handshakes(events), ['XHR 100']);
  assert.ok(events.some((e) => e.type === 'xhr-poll' && e.answer === 'held'));
  assert.ok(events.some((e) => e.type === 'xhr-send'), 'close request sent');
});

test('an upgrade answered 404 cascades to XHR, which connects', async () => {
  const { run: r, events } = await run('cascade-404-to-xhr');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  assert.deepEqual(handshakes(events), ['WS http 404', 'XHR 100']);
});

test('an XHR handshake answered 500 fails with 7', async () => {
  const { run: r } = await run('xhr-handshake-500');
  assert.equal(r.results[0]?.closeReasonId, 7, r.log);
});

for (const t of ['ws', 'xhr'] as const) {
  test(`${t}: after a network drop the reconnect carries the token and gets 105`, async () => {
    const { run: r, events } = await run(`${t}-reconnect-105`);
    assert.ok((r.results[0]?.reconnects ?? 0) >= 1, r.log);
    const again = events.find((e) => e.reconnect);
    assert.equal(again?.answer, '105');
    assert.ok(again?.params?.c);
  });
  test(`${t}: a reconnect answered 117 closes the session with 4`, async () => {
    const { run: r, events } = await run(`${t}-reconnect-117`);
    assert.equal(r.results[0]?.closedBy, 'server', r.log);
    assert.equal(r.results[0]?.closeReasonId, 4, r.log);
    assert.equal(events.find((e) => e.reconnect)?.answer, '117');
  });
}

test('diffusion-connection: reconnect on a poll makes the client reconnect with its token (105)', async () => {
  const { events } = await run('xhr-poll-reconnect-header');
  assert.ok(events.some((e) => e.type === 'xhr-handshake' && e.reconnect && e.answer === '105'), JSON.stringify(handshakes(events)));
});

test('balancer: cookie affinity keeps every XHR request on one server', async () => {
  const { run: r, lb } = await run('lb-cookie-affinity-xhr');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  const routed = lb.filter((e) => e.type === 'route');
  assert.ok(routed.length >= 2);
  assert.equal(new Set(routed.map((e) => e.backend)).size, 1);
});

test('balancer: prefix forwarded unchanged to a server that serves /lb/diffusion (XHR)', async () => {
  const { run: r, events } = await run('lb-prefix-unstripped-xhr');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  assert.equal(events.find((e) => e.type === 'xhr-handshake')?.path, '/lb/diffusion');
});

test('balancer: cross-origin XHR fallback works when the balancer answers the preflight', async () => {
  const { run: r, lb } = await run('lb-cors-answered-xhr');
  assert.equal(r.results[0]?.result, 'connected', r.log);
  assert.ok(lb.some((e) => e.type === 'preflight'));
  assert.ok(lb.some((e) => e.type === 'answered' && e.detail === 'upgrade answered 502'));
});

test('balancer: TLS termination with the certificate made at start (wss and https)', async () => {
  const ws = await run('lb-tls-wss');
  assert.equal(ws.run.results[0]?.result, 'connected', ws.run.log);
  assert.deepEqual(handshakes(ws.events), ['WS 100']);
  const xhr = await run('lb-tls-https-xhr');
  assert.equal(xhr.run.results[0]?.result, 'connected', xhr.run.log);
  assert.deepEqual(handshakes(xhr.events).slice(0, 1), ['XHR 100']);
});

test('balancer: a held poll cut by the idle timeout (504) makes the client reconnect', async () => {
  const { run: r, lb, events } = await run('lb-idle-close-xhr');
  assert.ok(lb.some((e) => e.type === 'idle-close'), r.log);
  assert.ok(events.some((e) => e.type === 'xhr-handshake' && e.reconnect && e.answer === '105'), r.log);
});
