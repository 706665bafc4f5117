// A synthetic capture at volume, shared by the panel's scale test page and the benchmark page:
// 10k connections of 5 attempts each (two connected, the rest failed WebSocket/XHR alternately).
import type { Attempt } from '../../src/core/model.ts';
import { mountPanel, type PanelStore } from '../../panel/index.tsx';

export const CONNECTIONS = 10_000;
export const PER_CONNECTION = 5;
export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

export function attempt(id: string, i: number, at: number, last: boolean): Attempt {
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

/**
 * Mount the real panel over `store` and, two frames later (the first screen is on it), write the
 * time since mounting and the DOM's size into an <output id={resultId}> for the page's driver.
 */
export function mountAndMeasure(store: PanelStore, resultId: string): void {
  store.add({ kind: 'page', source: 'har', url: 'https://app.example.com/', startedAt: T0 });
  const started = performance.now();
  mountPanel(document.getElementById('root')!, store, { theme: 'light' });
  store.flush();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const out = document.createElement('output');
    out.id = resultId;
    out.dataset['ms'] = String(performance.now() - started);
    out.dataset['elements'] = String(document.getElementsByTagName('*').length);
    document.body.appendChild(out);
  }));
}
