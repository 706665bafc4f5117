import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionLostOnFailover } from './session-lost-on-failover.ts';
import { sessionAffinityLost } from './session-affinity-lost.ts';
import { attempt, connection, context, failedAttempt, polls, rejectedAttempt, T0 } from './test-builders.ts';

test('HAProxy failover: the reconnect carried the sticky cookie, got a new one and 117; no "add a sticky cookie"', () => {
  const c = connection([
    attempt({ id: 'a1', cookies: { SERVERID: ['s1'] } }),
    rejectedAttempt(117, { id: 'a2', startedAt: T0 + 5000, reconnect: true, params: { hasToken: true }, requestHeaders: { cookie: 'SERVERID=s1' }, cookies: { SERVERID: ['s2'] } }),
  ]);
  const [f, ...rest] = sessionLostOnFailover.check([c], context());
  assert.equal(rest.length, 0);
  assert.deepEqual(f!.attempts, ['a2']);
  assert.match(f!.message, /^The session's server went away and the reconnect to .* reached another server, which answered 117 UNKNOWN_SESSION: the reconnect carried the affinity cookie 'SERVERID' and the load balancer answered with a new value/);
  assert.match(f!.message, /a sticky cookie or source-IP affinity cannot save a session whose server died/);
  assert.match(f!.fix, /session replication/);
  assert.doesNotMatch(f!.fix, /sticky|affinity/);
  // The affinity rule does not tell the sticky-cookie story for it.
  assert.deepEqual(sessionAffinityLost.check([c], context()), []);
});

test('the drop shows the server gone: reconnects refused or answered 503 before the 117', () => {
  const c = connection([
    attempt({ id: 'a1' }),
    failedAttempt({ id: 'a2', startedAt: T0 + 1000, reconnect: true, params: { hasToken: true }, error: 'net::ERR_CONNECTION_REFUSED' }),
    rejectedAttempt(117, { id: 'a3', startedAt: T0 + 2000, reconnect: true, params: { hasToken: true } }),
  ]);
  const f = sessionLostOnFailover.check([c], context())[0]!;
  assert.deepEqual(f.attempts, ['a2', 'a3']);
  assert.match(f.message, /1 reconnect attempt before it was answered net::ERR_CONNECTION_REFUSED \(the server was down\)/);
  const xhr = connection([
    attempt({ id: 'x1', transport: 'XHR', polls: polls({ failedStatuses: [503] }) }),
    rejectedAttempt(117, { id: 'x2', transport: 'XHR', startedAt: T0 + 3000, reconnect: true, params: { hasToken: true } }),
  ]);
  assert.match(sessionLostOnFailover.check([xhr], context())[0]!.message, /the session's polls were answered 503 by the proxy/);
});

test('quiet for a 117 without a sign that the server went away (that is affinity), and without 117', () => {
  const noAffinity = connection([attempt({ id: 'a1' }), rejectedAttempt(117, { id: 'a2', startedAt: T0 + 5000, reconnect: true, params: { hasToken: true } })]);
  assert.deepEqual(sessionLostOnFailover.check([noAffinity], context()), []);
  assert.match(sessionAffinityLost.check([noAffinity], context())[0]!.message, /117 UNKNOWN_SESSION/);
  const resumed = connection([attempt({ id: 'b1' }), attempt({ id: 'b2', startedAt: T0 + 5000, reconnect: true, params: { hasToken: true }, requestHeaders: { cookie: 'SERVERID=s1' }, cookies: { SERVERID: ['s2'] } })]);
  assert.deepEqual(sessionLostOnFailover.check([resumed], context()), []);
});
