// The page `npm run bench` opens (not shipped): the real panel over 10k connections / 50k attempts.
// It times mount-to-first-screen into #bench-result and exposes the in-page parts of the other
// measurements (event-to-row latency, scrolling, filling the store past its cap) on window.
// The analysis is precomputed so these figures are the panel's own; analysis speed is measured on
// the CLI side of the bench.
import type { Analysis, Connection, Observation, RequestObservation } from '../../src/core/model.ts';
import { PanelStore } from '../../panel/index.tsx';
import { attempt, CONNECTIONS, mountAndMeasure, PER_CONNECTION, T0 } from '../panel/synthetic.ts';

function connection(id: string, at: number, attempts: number): Connection {
  const list = Array.from({ length: attempts }, (_, i) => attempt(`${id}a${i}`, i, at + i * 40, i === 1 || i === attempts - 1));
  return { id, endpoint: list[0]!.endpoint, clientVersion: null, protocolVersion: 29, outcome: 'connected', attempts: list, startedAt: at, pageUrl: null, client: 'browser' };
}

const base: Analysis = { connections: [], findings: [], verdicts: [], context: { pages: [], preflights: [] } };
for (let c = 0; c < CONNECTIONS; c++) {
  const id = `c${c + 1}`;
  base.connections.push(connection(id, T0 + c * 1000, PER_CONNECTION));
  base.findings.push({ rule: 'websocket-unavailable', severity: 'warning', message: `The WebSocket attempt of ${id} failed.`, fix: 'Allow WebSocket upgrades.', connection: id, attempts: [`${id}a0`] });
}

// Live mode: every hook observation with a "live" id becomes one more connection, listed first so its
// row is on screen. Fill mode: the analysis stays as it is (only the store's memory is of interest).
const mode = new URLSearchParams(location.search).get('mode') ?? 'live';
const live = new Map<string, Connection>();
const store = new PanelStore({
  analyze: (observations: readonly Observation[]) => {
    if (mode !== 'live') return base;
    const extra: Connection[] = [];
    for (const o of observations) {
      if (o.kind !== 'request' || !o.sourceId?.startsWith('live')) continue;
      let c = live.get(o.sourceId);
      if (!c) live.set(o.sourceId, (c = connection(o.sourceId, o.startedAt, 1)));
      extra.push(c);
    }
    extra.reverse();
    return extra.length ? { ...base, connections: [...extra, ...base.connections] } : base;
  },
});
mountAndMeasure(store, 'bench-result');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Add one observation at a time; how long until its row is in the DOM (ms, Infinity after 5 s). */
async function latency(count: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const id = `live${k}`;
    const selector = `[data-testid="connection-row"][data-connection-id="${id}"]`;
    const seen = new Promise<number>((resolve) => {
      let done = false;
      const finish = (v: number): void => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        resolve(v);
      };
      const observer = new MutationObserver(() => { if (document.querySelector(selector)) finish(performance.now() - t0); });
      observer.observe(document.getElementById('root')!, { subtree: true, childList: true, attributes: true });
      const timer = setTimeout(() => finish(Infinity), 5000);
    });
    const t0 = performance.now();
    store.add({ kind: 'request', source: 'hook', sourceId: id, transport: 'WEBSOCKET', url: `wss://push.example.com/diffusion?ty=WB&v=29&k=${k}`, startedAt: Date.now() });
    out.push(await seen);
    await sleep(gapMs);
  }
  return out;
}

/** Scroll the connection list from the top to its end, a screen per frame; long tasks and long frames seen meanwhile. */
async function scroll(maxFrames: number): Promise<{ frames: number; longTasks: number; longestTaskMs: number; longFrames: number; longestFrameMs: number; reachedEnd: boolean }> {
  const list = document.querySelector<HTMLElement>('[data-testid="connection-list"]');
  if (!list) throw new Error('no connection list');
  // The scroller is the list itself or the first element inside it that scrolls.
  const scroller = [list, ...Array.from(list.querySelectorAll<HTMLElement>('*'))].find((e) => e.scrollHeight > e.clientHeight + 10) ?? list;
  // Always from the top, once the jump back has settled.
  scroller.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await sleep(300);
  const tasks: number[] = [];
  const po = new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); });
  po.observe({ type: 'longtask', buffered: false });
  const deltas: number[] = [];
  let frames = 0;
  let last = performance.now();
  await new Promise<void>((resolve) => {
    const step = (now: number): void => {
      deltas.push(now - last);
      last = now;
      frames++;
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
      if (atEnd || frames >= maxFrames) { resolve(); return; }
      scroller.scrollTop += Math.max(100, scroller.clientHeight * 0.9);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  await sleep(200);
  po.disconnect();
  const frameDeltas = deltas.slice(1);
  return {
    frames,
    longTasks: tasks.length,
    longestTaskMs: Math.max(0, ...tasks),
    longFrames: frameDeltas.filter((d) => d > 50).length,
    longestFrameMs: Math.max(0, ...frameDeltas),
    reachedEnd: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2,
  };
}

/** Add `count` request observations in batches, as a busy capture would. */
async function fill(count: number, from: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const batch: RequestObservation[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      const k = from + j;
      batch.push({
        kind: 'request', source: 'webRequest', sourceId: `r${k}`, transport: 'XHR', method: 'POST',
        url: `https://push${k % 7}.example.com/lb/diffusion?ty=XHR&k=${k}`, startedAt: T0 + k * 10, endedAt: T0 + k * 10 + 25,
        requestHeaders: { 'content-type': 'text/plain', 'm': String(k % 3), 'c': `token-${k}` }, responseHeaders: { 'content-type': 'application/octet-stream' },
        status: 200, body: new Uint8Array(55).fill(k & 0xff),
      });
    }
    store.add(batch);
    await sleep(0);
  }
  store.flush();
}

Object.assign(window, { benchLatency: latency, benchScroll: scroll, benchFill: fill, benchStore: store });
