// A test page (not shipped): the real panel over a synthetic analysis of 10k connections and 50k
// attempts, timing mount-to-first-screen and writing the result into the DOM for the test to read.
import type { Analysis, Attempt, Connection, Finding } from '../../src/core/model.ts';
import { mountPanel, PanelStore } from '../../panel/index.tsx';

const CONNECTIONS = 10_000;
const PER_CONNECTION = 5;
const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

function attempt(id: string, i: number, at: number, last: boolean): Attempt {
  const ws = i % 2 === 0;
  const endpoint = { host: `push${i % 7}.example.com`, port: 443, secure: true, path: '/lb/diffusion', prefix: '/lb' };
  return {
    id, transport: ws ? 'WEBSOCKET' : 'XHR', url: `wss://${endpoint.host}/lb/diffusion?ty=WB&v=29&ca=8&r=60000`, endpoint,
    params: { version: 29, capabilities: 8, reconnectTimeoutMs: 60000, hasToken: i >= 2, clientSequence: null, serverSequence: null, sessionProperties: null, principal: null, hasPassword: false, credentialType: null },
    requestHeaders: {}, responseHeaders: {}, startedAt: at, endedAt: at + 30, httpStatus: last ? 101 : 0, error: last ? null : 'net::ERR_FAILED',
    response: last ? { protocolByte: 35, version: 29, code: 100, name: 'OK', success: true, sessionId: '0000000000000001-0000000000000002', token: null, pingPeriodMs: 90000, trailer: 10485760, length: 55 } : null,
    responseError: null, result: last ? 'connected' : 'failed', reconnect: i >= 2, closeCode: null, closedAt: null, pageUrl: null,
    sources: ['har'], polls: null, cookies: {},
  };
}

function synthetic(): Analysis {
  const connections: Connection[] = [];
  const findings: Finding[] = [];
  let n = 0;
  for (let c = 0; c < CONNECTIONS; c++) {
    const at = T0 + c * 1000;
    const attempts = Array.from({ length: PER_CONNECTION }, (_, i) => attempt(`a${++n}`, i, at + i * 40, i === 1 || i === PER_CONNECTION - 1));
    connections.push({ id: `c${c + 1}`, endpoint: attempts[0]!.endpoint, clientVersion: null, protocolVersion: 29, outcome: 'connected', attempts, startedAt: at, pageUrl: null });
    findings.push({ rule: 'websocket-unavailable', severity: 'warning', message: `The WebSocket attempt of c${c + 1} failed.`, fix: 'Allow WebSocket upgrades.', connection: `c${c + 1}`, attempts: [attempts[0]!.id] });
  }
  return { connections, findings, context: { pages: [], preflights: [] } };
}

const analysis = synthetic();
const store = new PanelStore({ analyze: () => analysis });
store.add({ kind: 'page', source: 'har', url: 'https://app.example.com/', startedAt: T0 });
const root = document.getElementById('root')!;
const started = performance.now();
mountPanel(root, store, { theme: 'light' });
store.flush();
requestAnimationFrame(() => requestAnimationFrame(() => {
  const out = document.createElement('output');
  out.id = 'scale-result';
  out.dataset['ms'] = String(performance.now() - started);
  out.dataset['elements'] = String(document.getElementsByTagName('*').length);
  document.body.appendChild(out);
}));
