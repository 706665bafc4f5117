// The store without a browser: throttled analysis, the cap and its note, navigation markers, clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis, Observation } from '../src/core/model.ts';
import { PanelStore } from './store.ts';

const EMPTY: Analysis = { connections: [], findings: [], context: { pages: [], preflights: [] } };

function obs(i: number): Observation {
  return { kind: 'request', source: 'hook', transport: 'WEBSOCKET', url: `wss://h/diffusion?ty=WB&v=29&n=${i}`, startedAt: 1_700_000_000_000 + i };
}

function counting(): { store: PanelStore; runs: () => number; seen: () => number } {
  let runs = 0;
  let seen = 0;
  const store = new PanelStore({ analyze: (o) => { runs++; seen = o.length; return EMPTY; } });
  return { store, runs: () => runs, seen: () => seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a single live event is analysed within 100 ms', async () => {
  const { store, runs, seen } = counting();
  let notified = -1;
  store.subscribe((s) => { notified = s.revision; });
  store.add(obs(1));
  const t0 = performance.now();
  while (runs() === 0 && performance.now() - t0 < 500) await sleep(5);
  assert.ok(performance.now() - t0 < 100, `took ${performance.now() - t0} ms`);
  assert.equal(seen(), 1);
  assert.ok(notified > 0);
  store.dispose();
});

test('1000 events in a burst cost one analysis; 1000 events over a second cost few', async () => {
  const { store, runs } = counting();
  for (let i = 0; i < 1000; i++) store.add(obs(i));
  await sleep(120);
  assert.equal(runs(), 1);
  for (let i = 0; i < 1000; i++) {
    store.add(obs(i));
    if (i % 50 === 0) await sleep(5);
  }
  await sleep(120);
  assert.ok(runs() <= 12, `${runs()} runs`);
  assert.equal(store.getState().observationCount, 2000);
  store.dispose();
});

test('beyond the cap observations are counted as dropped, not kept', () => {
  const store = new PanelStore({ cap: 10, analyze: () => EMPTY });
  store.add(Array.from({ length: 8 }, (_, i) => obs(i)));
  store.add(Array.from({ length: 5 }, (_, i) => obs(100 + i)));
  const s = store.getState();
  assert.equal(s.observationCount, 10);
  assert.deepEqual(s.dropped, { count: 3, firstAt: obs(102).startedAt, lastAt: obs(104).startedAt });
  store.clear();
  assert.equal(store.getState().dropped, null);
  assert.equal(store.getState().observationCount, 0);
  store.dispose();
});

test('navigations are marked with preserve log, and start over without it', () => {
  const store = new PanelStore({ analyze: () => EMPTY, now: () => 5 });
  assert.equal(store.getState().preserveLog, true);
  store.add(obs(1));
  store.navigated('https://app.example.com/a', 10);
  store.navigated('https://app.example.com/b', 20);
  assert.equal(store.getState().observationCount, 1);
  assert.deepEqual(store.getState().navigations.map((n) => n.url), ['https://app.example.com/a', 'https://app.example.com/b']);
  store.setPreserveLog(false);
  store.navigated('https://app.example.com/c', 30);
  assert.equal(store.getState().observationCount, 0);
  assert.deepEqual(store.getState().navigations, [{ url: 'https://app.example.com/c', at: 30 }]);
  store.dispose();
});

test('sources note when they started capturing; clear restarts the note', () => {
  let now = 100;
  const store = new PanelStore({ analyze: () => EMPTY, now: () => now });
  store.capturing('webRequest', 50, 'tab 7');
  store.capturing('hook');
  assert.deepEqual(store.getState().sources.map((s) => [s.source, s.since]), [['webRequest', 50], ['hook', 100]]);
  now = 200;
  store.clear();
  assert.deepEqual(store.getState().sources.map((s) => s.since), [200, 200]);
  store.stopped('hook');
  assert.deepEqual(store.getState().sources.map((s) => s.source), ['webRequest']);
  store.dispose();
});

test('the real analysis runs by default', () => {
  const store = new PanelStore();
  store.add({ kind: 'request', source: 'har', transport: 'WEBSOCKET', url: 'wss://push.example.com/diffusion?ty=WB&v=29&ca=8&r=60000', startedAt: 1_700_000_000_000, status: 0, error: 'net::ERR_FAILED', endedAt: 1_700_000_000_010 });
  store.flush();
  assert.equal(store.getState().analysis.connections.length, 1);
  store.dispose();
});
