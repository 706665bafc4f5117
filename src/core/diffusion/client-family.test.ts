import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestObservation } from '../model.ts';
import { handshakeParams } from './handshake.ts';
import { clientFamily } from './client-family.ts';

function familyOf(req: Partial<RequestObservation> & { url: string }, pageUrl: string | null = null): string {
  const r: RequestObservation = { kind: 'request', source: 'har', transport: 'WEBSOCKET', startedAt: 0, ...req };
  return clientFamily({ transport: r.transport, params: handshakeParams(r), requestHeaders: r.requestHeaders ?? {}, pageUrl });
}
const sp = (env: string) => encodeURIComponent(JSON.stringify({ $Environment: env }));

test('$Environment names the family, whatever the client type says', () => {
  assert.equal(familyOf({ url: `ws://h/diffusion?ty=WB&v=29&ca=8&r=60000&sp=${sp('BROWSER_Chrome_156.0.0.0')}` }), 'browser');
  assert.equal(familyOf({ url: `ws://h/diffusion?ty=WB&v=29&ca=10&r=60000&sp=${sp('NODE_linux_20.20.2')}` }), 'node');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WJ', v: '25', sp: JSON.stringify({ $Environment: 'ANDROID_14' }) } }), 'android');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WJ', v: '25', sp: JSON.stringify({ $Environment: 'JAVA_17.0.9' }) } }), 'java');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WIOS', v: '25', sp: JSON.stringify({ $Environment: 'Apple_iOS_17.2' }) } }), 'apple');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'PY', v: '21', sp: JSON.stringify({ $Environment: 'PYTHON_3.11' }) } }), 'python');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WN', v: '25', sp: JSON.stringify({ $Environment: 'DOTNET_8.0' }) } }), 'dotnet');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WC', v: '25', sp: JSON.stringify({ $Environment: 'C_linux' }) } }), 'c');
});

test('without $Environment: the client type, and for JavaScript what the request shows of its runtime', () => {
  assert.equal(familyOf({ url: 'ws://localhost:8080/diffusion?v=13&ty=WJ&ca=10&r=60000' }), 'java');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'WIOS', v: '25' } }), 'apple');
  assert.equal(familyOf({ url: 'ws://h/diffusion', requestHeaders: { ty: 'PY', v: '21' } }), 'python');
  assert.equal(familyOf({ url: 'ws://h/diffusion?ty=ZZ&v=3' }), 'unknown');
  assert.equal(familyOf({ url: 'ws://h/diffusion' }), 'unknown', 'stripped parameters name no client');
  // 5.9 sends no sp: a browser's upgrade carries Origin, the Node ws library's does not.
  assert.equal(familyOf({ url: 'ws://h/diffusion?ty=WB&v=9&ca=8&r=60000', requestHeaders: { origin: 'http://app', 'user-agent': 'Mozilla/5.0' } }), 'browser');
  assert.equal(familyOf({ url: 'ws://h/diffusion?ty=WB&v=9&ca=8&r=60000', requestHeaders: { host: 'h', upgrade: 'websocket' } }), 'node');
  assert.equal(familyOf({ url: 'ws://h/diffusion?ty=WB&v=9&ca=8&r=60000' }, 'http://app/page'), 'browser');
  assert.equal(familyOf({ url: 'http://h/diffusion', transport: 'XHR', requestHeaders: { m: '0', ty: 'B', v: '9' } }), 'browser');
});

test('Node 21+ has a navigator, so the npm client calls itself BROWSER_undefined_undefined there: judged by the request instead', () => {
  const url = `ws://h/diffusion?ty=WB&v=29&ca=10&r=60000&sp=${sp('BROWSER_undefined_undefined')}`;
  assert.equal(familyOf({ url, requestHeaders: { host: 'h', upgrade: 'websocket' } }), 'node');
  assert.equal(familyOf({ url: url.replace('ca=10', 'ca=8'), requestHeaders: { origin: 'https://app', 'user-agent': 'Mozilla/5.0' } }), 'browser');
});
