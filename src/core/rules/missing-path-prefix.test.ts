import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingPathPrefix, pagePrefix } from './missing-path-prefix.ts';
import { attempt, connection, context, failedAttempt, T0 } from './test-builders.ts';

const bare = { path: '/diffusion', prefix: '' };
const NGINX_404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.22.1</center>';

test('page under /eu/app/, both transports 404 on the bare /diffusion: suggests path \'/eu\' and nginx\'s prefix location', () => {
  const page = 'https://push.example.com/eu/app/';
  const c = connection([
    failedAttempt({ id: 'w1', httpStatus: 404, error: null, endpoint: bare, pageUrl: page }),
    failedAttempt({ id: 'x1', transport: 'XHR', startedAt: T0 + 30, httpStatus: 404, error: null, endpoint: bare, pageUrl: page, responseHeaders: { server: 'nginx/1.22.1' }, answerText: NGINX_404 }),
  ]);
  const [f, ...rest] = missingPathPrefix.check([c], context());
  assert.equal(rest.length, 0);
  assert.deepEqual(f!.attempts, ['w1', 'x1']);
  assert.match(f!.message, /^Both transports got 404 on the bare path \/diffusion at push\.example\.com:443 .* while the page lives under '\/eu' \(https:\/\/push\.example\.com\/eu\/app\/\)/);
  assert.match(f!.fix, /^Set path: '\/eu' in the diffusion\.connect\(\) options, so the client asks for \/eu\/diffusion\./);
  assert.match(f!.fix, /location \/eu\/ \{ proxy_pass http:\/\/backend\/; \}/);
});

test('another connection of the page used a prefix: that one is suggested, and the fix is generic without nginx', () => {
  const good = connection([attempt({ id: 'g1', endpoint: { path: '/lb/diffusion', prefix: '/lb' } })]);
  const lost = connection([failedAttempt({ id: 'w1', startedAt: T0 + 5, httpStatus: 404, error: null, endpoint: bare })]);
  const f = missingPathPrefix.check([good, lost], context())[0]!;
  assert.match(f.message, /^The WebSocket transport got 404 .* another connection of this page to push\.example\.com used the prefix '\/lb' and connected/);
  assert.match(f.fix, /path: '\/lb'/);
  assert.doesNotMatch(f.fix, /nginx/);
});

test('quiet when nothing suggests a prefix, for other statuses, and for a prefixed path', () => {
  const rootPage = connection([failedAttempt({ httpStatus: 404, error: null, endpoint: bare, pageUrl: 'https://push.example.com/index.html' })]);
  const otherHost = connection([failedAttempt({ httpStatus: 404, error: null, endpoint: bare, pageUrl: 'https://app.example.com/eu/app/' })]);
  const refused = connection([failedAttempt({ httpStatus: 0, endpoint: bare, pageUrl: 'https://push.example.com/eu/app/' })]);
  const prefixed = connection([failedAttempt({ httpStatus: 404, error: null, pageUrl: 'https://push.example.com/eu/app/' })]);
  assert.deepEqual(missingPathPrefix.check([rootPage], context()), []);
  assert.deepEqual(missingPathPrefix.check([otherHost, refused, prefixed], context()), []);
  assert.equal(pagePrefix('https://x.test/eu/app/'), '/eu');
  assert.equal(pagePrefix('https://x.test/index.html'), null);
});
