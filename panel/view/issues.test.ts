// What the findings area lists and what each connection row says: verdicts first when the analysis
// has them (synthetic verdicts here), the findings otherwise; rows in words, with the verdict's title
// or, without one, a sentence from the cascade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analysis, Finding, Verdict } from '../../src/core/model.ts';
import { attempt, connection, response, T0 } from '../../src/core/rules/test-builders.ts';
import { headline } from './describe.ts';
import { issuesOf } from './issues.ts';
import { buildIndexes } from './rows.ts';

const ws = attempt({ transport: 'WEBSOCKET', result: 'failed', httpStatus: 200, error: 'Unexpected response code: 200', response: null, startedAt: T0, endedAt: T0 + 30 });
const xhr = attempt({ transport: 'XHR', startedAt: T0 + 40, endedAt: T0 + 90 });
const c1 = connection([ws, xhr], { id: 'c1' });
const denied = attempt({ transport: 'WEBSOCKET', result: 'rejected', response: response(116), startedAt: T0 + 1000, endedAt: T0 + 1030 });
const c2 = connection([denied], { id: 'c2', outcome: 'rejected' });
const cause: Finding = { rule: 'websocket-unavailable', severity: 'warning', message: 'The WebSocket attempt failed', fix: 'Pass upgrades', connection: 'c1', attempts: [ws.id] };
const consequence: Finding = { rule: 'credentials-in-url', severity: 'info', message: 'Credentials in the URL', fix: '', connection: 'c1', attempts: [ws.id] };
const rejected: Finding = { rule: 'connection-rejected', severity: 'error', message: 'answered with 116 AUTHENTICATION_FAILED', fix: 'Check the principal', connection: 'c2', attempts: [denied.id] };

function analysis(verdicts: Verdict[]): Analysis {
  return { connections: [c1, c2], findings: [cause, consequence, rejected], verdicts, context: { pages: [], preflights: [] } };
}

const verdict: Verdict = {
  id: 'websocket-unavailable#1', rule: 'websocket-unavailable', severity: 'warning',
  title: 'WebSocket upgrade stripped: the proxy answered 200 instead of 101', message: 'A proxy on the path serves the upgrade as plain HTTP.',
  evidence: ['a1 WEBSOCKET status 200'], fix: 'Pass upgrades', connections: ['c1'], attempts: [ws.id], causes: [cause], consequences: [consequence],
};

test('with verdicts, the findings area lists them, consequences folded into their verdict', () => {
  const a = analysis([verdict]);
  const items = issuesOf(a, '', buildIndexes(a));
  assert.equal(items.length, 1);
  assert.equal(items[0]!.verdict, true);
  assert.equal(items[0]!.title, 'WebSocket upgrade stripped: the proxy answered 200 instead of 101');
  assert.deepEqual(items[0]!.consequences.map((f) => f.rule), ['credentials-in-url']);
  assert.deepEqual(issuesOf(a, 'no-such-thing', buildIndexes(a)), []);
  assert.equal(issuesOf(a, 'credentials-in-url', buildIndexes(a)).length, 1, 'a consequence matching the filter keeps its verdict');
});

test('without verdicts, the findings themselves, each with the connections it is about', () => {
  const a = analysis([]);
  const items = issuesOf(a, '', buildIndexes(a));
  assert.deepEqual(items.map((i) => [i.rule, i.verdict, i.connections.join()]), [['websocket-unavailable', false, 'c1'], ['credentials-in-url', false, 'c1'], ['connection-rejected', false, 'c2']]);
  assert.equal(items[2]!.title, 'answered with 116 AUTHENTICATION_FAILED');
});

test('a row says what happened and why: the verdict\'s title, else words from the cascade', () => {
  const a = analysis([verdict]);
  assert.equal(headline(c1, buildIndexes(a).verdictByConnection.get('c1')), 'WebSocket upgrade stripped: the proxy answered 200 instead of 101');
  assert.equal(headline(c1, undefined), 'Connected over XHR after WEBSOCKET answered 200 instead of 101');
  assert.equal(headline(c2, undefined), 'Rejected by the server: 116 AUTHENTICATION_FAILED');
  const failedBoth = connection([attempt({ transport: 'WEBSOCKET', result: 'failed', httpStatus: 0, error: 'net::ERR_FAILED', response: null }), attempt({ transport: 'XHR', result: 'failed', httpStatus: 404, response: null })], { id: 'c3', outcome: 'exhausted' });
  assert.equal(headline(failedBoth, undefined), 'No transport connected: WEBSOCKET status 0, net::ERR_FAILED, XHR status 404');
  assert.equal(headline({ ...c1, outcome: 'closed' }, undefined), 'Closed by the application after connecting over XHR');
  assert.equal(headline({ ...c1, outcome: 'lost' }, undefined), 'Lost its session');
});
