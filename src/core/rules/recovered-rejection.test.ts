import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recoveredRejection } from './recovered-rejection.ts';
import { connectionRejected } from './connection-rejected.ts';
import { attempt, connection, context, rejectedAttempt, T0 } from './test-builders.ts';

test('119 then a connection one second later: a warning that the application recovered, not an error', () => {
  const rejected = connection([rejectedAttempt(119, { id: 'a1' })], { id: 'c1' });
  const retried = connection([attempt({ id: 'a2', startedAt: T0 + 1000 })], { id: 'c2' });
  const [f, ...rest] = recoveredRejection.check([rejected, retried], context());
  assert.equal(rest.length, 0);
  assert.equal(f!.severity, 'warning');
  assert.equal(f!.connection, 'c1');
  assert.deepEqual(f!.attempts, ['a1', 'a2']);
  assert.match(f!.message, /answered 119 REJECTED_SERVER_INITIALISING, and 1 s later connection c2 connected to the same endpoint: the rejection was transient and the application recovered/);
  assert.match(f!.fix, /^Nothing is broken now/);
  assert.deepEqual(connectionRejected.check([rejected, retried], context()), [], 'no error for the recovered rejection');
});

test('quiet when nothing connected after the 119, when the success came too late, and for a fatal rejection', () => {
  const alone = connection([rejectedAttempt(119)]);
  assert.deepEqual(recoveredRejection.check([alone], context()), []);
  assert.equal(connectionRejected.check([alone], context())[0]!.severity, 'error');
  const late = [connection([rejectedAttempt(119)]), connection([attempt({ startedAt: T0 + 120_000 })])];
  assert.deepEqual(recoveredRejection.check(late, context()), []);
  const auth = [connection([rejectedAttempt(116)]), connection([attempt({ startedAt: T0 + 1000 })])];
  assert.deepEqual(recoveredRejection.check(auth, context()), []);
});
