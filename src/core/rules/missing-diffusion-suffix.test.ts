import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingDiffusionSuffix } from './missing-diffusion-suffix.ts';
import { runRules } from './index.ts';
import { attempt, connection, context, failedAttempt } from './test-builders.ts';

test('a failed handshake to a path without /diffusion is reported with the path to use', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', endpoint: { path: '/lb', prefix: '' }, url: 'wss://push.example.com/lb?ty=WB&v=29&ca=8&r=60000' }),
    failedAttempt({ id: 'xhr1', transport: 'XHR', endpoint: { path: '/lb', prefix: '' } }),
  ]);
  const [f, ...rest] = missingDiffusionSuffix.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.rule, 'missing-diffusion-suffix');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['ws1', 'xhr1']);
  assert.equal(f?.connection, c.id);
  assert.match(f!.message, /'\/lb' does not end in '\/diffusion'/);
  assert.match(f!.fix, /path: '\/lb\/diffusion'/);
});

test('two different bad paths in one connection give two findings', () => {
  const c = connection([
    failedAttempt({ endpoint: { path: '/lb', prefix: '' } }),
    failedAttempt({ endpoint: { path: '/Diffusion', prefix: '' } }),
  ]);
  assert.equal(missingDiffusionSuffix.check([c], context()).length, 2);
});

test('quiet for /lb/diffusion, for a working custom path, and for a doubled suffix', () => {
  const ok = connection([failedAttempt({ endpoint: { path: '/lb/diffusion' } })]);
  const served = connection([attempt({ endpoint: { path: '/custom', prefix: '' } })]);
  const doubled = connection([failedAttempt({ endpoint: { path: '/lb/diffusion/diffusion' } })]);
  assert.deepEqual(missingDiffusionSuffix.check([ok, served, doubled], context()), []);
  assert.equal(runRules([doubled], context()).some((f) => f.rule === 'missing-diffusion-suffix'), false);
});

test("a path option carrying a query ('/gateway?route=/diffusion') is explained as such", () => {
  const c = connection([
    failedAttempt({ id: 'ws1', endpoint: { path: '/gateway' }, url: 'wss://push.example.com/gateway?route=/diffusion?ty=WB&v=29&ca=8&r=60000' }),
    failedAttempt({ id: 'xhr1', transport: 'XHR', endpoint: { path: '/gateway' }, url: 'https://push.example.com/gateway?route=/diffusion' }),
  ]);
  const [f] = missingDiffusionSuffix.check([c], context());
  assert.deepEqual(f?.attempts, ['ws1', 'xhr1']);
  assert.match(f!.message, /query string \('\?route=\/diffusion'\)/);
  assert.match(f!.fix, /path: '\/gateway\/diffusion'/);
});
