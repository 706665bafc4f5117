import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notDiffusionEndpoint } from './not-diffusion-endpoint.ts';
import { websocketUnavailable } from './websocket-unavailable.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

const INDEX = '<!doctype html>\n<html><head><title>Trading</title></head><body><div id="app"></div></body></html>';
const spa = { endpoint: { secure: false, port: 80, path: '/diffusion', prefix: '' } };

test('a single-page app\'s history fallback (index.html for GET, 405 for POST) is not Diffusion, and the stripped-upgrade story is not told', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 200, error: 'Error during WebSocket handshake: Unexpected response code: 200', ...spa }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 60, httpStatus: 405, error: null, responseHeaders: { server: 'nginx/1.22.1', 'content-type': 'text/html' }, answerText: '<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx/1.22.1</center>', ...spa }),
  ]);
  const [f, ...rest] = notDiffusionEndpoint.check([c], context());
  assert.equal(rest.length, 0);
  assert.equal(f!.severity, 'error');
  assert.deepEqual(f!.attempts, ['x1']);
  assert.match(f!.message, /^ws:\/\/push\.example\.com:80\/diffusion and http:\/\/push\.example\.com:80\/diffusion do not serve Diffusion: the XHR handshake \(POST\) was answered 405 Method Not Allowed, as a static web server answers a POST/);
  assert.match(f!.message, /single-page-app fallback answers every path with its index\.html/);
  assert.match(f!.fix, /Point host, port and path of diffusion\.connect\(\) at the Diffusion server/);
  assert.match(f!.fix, /location \/diffusion \{ proxy_pass/, 'nginx answered: its directive');
  // The WebSocket finding under it no longer blames a proxy that stripped the Upgrade header.
  const ws = websocketUnavailable.check([c], context())[0]!;
  assert.doesNotMatch(`${ws.message} ${ws.fix}`, /stripped|proxy_http_version/);
  assert.match(ws.message, /failed before any connection response: the upgrade was answered 200 by a server that is not Diffusion \(another attempt to it got a web page or a 405\)\./);
  // An upgrade answered with the page itself says so once, without brackets inside brackets.
  const page = connection([
    failedAttempt({ id: 'ws2', httpStatus: 200, error: null, responseHeaders: { 'content-type': 'text/html' }, answerText: INDEX, ...spa }),
    failedAttempt({ id: 'x2', transport: 'XHR', startedAt: T0 + 60, httpStatus: 405, error: null, ...spa }),
  ]);
  assert.match(websocketUnavailable.check([page], context())[0]!.message, /failed before any connection response: the WebSocket upgrade was answered 200 with a web page \(HTML\), from a server that is not Diffusion\./);
});

test('error_page 405 =200: the POST answered 200 with the HTML page, read as a garbled connection response', () => {
  const c = connection([
    failedAttempt({ id: 'ws1', httpStatus: 200, error: null, ...spa }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 60, httpStatus: 200, error: null, responseError: { error: 'not a connection response: protocol byte 60', hex: '3c21646f63' }, responseHeaders: { 'content-type': 'text/html' }, answerText: INDEX, ...spa }),
  ]);
  const f = notDiffusionEndpoint.check([c], context())[0]!;
  assert.match(f.message, /the XHR handshake \(POST\) was answered 200 with a web page \(HTML\)/);
  assert.doesNotMatch(f.fix, /nginx/, 'nothing in the capture names nginx: generic fix');
});

test('a JSON API answering the POST is not Diffusion either', () => {
  const c = connection([failedAttempt({ transport: 'XHR', httpStatus: 200, error: null, answerText: '{"error":"unknown route"}', responseHeaders: { 'content-type': 'application/json' } })]);
  assert.match(notDiffusionEndpoint.check([c], context())[0]!.message, /^https:\/\/push\.example\.com:443\/lb\/diffusion does not serve Diffusion: .*answered 200 with a JSON document/);
});

test('quiet for a stripped upgrade whose XHR fallback connected, for a WebSocket-only 200, and for 404', () => {
  const stripped = connection([failedAttempt({ httpStatus: 200, error: null, responseHeaders: { 'content-type': 'text/html' } }), attempt({ transport: 'XHR', startedAt: T0 + 50 })]);
  const wsOnly = connection([failedAttempt({ httpStatus: 200, error: null })]);
  const notFound = connection([failedAttempt({ httpStatus: 404, error: null }), failedAttempt({ transport: 'XHR', httpStatus: 404, error: null, answerText: '<html>404</html>' })]);
  assert.deepEqual(notDiffusionEndpoint.check([stripped, wsOnly, notFound], context()), []);
});
