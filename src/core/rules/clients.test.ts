// The rules in each client family's own terms: which families can fall back to polling, how each one
// sets its path, Python's urljoin, credentials in headers, and the response codes by protocol version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientFamily, Connection } from '../model.ts';
import { noFallbackTransport } from './no-fallback-transport.ts';
import { missingDiffusionSuffix } from './missing-diffusion-suffix.ts';
import { duplicatedDiffusionSuffix } from './duplicated-diffusion-suffix.ts';
import { websocketUnavailable } from './websocket-unavailable.ts';
import { credentialsInUrl } from './credentials-in-url.ts';
import { connectionRejected } from './connection-rejected.ts';
import { attempt, connection, context, failedAttempt, rejectedAttempt, T0 } from './test-builders.ts';
import { familyOf } from '../diffusion/response-codes.ts';

const of = (client: ClientFamily, c: Connection): Connection => ({ ...c, client });

test('no-fallback-transport only for families that have a polling transport, in their own terms', () => {
  const onlyWs = () => connection([failedAttempt(), failedAttempt({ startedAt: T0 + 5000 })]);
  for (const family of ['node', 'apple', 'python', 'dotnet', 'c', 'unknown'] as const) {
    assert.deepEqual(noFallbackTransport.check([of(family, onlyWs())], context()), [], `${family} has nothing to fall back to`);
  }
  const [java] = noFallbackTransport.check([of('java', onlyWs())], context());
  assert.match(java!.fix, /HTTP_POLLING after WEBSOCKET in the session factory's transports \(transports\(WEBSOCKET, HTTP_POLLING\)\)/);
  assert.match(noFallbackTransport.check([of('android', onlyWs())], context())[0]!.fix, /HTTP_POLLING/);
  assert.match(noFallbackTransport.check([of('browser', onlyWs())], context())[0]!.fix, /transports: \['WEBSOCKET', 'XHR'\]/);
  assert.deepEqual(noFallbackTransport.clients, ['browser', 'java', 'android']);
});

test('a missing /diffusion suffix is explained in the words of the client that sent it', () => {
  const bad = () => connection([failedAttempt({ endpoint: { path: '/lb/push', secure: true } })]);
  const java = missingDiffusionSuffix.check([of('java', bad())], context())[0]!;
  assert.match(java.message, /The Java client sends the session factory's request path as it is/);
  assert.match(java.fix, /^Set the session factory's request path to '\/lb\/push\/diffusion' \(requestPath\("\/lb\/push\/diffusion"\)\): it must end in '\/diffusion'/);
  const apple = missingDiffusionSuffix.check([of('apple', bad())], context())[0]!;
  assert.match(apple.message, /The Apple client uses the URL the application gives it as it is/);
  assert.match(apple.fix, /Give the Apple client a URL whose path is '\/lb\/push\/diffusion': it uses the URL as given, so the URL must end in '\/diffusion'/);
  const browser = missingDiffusionSuffix.check([bad()], context())[0]!;
  assert.match(browser.message, /The Diffusion client always adds '\/diffusion'/);
  assert.match(browser.fix, /path: '\/lb\/push\/diffusion'/);
});

test('a doubled suffix from a Python URL ending in /diffusion/', () => {
  const c = of('python', connection([failedAttempt({ endpoint: { path: '/lb/diffusion/diffusion' } })]));
  const [f] = duplicatedDiffusionSuffix.check([c], context());
  assert.match(f!.message, /the application's URL ended in '\/lb\/diffusion\/' and the Python client appends 'diffusion' to it \(urljoin\(url, "diffusion"\)\)/);
  assert.equal(f!.fix, "Give the Python client the URL without '/diffusion' ('…/lb/').");
});

test("a Python 404 on a bare /diffusion names urljoin, which drops a prefix without a trailing slash", () => {
  const c = of('python', connection([failedAttempt({ endpoint: { path: '/diffusion', prefix: '' }, httpStatus: 404 })]));
  const [f] = websocketUnavailable.check([c], context());
  assert.match(f!.message, /answered 404: nothing serves WebSocket on '\/diffusion'\. The Python client builds the path with urljoin\(url, "diffusion"\), which replaces the URL's last path segment: a URL 'ws:\/\/host\/prefix' becomes 'ws:\/\/host\/diffusion'/);
  assert.match(f!.fix, /end the Python client's URL with a slash after the prefix \(ws:\/\/host\/prefix\/\)/);
  const java = of('java', connection([failedAttempt({ endpoint: { path: '/diffusion', prefix: '' }, httpStatus: 404 })]));
  assert.match(websocketUnavailable.check([java], context())[0]!.fix, /requestPath\("\/<prefix>\/diffusion"\)/);
});

test("stripped parameters and the proxy's own connection error are named as such", () => {
  const stripped = connection([failedAttempt({ params: { carrier: 'none', version: null }, httpStatus: 400 })]);
  assert.match(websocketUnavailable.check([stripped], context())[0]!.message, /without any Diffusion parameters \(no client type or version in the query or the headers\): a proxy on the way rewrote the URL and dropped its query, or dropped the headers; it was answered 400/);
  const proxied = connection([failedAttempt({ error: "[Errno 111] Connect call failed ('127.0.0.1', 9)", errorByProxy: true })]);
  const [f] = websocketUnavailable.check([proxied], context());
  assert.match(f!.message, /the intercepting proxy that made this capture could not reach the server \(\[Errno 111\] Connect call failed/);
  assert.match(f!.fix, /running and reachable from the proxy/);
});

test('credentials sent as request headers are not in the URL', () => {
  const headers = connection([attempt({ params: { principal: 'control', carrier: 'headers' }, password: 'pw' })]);
  assert.deepEqual(credentialsInUrl.check([of('java', headers)], context()), []);
  const query = connection([attempt({ params: { principal: 'control', carrier: 'query' }, password: 'pw' })]);
  assert.equal(credentialsInUrl.check([of('java', query)], context()).length, 1);
});

test('response codes by protocol version: Java 6.0–6.2 use the 5.9 table, 16–28 are not assumed', () => {
  assert.deepEqual([13, 14, 15, 21, 28, 29, 9].map(familyOf), ['5.9', '5.9', '5.9', null, null, '6.x', '5.9']);
  // 119 is undefined for a 5.9-table client (a parse error), but nothing is claimed for Python's protocol 21.
  const java = connection([rejectedAttempt(119, { params: { version: 15 } })]);
  assert.match(connectionRejected.check([of('java', java)], context())[0]!.message, /A 5\.9 client does not define 119/);
  const python = connection([rejectedAttempt(119, { params: { version: 21 } })]);
  assert.doesNotMatch(connectionRejected.check([of('python', python)], context())[0]!.message, /does not define/);
});

test("the README's rule table says which clients each rule applies to, as the rules declare it", async () => {
  const { readFileSync } = await import('node:fs');
  const { rules } = await import('./index.ts');
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const lines = readme.split('\n');
  const header = lines.find((l) => l.startsWith('| rule |'))!.split('|').map((c) => c.trim());
  const column = header.indexOf('clients');
  assert.ok(column > 0, 'the rule table has a clients column');
  for (const r of rules) {
    const row = lines.find((l) => l.startsWith(`| \`${r.id}\` |`));
    assert.ok(row, `${r.id} has a row`);
    const cell = row!.split('|')[column]!.trim().replace(/\s*\(.*\)$/, '').toLowerCase();
    assert.equal(cell, r.clients ? r.clients.join(', ') : 'all', `${r.id}: clients`);
  }
});
