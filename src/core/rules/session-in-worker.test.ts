import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionInWorker } from './session-in-worker.ts';
import { attempt, connection, context } from './test-builders.ts';

test('a page that loaded diffusion-worker.js: info that the session runs in a SharedWorker, and where to inspect it', () => {
  const ctx = context({ workers: [{ url: 'https://app.example.com/eu/app/diffusion-worker.js?v=3&token=abc', startedAt: 0, status: 0, pageUrl: 'https://app.example.com/eu/app/?user=x' }] });
  const [f, ...rest] = sessionInWorker.check([], ctx);
  assert.equal(rest.length, 0);
  assert.equal(f!.severity, 'info');
  assert.equal(f!.connection, null);
  assert.match(f!.message, /^The page https:\/\/app\.example\.com\/eu\/app\/ loaded the worker script https:\/\/app\.example\.com\/eu\/app\/diffusion-worker\.js: it runs its Diffusion session in a SharedWorker/);
  assert.match(f!.message, /This capture holds no Diffusion connection of the page itself/);
  assert.doesNotMatch(f!.message, /token=abc|user=x/, 'no query of the page or the script');
  assert.match(f!.fix, /chrome:\/\/inspect\/#workers/);
  assert.match(f!.fix, /about:debugging/);
  assert.match(sessionInWorker.check([connection([attempt()])], ctx)[0]!.message, /The 1 connection in this capture is the page's own/);
});

test('quiet without a worker script', () => {
  assert.deepEqual(sessionInWorker.check([connection([attempt()])], context()), []);
});
