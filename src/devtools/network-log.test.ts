import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRequests } from '../core/merge.ts';
import type { Observation, RequestObservation } from '../core/model.ts';
import { DevtoolsLog } from './network-log.ts';

const WS = 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29';
const T0 = Date.parse('2026-11-26T10:00:00.000Z');

/** A WebSocket entry as Chrome's DevTools gives it: dated, or (refused before its handshake) not. */
function socket(o: { at?: number; clock?: number; error?: string }): unknown {
  return {
    _resourceType: 'websocket',
    startedDateTime: o.at === undefined ? '1969-12-31T23:59:59.000Z' : new Date(o.at).toISOString(),
    time: o.at === undefined ? o.clock : 3.5,
    request: { method: o.at === undefined ? '' : 'GET', url: WS, headers: [] },
    response: { status: 0, headers: [], content: { size: 0 } },
    _webSocketMessages: o.error === undefined ? [] : [{ type: 'error', time: 1108.8, opcode: -1, data: `Error in connection establishment: ${o.error}` }],
  };
}

function setup(now = () => T0 + 5000) {
  const held = new Map<string, Observation>();
  const log = new DevtoolsLog((list) => { for (const o of list) held.set(o.kind === 'request' ? `request:${o.sourceId ?? ''}` : `page:${o.url}`, o); }, now);
  const requests = () => [...held.values()].filter((o): o is RequestObservation => o.kind === 'request');
  return { log, requests };
}

test('a socket finished while a getHAR answer was on its way keeps its finished entry', () => {
  const { log, requests } = setup();
  const answer = log.askedForLog();
  log.finished(socket({ at: T0, error: 'net::ERR_CONNECTION_RESET' }));
  answer({ entries: [socket({ at: T0 })] }); // the log as it was when asked: still open
  assert.deepEqual(requests().map((r) => r.error), ['Error in connection establishment: net::ERR_CONNECTION_RESET']);
  // Once answered, a later backfill's entry may replace a live one again (the same finished entry).
  log.askedForLog()({ entries: [socket({ at: T0, error: 'net::ERR_CONNECTION_RESET' })] });
  assert.equal(requests().length, 1);
});

test('an undated socket is one request whether it came live, in a getHAR answer, or both', () => {
  const { log, requests } = setup();
  const answer = log.askedForLog();
  log.finished(socket({ clock: 1109804.783, error: 'net::ERR_CONNECTION_RESET' }));
  log.finished(socket({ clock: 1109938.625, error: 'net::ERR_CONNECTION_RESET' }));
  answer({ entries: [socket({ clock: 1109804.783, error: 'net::ERR_CONNECTION_RESET' }), socket({ clock: 1109938.625, error: 'net::ERR_CONNECTION_RESET' })] });
  const r = requests();
  assert.equal(r.length, 2);
  // Dated by the report, as the end of the socket.
  assert.ok(r.every((o) => o.datedAtEnd === true && o.startedAt === T0 + 5000 && o.startUnknown === undefined));
});

test('an undated socket still open in a getHAR answer is left for its finished report', () => {
  const { log, requests } = setup();
  assert.equal(log.askedForLog()({ entries: [socket({ clock: 0 })] }), 0);
  assert.equal(requests().length, 0);
  log.finished(socket({ at: T0 + 100, error: 'net::ERR_CONNECTION_RESET' }));
  assert.equal(requests().length, 1);
});

// A retry storm the panel learns of from getHAR: dated and undated refused sockets, in the order the
// page made them (the hook dates a socket a few ms before DevTools does). Each meets the hook's
// record of its own socket, and says the network's error.
test('undated sockets of a getHAR answer meet the hook records of their own sockets, in order', () => {
  const { log, requests } = setup();
  const starts = [0, 100, 200, 300, 400].map((t) => T0 + t);
  log.askedForLog()({
    entries: [
      socket({ at: starts[0], error: 'net::ERR_CONNECTION_RESET at 0' }),
      socket({ clock: 5000.5, error: 'net::ERR_CONNECTION_RESET at 100' }),
      socket({ clock: 5100.5, error: 'net::ERR_CONNECTION_RESET at 200' }),
      socket({ at: starts[3], error: 'net::ERR_CONNECTION_RESET at 300' }),
      socket({ clock: 5300.5, error: 'net::ERR_CONNECTION_RESET at 400' }),
    ],
  });
  const hook = starts.map((t, i): RequestObservation => ({ kind: 'request', source: 'hook', sourceId: `s${i}`, transport: 'WEBSOCKET', url: WS, method: 'GET', startedAt: t - 9, error: 'WebSocket error' }));
  const merged = mergeRequests([...hook, ...requests()]);
  assert.deepEqual(merged.map((m) => [m.sources.length, m.error]), [0, 100, 200, 300, 400].map((t) => [2, `Error in connection establishment: net::ERR_CONNECTION_RESET at ${t}`]));
});

test('an answer that is not a log adds nothing and does not keep keys forever', () => {
  const { log, requests } = setup();
  const answer = log.askedForLog();
  log.finished(socket({ at: T0, error: 'net::ERR_CONNECTION_RESET' }));
  assert.throws(() => answer({ entries: 'nonsense' }));
  // Answered (badly): a later answer's copy replaces the live entry as usual.
  log.askedForLog()({ entries: [socket({ at: T0, error: 'net::ERR_CONNECTION_REFUSED' })] });
  assert.deepEqual(requests().map((r) => r.error), ['Error in connection establishment: net::ERR_CONNECTION_REFUSED']);
});
