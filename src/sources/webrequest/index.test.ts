import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebRequestObservations } from './index.ts';

const ws = { requestId: '215', url: 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29&ca=8&r=60000', method: 'GET', type: 'websocket', tabId: 1, frameId: 0, initiator: 'http://127.0.0.1:8080' };

test('an accepted upgrade (Chromium event sequence)', () => {
  const w = new WebRequestObservations();
  w.apply('onBeforeRequest', { ...ws, timeStamp: 1000 });
  w.apply('onSendHeaders', { ...ws, timeStamp: 1001, requestHeaders: [{ name: 'Upgrade', value: 'websocket' }] });
  w.apply('onHeadersReceived', { ...ws, timeStamp: 1020, statusCode: 101, responseHeaders: [{ name: 'Upgrade', value: 'websocket' }] });
  const o = w.apply('onCompleted', { ...ws, timeStamp: 1021, statusCode: 101 })!;
  assert.equal(o.transport, 'WEBSOCKET');
  assert.equal(o.status, 101);
  assert.equal(o.startedAt, 1000);
  assert.equal(o.endedAt, 1021);
  assert.equal(o.requestHeaders?.['upgrade'], 'websocket');
  assert.equal(o.pageUrl, 'http://127.0.0.1:8080');
  assert.deepEqual(w.pending(), []);
});

test('a failed upgrade in Chromium is only net::ERR_FAILED', () => {
  const w = new WebRequestObservations();
  w.apply('onBeforeRequest', { ...ws, timeStamp: 1000 });
  const o = w.apply('onErrorOccurred', { ...ws, timeStamp: 1020, error: 'net::ERR_FAILED' })!;
  assert.equal(o.status, 0);
  assert.equal(o.error, 'net::ERR_FAILED');
});

test('XHR headers, repeated Set-Cookie, preflight, and unrelated types', () => {
  const w = new WebRequestObservations();
  const x = { requestId: '9', url: 'http://127.0.0.1:8080/diffusion', method: 'POST', type: 'xmlhttprequest', documentUrl: 'http://127.0.0.1:8080/app' };
  w.apply('onSendHeaders', { ...x, timeStamp: 5, requestHeaders: [{ name: 'm', value: '0' }, { name: 'ty', value: 'B' }] });
  const o = w.apply('onHeadersReceived', { ...x, timeStamp: 9, statusCode: 200, responseHeaders: [{ name: 'Set-Cookie', value: 'a=1' }, { name: 'set-cookie', value: 'session=2' }] })!;
  assert.equal(o.transport, 'XHR');
  assert.deepEqual({ ...o.requestHeaders }, { m: '0', ty: 'B' });
  assert.equal(o.responseHeaders?.['set-cookie'], 'a=1\nsession=2');
  assert.equal(o.pageUrl, 'http://127.0.0.1:8080/app');
  const pre = w.apply('onBeforeRequest', { ...x, requestId: '10', method: 'OPTIONS', timeStamp: 4 })!;
  assert.equal(pre.preflight, true);
  assert.equal(w.apply('onBeforeRequest', { ...x, requestId: '11', type: 'image', timeStamp: 4 }), null);
});
