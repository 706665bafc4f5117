import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathPrefixMismatch } from './path-prefix-mismatch.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

test('one page reaches one host under /lb and under no prefix', () => {
  const trading = connection([attempt({ id: 'lb' })]);
  const news = connection([
    failedAttempt({ id: 'bare-ws', startedAt: T0 + 500, endpoint: { path: '/diffusion', prefix: '' } }),
    failedAttempt({ id: 'bare-xhr', transport: 'XHR', startedAt: T0 + 560, endpoint: { path: '/diffusion', prefix: '' } }),
  ]);
  const [f, ...rest] = pathPrefixMismatch.check([trading, news], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'warning');
  assert.equal(f?.connection, null);
  assert.deepEqual(f?.attempts, ['lb', 'bare-ws', 'bare-xhr']);
  assert.match(f!.message, /https:\/\/app\.example\.com\/trade reached push\.example\.com under 2 different path prefixes: '\/lb' \(1 attempt, connected\) and '' \(2 attempts, never connected\)/);
  assert.match(f!.fix, /set path: '\/lb\/diffusion'/);
});

test('the page query does not appear in the message', () => {
  const page = 'https://app.example.com/trade?session=abc123secret';
  const a = connection([attempt({ pageUrl: page })]);
  const b = connection([failedAttempt({ pageUrl: page, endpoint: { path: '/eu/diffusion', prefix: '/eu' } })]);
  const f = pathPrefixMismatch.check([a, b], context())[0]!;
  assert.ok(!f.message.includes('abc123secret'));
});

test('quiet for one prefix, different pages, and different hosts', () => {
  const same = [connection([attempt()]), connection([failedAttempt({ transport: 'XHR' })])];
  const otherPage = [connection([attempt()]), connection([failedAttempt({ pageUrl: 'https://app.example.com/news', endpoint: { path: '/diffusion', prefix: '' } })])];
  const otherHost = [connection([attempt()]), connection([attempt({ endpoint: { host: 'prices.example.com', path: '/diffusion', prefix: '' } })])];
  for (const cs of [same, otherPage, otherHost]) assert.deepEqual(pathPrefixMismatch.check(cs, context()), []);
});

test('a doubled /diffusion suffix is left to duplicated-diffusion-suffix', () => {
  const a = connection([attempt()]);
  const b = connection([failedAttempt({ endpoint: { path: '/lb/diffusion/diffusion', prefix: '/lb/diffusion' } })]);
  assert.deepEqual(pathPrefixMismatch.check([a, b], context()), []);
});
