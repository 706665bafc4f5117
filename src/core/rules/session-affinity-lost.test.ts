import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionAffinityLost } from './session-affinity-lost.ts';
import { runRules } from './index.ts';
import { attempt, connection, context, polls, rejectedAttempt, shownText, T0 } from './test-builders.ts';

test('polls answered diffusion-connection: reconnect', () => {
  const c = connection([attempt({ id: 'x1', transport: 'XHR', polls: polls({ reconnectSignals: 3 }) })]);
  const [f, ...rest] = sessionAffinityLost.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['x1']);
  assert.match(f!.message, /3 poll answers carried 'diffusion-connection: reconnect'/);
  assert.match(f!.fix, /affinity/);
});

test('117 UNKNOWN_SESSION answering a reconnect, reported here and not as connection-rejected', () => {
  const c = connection([
    attempt({ id: 'ws1', closeCode: 1006, closedAt: T0 + 30_000 }),
    rejectedAttempt(117, { id: 'ws2', startedAt: T0 + 35_000, reconnect: true, params: { hasToken: true } }),
  ]);
  const f = sessionAffinityLost.check([c], context())[0]!;
  assert.deepEqual(f.attempts, ['ws2']);
  assert.match(f.message, /117 UNKNOWN_SESSION/);
  const rules = runRules([c], context()).map((x) => x.rule);
  assert.ok(rules.includes('session-affinity-lost') && !rules.includes('connection-rejected'));
});

test('a session cookie that changes value names the cookie, never its values', () => {
  const c = connection([attempt({ id: 'x1', transport: 'XHR', polls: polls(), cookies: { SERVERID: ['srv-a91f', 'srv-b27c'], theme: ['dark'] } })]);
  const findings = sessionAffinityLost.check([c], context());
  assert.deepEqual(findings[0]?.attempts, ['x1']);
  const text = shownText(findings);
  assert.match(text, /'SERVERID' changed value/);
  assert.ok(!text.includes('srv-a91f') && !text.includes('srv-b27c') && !text.includes('theme'));
});

test('all evidence of one connection is one finding', () => {
  const c = connection([
    attempt({ id: 'x1', transport: 'XHR', polls: polls({ reconnectSignals: 1 }), cookies: { JSESSIONID: ['A1', 'B2'] } }),
    rejectedAttempt(117, { id: 'x2', transport: 'XHR', startedAt: T0 + 40_000, reconnect: true, params: { hasToken: true } }),
  ]);
  const findings = sessionAffinityLost.check([c], context());
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]!.attempts, ['x1', 'x2']);
});

test('quiet for a clean session, a repeated cookie value, and AWSALB which the load balancer re-issues', () => {
  const c = connection([
    attempt({ transport: 'XHR', polls: polls(), cookies: { SERVERID: ['srv-a91f', 'srv-a91f'], AWSALB: ['x1', 'x2', 'x3'] } }),
    attempt({ startedAt: T0 + 60_000, reconnect: true, params: { hasToken: true } }),
  ]);
  assert.deepEqual(sessionAffinityLost.check([c], context()), []);
});

test('the fix names HAProxy\'s cookie insert or balance source when HAProxy answered, and stays generic otherwise', () => {
  const roundRobin = (answerText?: string) => connection([attempt({ id: 'x1', transport: 'XHR', polls: polls({ reconnectSignals: 1 }), ...(answerText ? { answerText } : {}) })]);
  const haproxy = sessionAffinityLost.check([roundRobin('<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>')], context())[0]!;
  assert.match(haproxy.fix, /cookie SERVERID insert indirect nocache .* or balance source/);
  const generic = sessionAffinityLost.check([roundRobin()], context())[0]!;
  assert.match(generic.fix, /^Give the load balancer session affinity for '\/lb\/diffusion': a sticky cookie or source-IP affinity/);
  assert.doesNotMatch(generic.fix, /HAProxy|nginx/);
});
