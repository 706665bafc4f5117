import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestObservation } from '../model.ts';
import { diffusionRole, handshakeParams, isDiffusionPreflight, parseEndpoint, pathPrefix, queryParams, tokenOf } from './handshake.ts';
import { encodePlainCredential } from './credentials.ts';

const ws = (url: string): RequestObservation => ({ kind: 'request', source: 'har', transport: 'WEBSOCKET', url, startedAt: 0 });
const xhr = (headers: Record<string, string>, url = 'http://127.0.0.1:8080/diffusion', method = 'POST'): RequestObservation =>
  ({ kind: 'request', source: 'har', transport: 'XHR', url, method, requestHeaders: headers, startedAt: 0 });

// The URL 6.12.1 builds in a browser for { principal: 'qa-user', credentials: 'pw', path: '/lb/app' }.
const URL_612 = 'wss://push.example.com/lb/app/diffusion?ty=WB&v=29&ca=8&r=60000&sp=%7B%22%24Environment%22%3A%22BROWSER%22%7D&username=qa-user&password=AQJwdw%3D%3D';

test('a WebSocket is Diffusion by its query signature, whatever its path', () => {
  assert.equal(diffusionRole(ws(URL_612)), 'ws-handshake');
  assert.equal(diffusionRole(ws('ws://h/wrong/path?ty=WB&v=9&ca=8&r=60000')), 'ws-handshake');
  assert.equal(diffusionRole(ws('ws://h/chat?ty=xx&v=1')), null, 'client types are upper case');
  assert.equal(diffusionRole(ws('ws://h/chat?ty=WB&v=latest')), null, 'versions are whole numbers');
  assert.equal(diffusionRole(ws('wss://h/socket.io/?EIO=4&transport=websocket')), null);
  assert.equal(diffusionRole(ws('ws://h/chat')), null);
});

// Real Java client handshakes (diffusiondata/wireshark-dissector samples/v60ws.pcap, v62constraints.pcap).
const JAVA_60 = 'ws://localhost:8080/diffusion?v=13&ty=WJ&ca=10&username=control&password=AQhwYXNzd29yZA==&r=60000';
const JAVA_62_HEADERS = { upgrade: 'WebSocket', connection: 'Upgrade', host: 'localhost:8080', v: '15', ty: 'WJ', ca: '10', username: 'control', password: 'AQhwYXNzd29yZA==', r: '60000' };

test('any client type with a whole-number version, in the query or in the headers', () => {
  const java60 = ws(JAVA_60);
  assert.equal(diffusionRole(java60), 'ws-handshake');
  const p60 = handshakeParams(java60);
  assert.deepEqual([p60.clientType, p60.carrier, p60.version, p60.capabilities, p60.reconnectTimeoutMs, p60.principal, p60.credentialType], ['WJ', 'query', 13, 10, 60000, 'control', 'PLAIN']);

  const java62: RequestObservation = { ...ws('ws://localhost:8080/diffusion'), requestHeaders: JAVA_62_HEADERS };
  assert.equal(diffusionRole(java62), 'ws-handshake');
  const p62 = handshakeParams(java62);
  assert.deepEqual([p62.clientType, p62.carrier, p62.version, p62.capabilities, p62.principal, p62.hasPassword, p62.credentialType], ['WJ', 'headers', 15, 10, 'control', true, 'PLAIN']);

  // Apple: headers, `sp` with $Environment, a reconnect's token in `c`.
  const apple: RequestObservation = { ...ws('wss://push.example.com/diffusion'), requestHeaders: { ty: 'WIOS', v: '25', ca: '0', r: '60000', sp: '{"$Environment":"Apple_iOS_17.2"}', c: 'TOKEN', cs: '1', ss: '2' } };
  assert.equal(diffusionRole(apple), 'ws-handshake');
  assert.equal(tokenOf(apple), 'TOKEN');
  assert.deepEqual(handshakeParams(apple).sessionProperties, { $Environment: 'Apple_iOS_17.2' });
  assert.equal(handshakeParams(apple).hasToken, true);
  assert.equal(handshakeParams(ws(URL_612)).carrier, 'query');
});

test('an upgrade on …/diffusion with no parameters at all is one whose parameters were stripped', () => {
  const bare = ws('ws://h/lb/diffusion');
  assert.equal(diffusionRole(bare), 'ws-handshake');
  assert.equal(handshakeParams(bare).carrier, 'none');
  assert.equal(handshakeParams(bare).version, null);
  assert.equal(diffusionRole(ws('ws://h/diffusion?other=1')), 'ws-handshake');
  assert.equal(diffusionRole(ws('ws://h/diffusion?ty=lower')), null, 'a half-formed signature is not a stripped one');
});

