import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRequests } from './merge.ts';
import type { RequestObservation } from './model.ts';

const URL = 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29';
const hook = (at: number): RequestObservation => ({ kind: 'request', source: 'hook', transport: 'WEBSOCKET', url: URL, method: 'GET', startedAt: at, error: 'WebSocket error' });
const devtools = (at: number, datedAtEnd: boolean): RequestObservation => ({
  kind: 'request', source: 'devtools', transport: 'WEBSOCKET', url: URL, method: 'GET', startedAt: at, endedAt: at, error: 'net::ERR_CONNECTION_REFUSED', ...(datedAtEnd ? { datedAtEnd } : {}),
});

// A retry storm of refused sockets: the hook dates each at its start; DevTools, late on a busy
// machine, reports each 2.5 s after. Each report meets the hook's record of its own socket.
test('a refused socket reported late by DevTools meets the hook record of the same socket, in order', () => {
  const starts = [0, 300, 600, 900];
  const merged = mergeRequests([...starts.map(hook), ...starts.map((t) => devtools(t + 2500, true))]);
  assert.equal(merged.length, 4);
  assert.deepEqual(merged.map((m) => [m.startedAt, m.sources.sort().join('+'), m.error]), starts.map((t) => [t, 'devtools+hook', 'net::ERR_CONNECTION_REFUSED']));
});

test('an observation dated by its start still merges only within the same-request window', () => {
  const merged = mergeRequests([hook(0), devtools(2500, false)]);
  assert.equal(merged.length, 2);
});

// Some of DevTools' entries have their start, others only their late report: each still meets its own socket.
test('dated and late-reported entries of one retry storm each meet the hook record of their own socket', () => {
  const dated = (start: number, at: number): RequestObservation => ({ ...devtools(at, false), error: `net::ERR_CONNECTION_REFUSED at ${start}` });
  const late = (start: number, at: number): RequestObservation => ({ ...devtools(at, true), error: `net::ERR_CONNECTION_REFUSED at ${start}` });
  const merged = mergeRequests([hook(0), hook(300), hook(600), hook(900), dated(300, 301), late(0, 2500), dated(900, 901), late(600, 2800)]);
  assert.deepEqual(merged.map((m) => [m.startedAt, m.sources.length, m.error]), [0, 300, 600, 900].map((t) => [t, 2, `net::ERR_CONNECTION_REFUSED at ${t}`]));
});
