// The store without a browser: throttled analysis, the cap and its note, navigation markers, clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis, Observation, RequestObservation } from '../src/core/model.ts';
import { PanelStore } from './store.ts';

const EMPTY: Analysis = { connections: [], findings: [], verdicts: [], context: { pages: [], preflights: [] } };

function obs(i: number): RequestObservation {
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

test('upsert replaces an observation by source and source id, keeps its place, and appends new ones', () => {
  const seen: Observation[][] = [];
  const store = new PanelStore({ analyze: (o) => { seen.push([...o]); return EMPTY; } });
  const open: Observation = { ...obs(1), sourceId: 'doc:1' };
  const other: Observation = { ...obs(2), sourceId: 'doc:2' };
  const sameIdOtherSource: Observation = { ...obs(3), source: 'webRequest', sourceId: 'doc:1' };
  store.upsert([open, other, sameIdOtherSource]);
  const upgraded: Observation = { ...open, status: 101, endedAt: open.startedAt + 5 };
  store.upsert([upgraded]);
  store.flush();
  assert.equal(store.getState().observationCount, 3);
  assert.deepEqual(store.getObservations(), [upgraded, other, sameIdOtherSource]);
  assert.deepEqual(seen.at(-1), [upgraded, other, sameIdOtherSource]);
  // without a source id there is nothing to match: appended
  store.upsert([obs(4), obs(4)]);
  assert.equal(store.getState().observationCount, 5);
  store.dispose();
});

test('upsert keys pages by source, url and time; it also replaces what add put in; clear forgets the keys', () => {
  const store = new PanelStore({ analyze: () => EMPTY });
  const page = { kind: 'page', source: 'hook', url: 'https://app.example.com/', startedAt: 10 } as Observation;
  store.add([page, { ...obs(1), sourceId: 'a' }]);
  const later = { ...page, clientVersion: '6.12.1' } as Observation;
  store.upsert([later, { ...page, startedAt: 20 } as Observation, { ...obs(1), sourceId: 'a', status: 101 }]);
  assert.deepEqual(store.getObservations().map((o) => [o.kind, o.startedAt]), [['page', 10], ['request', obs(1).startedAt], ['page', 20]]);
  assert.equal(store.getObservations()[0], later);
  assert.equal((store.getObservations()[1] as { status?: number }).status, 101);
  store.clear();
  store.upsert([{ ...obs(1), sourceId: 'a' }]);
  assert.equal(store.getState().observationCount, 1);
  store.dispose();
});

test('upsert beyond the cap still replaces held observations and counts new ones as dropped', () => {
  const store = new PanelStore({ cap: 2, analyze: () => EMPTY });
  store.upsert([{ ...obs(1), sourceId: 'a' }, { ...obs(2), sourceId: 'b' }, { ...obs(3), sourceId: 'c' }]);
  assert.equal(store.getState().dropped?.count, 1);
  store.upsert([{ ...obs(1), sourceId: 'a', status: 101 }]);
  assert.equal(store.getState().observationCount, 2);
  assert.equal(store.getState().dropped?.count, 1);
  assert.equal((store.getObservations()[0] as { status?: number }).status, 101);
  store.dispose();
});

test('the background\'s dropped count and the access state are held until cleared or unset', async () => {
  const store = new PanelStore({ analyze: () => EMPTY });
  store.setBackgroundDropped(12);
  assert.equal(store.getState().backgroundDropped, 12);
  store.clear();
  assert.equal(store.getState().backgroundDropped, 0);
  let asked = 0;
  const access = { missing: true, request: async () => { asked++; return true; } };
  store.setAccess(access);
  assert.equal(store.getState().access, access);
  assert.equal(await store.getState().access?.request(), true);
  assert.equal(asked, 1);
  store.setAccess(null);
  assert.equal(store.getState().access, null);
  store.dispose();
});

test('an analysis that throws on one update is reported, the previous result stays, and the next update recovers', () => {
  const good: Analysis = { ...EMPTY, findings: [{ rule: 'retry-storm', severity: 'warning', message: 'm', fix: 'f', connection: null, attempts: [] }] };
  let fail = false;
  const store = new PanelStore({ throttleMs: 0, analyze: () => { if (fail) throw new TypeError('list.push is not a function'); return good; } });
  store.add(obs(1));
  store.flush();
  assert.equal(store.getState().analysis, good);
  fail = true;
  store.add(obs(2));
  store.flush();
  assert.equal(store.getState().analysis, good);
  assert.match(store.getState().analysisError ?? '', /the analysis of the latest update failed \(list\.push is not a function\): showing the previous result/);
  fail = false;
  store.add(obs(3));
  store.flush();
  assert.equal(store.getState().analysisError, null);
  store.dispose();
});

test('the real analysis survives cookies and headers named like Object.prototype members', () => {
  const store = new PanelStore({ throttleMs: 0 });
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
  const base = { kind: 'request' as const, source: 'hook' as const, transport: 'XHR' as const, url: 'http://h/diffusion', method: 'POST', startedAt: 1_700_000_000_000 };
  const headers = (pairs: [string, string][]) => Object.fromEntries(pairs.map(([k, v]) => [k, v]));
  store.add([
    { ...base, sourceId: '1', requestHeaders: headers([['m', '0'], ['ty', 'B'], ['v', '29'], ...names.map((n): [string, string] => [n, 'x'])]),
      responseHeaders: headers([['set-cookie', names.map((n) => `${n}=1`).join('\n')]]) },
    { ...base, sourceId: '2', startedAt: base.startedAt + 10, requestHeaders: headers([['m', '1'], ['c', 'tok'], ['cookie', names.map((n) => `${n}=2`).join('; ')]]) },
  ]);
  store.flush();
  assert.equal(store.getState().analysisError, null);
  assert.equal(store.getState().analysis.connections.length, 1);
  store.dispose();
});

test('the store learns each request\'s secrets as it arrives, keeps them across navigations and forgets them on Clear', () => {
  const store = new PanelStore({ analyze: () => EMPTY, preserveLog: false });
  const password = 'hunter2-secret';
  const tunnel = encodeURIComponent(Buffer.from([1, password.length, ...Buffer.from(password)]).toString('base64'));
  store.upsert([{ ...obs(1), sourceId: 'a', url: `wss://h/diffusion?ty=WB&v=29&username=u&password=${tunnel}` }]);
  const seen = `https://app/?next=${Buffer.from(password).toString('base64')}`;
  assert.equal(store.getSecrets().redact(seen), 'https://app/?next=[redacted]');
  store.navigated('https://app/other');
  assert.equal(store.getSecrets().redact(password), '[redacted]');
  store.clear();
  assert.equal(store.getSecrets().redact(password), password);
});
