import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplicatedDiffusionSuffix } from './duplicated-diffusion-suffix.ts';
import { runRules } from './index.ts';
import { attempt, connection, context, failedAttempt } from './test-builders.ts';

const doubled = { path: '/lb/diffusion/diffusion', prefix: '/lb/diffusion' };

test("a path configured as '/lb/diffusion/' is reported with the path to set", () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 0, endpoint: doubled }),
    failedAttempt({ id: 'xhr1', transport: 'XHR', httpStatus: 404, error: null, endpoint: doubled }),
  ]);
  const findings = duplicatedDiffusionSuffix.check([c], context());
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.attempts, ['ws1', 'xhr1']);
  assert.match(f.message, /'\/lb\/diffusion\/'/);
  assert.equal(f.fix, "Set path to '/lb/diffusion' (without the trailing slash).");
});

test("'/diffusion/' doubles to /diffusion/diffusion", () => {
  const c = connection([failedAttempt({ endpoint: { path: '/diffusion/diffusion', prefix: '/diffusion' } })]);
  assert.equal(duplicatedDiffusionSuffix.check([c], context())[0]?.fix, "Set path to '/diffusion' (without the trailing slash).");
});

test('does not also raise missing-diffusion-suffix', () => {
  const c = connection([failedAttempt({ endpoint: doubled })]);
  const rules = runRules([c], context()).map((f) => f.rule);
  assert.ok(rules.includes('duplicated-diffusion-suffix'));
  assert.ok(!rules.includes('missing-diffusion-suffix'));
});

test('quiet for a single suffix and for a doubled path the server answered', () => {
  const single = connection([failedAttempt({ endpoint: { path: '/lb/diffusion' } })]);
  const served = connection([attempt({ endpoint: doubled })]);
  assert.deepEqual(duplicatedDiffusionSuffix.check([single, served], context()), []);
});
