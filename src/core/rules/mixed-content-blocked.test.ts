import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixedContentBlocked } from './mixed-content-blocked.ts';
import { attempt, connection, context, failedAttempt, PASSWORD, shownText, tunnel } from './test-builders.ts';

const insecure = { secure: false, port: 80 };

test('ws:// from an https page blocked with a SecurityError', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', endpoint: insecure, error: "SecurityError: Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS." }),
  ]);
  const [f, ...rest] = mixedContentBlocked.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.attempts, ['ws1']);
  assert.match(f!.message, /https:\/\/app\.example\.com/);
  assert.match(f!.message, /ws:\/\/push\.example\.com:80\/lb\/diffusion/);
  assert.match(f!.message, /SecurityError/);
  assert.match(f!.fix, /secure: true/);
});

test('http:// XHR from an https page that failed with status 0 and no error text', () => {
  const c = connection([failedAttempt({ id: 'x1', transport: 'XHR', endpoint: insecure, error: null, httpStatus: 0 })]);
  assert.deepEqual(mixedContentBlocked.check([c], context())[0]?.attempts, ['x1']);
});

test('the mixed-content error text may quote the URL with the password: it is never shown', () => {
  const url = `ws://push.example.com/lb/diffusion?ty=WB&v=29&ca=8&r=60000&username=alice&password=${encodeURIComponent(tunnel(PASSWORD))}`;
  const c = connection([failedAttempt({
    endpoint: insecure, url, params: { principal: 'alice' }, password: PASSWORD,
    error: `Mixed Content: The page at 'https://app.example.com/trade' was loaded over HTTPS, but attempted to connect to the insecure WebSocket endpoint '${url}'.`,
  })]);
  const text = shownText(mixedContentBlocked.check([c], context()));
  assert.match(text, /mixed-content/);
  assert.ok(!text.includes(PASSWORD) && !text.includes(tunnel(PASSWORD)) && !text.includes(encodeURIComponent(tunnel(PASSWORD))));
});

test('quiet for an http page, a wss attempt, a loopback host and an insecure attempt that connected', () => {
  const httpPage = connection([failedAttempt({ endpoint: insecure, pageUrl: 'http://app.example.com/trade' })]);
  const secure = connection([failedAttempt({ error: 'net::ERR_FAILED' })]);
  const loopback = connection([failedAttempt({ endpoint: { ...insecure, host: 'localhost', port: 8080 }, error: 'net::ERR_CONNECTION_REFUSED' })]);
  const connected = connection([attempt({ endpoint: insecure })]);
  assert.deepEqual(mixedContentBlocked.check([httpPage, secure, loopback, connected], context()), []);
});
