import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WireObservation } from '../core/serialize.ts';
import { TabStore, type SessionArea } from './tab-store.ts';

// An in-memory stand-in with storage.session's contract: values are copied through JSON as Chrome does.
function memoryArea(): SessionArea & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    async get(keys) { return Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, JSON.parse(data.get(k)!)])); },
    async set(items) { for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v)); },
    async remove(keys) { for (const k of keys) data.delete(k); },
  };
}

const req = (id: string, at: number, extra: Partial<WireObservation> = {}): WireObservation =>
  ({ kind: 'request', source: 'hook', sourceId: id, transport: 'WEBSOCKET', url: 'ws://127.0.0.1/diffusion?ty=WB&v=29', startedAt: at, ...extra }) as WireObservation;

test('a later observation of the same request replaces the earlier one', async () => {
  const store = new TabStore(memoryArea());
  await store.upsert(1, [req('s1', 10)]);
  await store.upsert(1, [req('s1', 10, { status: 101 } as Partial<WireObservation>)]);
  await store.upsert(1, [req('s2', 20)]);
  const snap = await store.snapshot(1);
  assert.equal(snap.observations.length, 2);
  assert.equal((snap.observations[0] as { status?: number }).status, 101);
  assert.equal(snap.since.hook, 10);
});

test('a new worker reads what the stopped one wrote', async () => {
  const area = memoryArea();
  const first = new TabStore(area, { flushMs: 1 });
  await first.upsert(7, [req('a', 1), req('b', 2)]);
  await first.navigate(7, 'http://127.0.0.1/next', 3, true);
  await first.flush(7);
  const second = new TabStore(area);
  const snap = await second.snapshot(7);
  assert.deepEqual(snap.observations.map((o) => (o as { sourceId?: string }).sourceId), ['a', 'b']);
  assert.deepEqual(snap.navigations, [{ url: 'http://127.0.0.1/next', at: 3 }]);
});

test('the cap drops the oldest and counts them', async () => {
  const store = new TabStore(memoryArea(), { maxObservations: 3 });
  await store.upsert(1, [1, 2, 3, 4, 5].map((i) => req(`s${i}`, i)));
  const snap = await store.snapshot(1);
  assert.deepEqual(snap.observations.map((o) => o.startedAt), [3, 4, 5]);
  assert.equal(snap.dropped, 2);
});

test('navigation without preserve-log starts over; clear and forget empty the tab', async () => {
  const area = memoryArea();
  const store = new TabStore(area, { flushMs: 1 });
  await store.upsert(1, [req('old', 1), req('new', 50)]);
  await store.navigate(1, 'http://127.0.0.1/', 10, false);
  assert.deepEqual((await store.snapshot(1)).observations.map((o) => o.startedAt), [50]);
  await store.clear(1);
  assert.equal((await store.snapshot(1)).observations.length, 0);
  await store.forget(1);
  assert.equal(area.data.has('tab:1'), false);
});

test('tabs are kept apart', async () => {
  const store = new TabStore(memoryArea());
  await store.upsert(1, [req('x', 1)]);
  await store.upsert(2, [req('x', 1), req('y', 2)]);
  assert.equal((await store.snapshot(1)).observations.length, 1);
  assert.equal((await store.snapshot(2)).observations.length, 2);
});
