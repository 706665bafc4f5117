import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HookMessage } from '../sources/hook/event.ts';
import { HookLog } from './hook-log.ts';
import { isDiffusionRelevant } from './relevant.ts';
import type { SessionArea } from './tab-store.ts';

function memoryArea(): SessionArea {
  const data = new Map<string, string>();
  return {
    async get(keys) { return Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, JSON.parse(data.get(k)!)])); },
    async set(items) { for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v)); },
    async remove(keys) { for (const k of keys) data.delete(k); },
  };
}

const message = (document: string, id: number): HookMessage => ({
  type: 'dci/hook-event', version: 1, frameUrl: 'http://app.test/', document,
  event: { kind: 'ws-construct', id, at: 1000 + id, url: 'ws://app.test/diffusion?ty=WB&v=29' },
});

test('a new worker reads the messages, top document and preserve flag the stopped one saved', async () => {
  const area = memoryArea();
  const log = new HookLog(area, 2);
  assert.deepEqual(await log.load(7), { documents: {}, top: null, preserve: false });
  const tab = await log.load(7);
  tab.top = 'aaaaaaaa';
  tab.preserve = true;
  assert.equal((log.append(tab, message('aaaaaaaa', 1)) as HookMessage[]).length, 1);
  assert.equal((log.append(tab, message('aaaaaaaa', 2)) as HookMessage[]).length, 2);
  assert.equal(log.append(tab, message('aaaaaaaa', 3)), false, 'a full document takes no more');
  await log.save(7, tab);
  const again = await new HookLog(area).load(7);
  assert.equal(again.top, 'aaaaaaaa');
  assert.equal(again.preserve, true);
  assert.equal(again.documents['aaaaaaaa']?.length, 2);
  await log.forget(7);
  assert.deepEqual((await log.load(7)).documents, {});
});

test('webRequest observations kept: Diffusion handshakes, their preflights and diffusion paths only', () => {
  const base = { kind: 'request', source: 'webRequest', startedAt: 1 } as const;
  assert.ok(isDiffusionRelevant({ ...base, transport: 'WEBSOCKET', url: 'ws://a.test/x?ty=WB&v=29' }));
  assert.ok(isDiffusionRelevant({ ...base, transport: 'XHR', url: 'http://a.test/x', method: 'POST', requestHeaders: { m: '0', ty: 'B' } }));
  assert.ok(isDiffusionRelevant({ ...base, transport: 'XHR', url: 'http://a.test/x', method: 'OPTIONS', preflight: true, requestHeaders: { 'access-control-request-headers': 'm,ty,v' } }));
  assert.ok(isDiffusionRelevant({ ...base, transport: 'XHR', url: 'http://a.test/lb/diffusion', method: 'GET' }));
  assert.ok(!isDiffusionRelevant({ ...base, transport: 'XHR', url: 'http://a.test/api/prices', method: 'GET' }));
  assert.ok(!isDiffusionRelevant({ ...base, transport: 'XHR', url: 'not a url', method: 'GET' }));
});