test('XHR roles come from the m header', () => {
  assert.equal(diffusionRole(xhr({ m: '0', ty: 'B', v: '29', ca: '8', r: '60000' })), 'xhr-handshake');
  assert.equal(diffusionRole(xhr({ m: '1', c: 'TOKEN', s: '0', v: '29' })), 'xhr-poll');
  assert.equal(diffusionRole(xhr({ m: '2', c: 'TOKEN', s: '0', v: '29' })), 'xhr-send');
  assert.equal(diffusionRole(xhr({ 'content-type': 'application/json' })), null);
  assert.equal(diffusionRole(xhr({ m: '1' })), null, 'a poll without token or sequence is not ours');
  assert.equal(diffusionRole(xhr({ m: '7', ty: 'B' })), null);
});

test('a preflight asking for m and ty is the XHR transport\'s', () => {
  const pre = xhr({ 'access-control-request-headers': 'ca,m,password,r,sp,ty,username,v', origin: 'https://app.example.com' }, 'https://api.example.com/diffusion', 'OPTIONS');
  assert.equal(isDiffusionPreflight(pre), true);
  assert.equal(isDiffusionPreflight(xhr({ 'access-control-request-headers': 'content-type' }, 'https://x/api', 'OPTIONS')), false);
  assert.equal(diffusionRole(pre), null);
});

test('endpoint: default ports, secure, prefix before /diffusion', () => {
  assert.deepEqual(parseEndpoint(URL_612), { host: 'push.example.com', port: 443, secure: true, path: '/lb/app/diffusion', prefix: '/lb/app' });
  assert.deepEqual(parseEndpoint('ws://127.0.0.1:8080/diffusion?ty=WB'), { host: '127.0.0.1', port: 8080, secure: false, path: '/diffusion', prefix: '' });
  assert.deepEqual(parseEndpoint('http://[::1]:9000/x/diffusion/diffusion'), { host: '::1', port: 9000, secure: false, path: '/x/diffusion/diffusion', prefix: '/x/diffusion' });
  assert.equal(parseEndpoint('ws://h:80/')?.port, 80);
  assert.equal(parseEndpoint('not a url'), null);
  assert.equal(parseEndpoint('javascript:alert(1)'), null);
  assert.equal(pathPrefix('/lb'), '/lb');
  assert.equal(pathPrefix('/lb/'), '/lb');
  assert.equal(pathPrefix('/mydiffusion'), '/mydiffusion');
});

test('WebSocket handshake parameters', () => {
  const p = handshakeParams(ws(URL_612));
  assert.equal(p.version, 29);
  assert.equal(p.capabilities, 8);
  assert.equal(p.reconnectTimeoutMs, 60000);
  assert.equal(p.hasToken, false);
  assert.deepEqual(p.sessionProperties, { $Environment: 'BROWSER' });
  assert.equal(p.principal, 'qa-user');
  assert.equal(p.hasPassword, true);
  assert.equal(p.credentialType, 'PLAIN');
});

test('reconnect parameters and the token, 6.12 and 5.9 encodings', () => {
  const token = 'TOKEN-abcdefghijklmnopqr';
  const w = ws(`ws://h/diffusion?ty=WB&v=29&ca=8&r=60000&c=${encodeURIComponent(token)}&cs=3&ss=7`);
  const p = handshakeParams(w);
  assert.equal(p.hasToken, true);
  assert.equal(p.clientSequence, 3);
  assert.equal(p.serverSequence, 7);
  assert.equal(tokenOf(w), token);
  assert.equal(tokenOf(xhr({ m: '1', c: token, s: '0' })), token, '6.12 sends c raw');
  assert.equal(tokenOf(xhr({ m: '1', c: encodeURIComponent('a+b/c='), s: '0' })), 'a+b/c=', '5.9 URI-encodes c');
});

test('XHR handshake parameters come from headers', () => {
  const p = handshakeParams(xhr({ m: '0', ty: 'B', v: '9', ca: '8', r: '0', username: 'qa%20user', password: encodeURIComponent('AAA=') }));
  assert.equal(p.version, 9);
  assert.equal(p.reconnectTimeoutMs, 0);
  assert.equal(p.principal, 'qa user');
  assert.equal(p.credentialType, 'NONE');
});

test('hostile query text never throws and is read literally', () => {
  const q = queryParams('ws://h/diffusion?ty=WB&v=%E0%A4%A&<script>=x&v=2&sp=%7Bnot json');
  assert.equal(q.get('v'), '%E0%A4%A');
  assert.equal(q.get('<script>'), 'x');
  const p = handshakeParams(ws('ws://h/diffusion?ty=WB&v=%E0%A4%A&sp=%7Bnot json&password=%%%'));
  assert.equal(p.version, null);
  assert.equal(p.sessionProperties, '{not json');
  assert.equal(p.credentialType, null);
});

test('credential tunnel encoding matches the client', () => {
  assert.equal(encodePlainCredential('pw'), 'AQJwdw==');
  assert.equal(encodePlainCredential(''), 'AQA=');
  const long = encodePlainCredential('x'.repeat(200));
  assert.equal(Buffer.from(long, 'base64')[1], 0xc8, 'varint low group with continuation bit');
  assert.equal(Buffer.from(long, 'base64')[2], 0x01);
});
