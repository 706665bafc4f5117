import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HarEntry } from './har-types.ts';
import { isDiffusionCandidate, mayBeDiffusion } from './prefilter.ts';
import { image, wsAccepted, wsFailed, wsRefused, wsUrl, xhrHandshake, xhrPoll, xhrPreflight } from './test-fixtures.ts';

type Entry = Record<string, unknown> & { request: { url: string; method: string; headers: { name: string; value: string }[] } };

const DIFFUSION: Record<string, () => unknown> = {
  wsAccepted, wsFailed, wsRefused, xhrHandshake, xhrPoll, xhrPreflight,
  wrongPath: () => wsAccepted({ url: wsUrl({ path: '/lb/' }) }),
  xhrWrongPath: () => { const e = xhrHandshake() as Entry; e.request.url = 'https://push.example.com/lb'; return e; },
  upperCaseHeaders: () => { const e = xhrPoll() as Entry; e.request.headers = e.request.headers.map((h) => ({ ...h, name: h.name.toUpperCase() })); return e; },
  onlyTy: () => { const e = image() as Entry; e.request.headers.push({ name: 'ty', value: 'B' }); return e; },
  firefoxUpgrade: () => {
    const e = wsFailed() as Entry;
    delete e['_resourceType'];
    delete e['_webSocketMessages'];
    e.request.url = 'https://push.example.com/lb/x';
    return e;
  },
  pathOnly: () => { const e = image() as Entry; e.request.url = 'https://cdn.example.com/Diffusion/app.js'; return e; },
  preflightNoResourceType: () => { const e = xhrPreflight() as Entry; delete e['_resourceType']; e.request.url = 'https://push.example.com/x'; return e; },
};

function formats(e: unknown): string[] {
  return [JSON.stringify(e), JSON.stringify(e, null, 2), JSON.stringify(e, null, '\t'), JSON.stringify(e).replace(/\//g, '\\/')];
}

test('every Diffusion-shaped entry passes both the raw and the parsed filter, however it is formatted', () => {
  for (const [name, make] of Object.entries(DIFFUSION)) {
    const e = make();
    assert.ok(isDiffusionCandidate(e as HarEntry), `${name}: parsed predicate`);
    for (const text of formats(e)) assert.ok(mayBeDiffusion(text), `${name}: raw markers in ${text.slice(0, 80)}`);
  }
});

test('unrelated entries are dropped', () => {
  const e = image();
  assert.equal(isDiffusionCandidate(e as HarEntry), false);
  assert.equal(mayBeDiffusion(JSON.stringify(e)), false);
  // A preflight for other headers is not the XHR transport's.
  const other = xhrPreflight() as Entry;
  other.request.url = 'https://api.example.com/orders';
  (other.request.headers.find((h) => h.name === 'Access-Control-Request-Headers')!).value = 'content-type,x-mode';
  assert.equal(isDiffusionCandidate(other as HarEntry), false);
});

test('the raw filter never drops an entry the parsed predicate keeps (generated entries)', () => {
  let s = 7;
  const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const names = ['m', 'M', 'ty', 'Ty', 'TY', 'mm', 'x-m', 'upgrade', 'Upgrade', 'access-control-request-headers', 'accept', 'c', 's'];
  const values = ['0', 'B', 'websocket', 'WebSocket', 'ca,m,ty', ' m ', 'M', 'x', 'content-type'];
  const urls = ['https://a.example/x', 'wss://a.example/y', 'WS://A/b', 'http://h/DIFFUSION', 'https://h/p?diffusion=1', 'https://h/#diffusion', 'https://h/a/diffusion/b'];
  const methods = ['GET', 'POST', 'OPTIONS', 'options', ''];
  const types = [undefined, 'xhr', 'fetch', 'websocket', 'preflight', 'image'];
  let kept = 0;
  for (let i = 0; i < 3000; i++) {
    const headers = Array.from({ length: Math.floor(r() * 4) }, () => ({ name: pick(names), value: pick(values) }));
    const entry: Record<string, unknown> = { request: { method: pick(methods), url: pick(urls), headers }, response: { status: 200, headers: [], content: { text: 'body' } } };
    const type = pick(types);
    if (type) entry['_resourceType'] = type;
    if (!isDiffusionCandidate(entry as HarEntry)) continue;
    kept++;
    for (const text of formats(entry)) assert.ok(mayBeDiffusion(text), `dropped: ${text}`);
  }
  assert.ok(kept > 500, `enough kept cases (${kept})`);
});
