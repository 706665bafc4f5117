// The flat rows behind the connections list: markers in time order, reconnects and drops under their
// connection, folding, and the filter over host, path, rule and outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis } from '../../src/core/model.ts';
import { attempt, connection, T0 } from '../../src/core/rules/test-builders.ts';
import { buildIndexes, buildRows, filterConnections } from './rows.ts';
import { cascadeText } from './describe.ts';

function sample(): Analysis {
  const ws = attempt({ transport: 'WEBSOCKET', result: 'failed', httpStatus: 0, error: 'net::ERR_FAILED', response: null, startedAt: T0, endedAt: T0 + 30 });
  const xhr = attempt({ transport: 'XHR', startedAt: T0 + 40, endedAt: T0 + 90, closedAt: T0 + 5000 });
  const again = attempt({ transport: 'XHR', reconnect: true, startedAt: T0 + 6000, endedAt: T0 + 6040 });
  const c1 = connection([ws, xhr, again], { id: 'c1' });
  const c2 = connection([attempt({ startedAt: T0 + 20_000, endedAt: T0 + 20_050, endpoint: { host: 'other.example.com', path: '/diffusion' } })], { id: 'c2' });
  return { connections: [c1, c2], findings: [{ rule: 'websocket-unavailable', severity: 'warning', message: 'm', fix: 'f', connection: 'c1', attempts: [ws.id] }], verdicts: [], context: { pages: [], preflights: [] } };
}

test('rows: markers before the connections that follow them; drops and reconnects under their connection', () => {
  const a = sample();
  const rows = buildRows(a.connections, [{ url: 'https://app.example.com/a', at: T0 - 10 }, { url: 'https://app.example.com/b', at: T0 + 10_000 }], new Set());
  assert.deepEqual(rows.map((r) => r.kind), ['nav', 'connection', 'drop', 'reconnect', 'nav', 'connection']);
  const first = rows[1]!;
  assert.ok(first.kind === 'connection' && first.first);
  assert.equal(cascadeText(first.first.attempts), 'WEBSOCKET failed (status 0, net::ERR_FAILED) → XHR connected (100 OK)');
  const folded = buildRows(a.connections, [], new Set(['c1']));
  assert.deepEqual(folded.map((r) => r.kind), ['connection', 'connection']);
});

test('filter: host, path, outcome and rule id', () => {
  const a = sample();
  const idx = buildIndexes(a);
  assert.deepEqual(filterConnections(a, 'other.example', idx).map((c) => c.id), ['c2']);
  assert.deepEqual(filterConnections(a, 'websocket-unavailable', idx).map((c) => c.id), ['c1']);
  assert.deepEqual(filterConnections(a, '/lb', idx).map((c) => c.id), ['c1']);
  assert.equal(filterConnections(a, 'connected', idx).length, 2);
});

test('a marker reported after its page had connected (Firefox) stands before that page\'s first connection', () => {
  const page = (url: string, at: number, id: string) => connection([attempt({ startedAt: at, endedAt: at + 30 })], { id, pageUrl: url });
  const a = page('https://app.example.com/a', T0, 'c1');
  const b = page('https://app.example.com/b', T0 + 5000, 'c2');
  const late = [{ url: 'https://app.example.com/a', at: T0 + 800 }, { url: 'https://app.example.com/b', at: T0 + 5900 }];
  const rows = buildRows([a, b], late, new Set());
  assert.deepEqual(rows.map((r) => (r.kind === 'nav' ? `nav ${r.marker.url.slice(-1)}` : r.key)), ['nav a', 'c1', 'nav b', 'c2']);
  // A marker for a page with no connection of its own keeps its time.
  const other = buildRows([a, b], [{ url: 'https://app.example.com/x', at: T0 + 800 }], new Set());
  assert.deepEqual(other.map((r) => (r.kind === 'nav' ? 'nav' : r.key)), ['c1', 'nav', 'c2']);
});
