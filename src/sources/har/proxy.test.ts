// HARs written by intercepting proxies: upgrades under http(s):// URLs, no WebSocket messages, the
// proxy's own connection errors, HTTP Toolkit's close record, and log.creator as "captured by".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHarText } from './read.ts';
import { analyze } from '../../core/analyze.ts';
import type { RequestObservation } from '../../core/model.ts';

const T = '2026-11-25T21:00:00.000+00:00';
const hdr = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
const har = (creator: unknown, entries: unknown[]) => JSON.stringify({ log: { version: '1.2', creator, entries } });
const requests = (text: string) => readHarText(text).observations.filter((o): o is RequestObservation => o.kind === 'request');

// The shape of mitmproxy 8.1.1's contrib har_dump.py: an http:// URL, the Upgrade header, status 101, no messages.
const upgrade = (url: string, headers: Record<string, string>, status = 101) => ({
  startedDateTime: T, time: 12,
  request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: hdr({ Host: '127.0.0.1:8080', Upgrade: 'websocket', Connection: 'Upgrade', ...headers }), queryString: [] },
  response: { status, statusText: 'Switching Protocols', headers: hdr({ Upgrade: 'websocket' }), content: { size: 0, mimeType: '', text: '' } },
});

test("mitmproxy 8's har_dump: the http:// upgrade is a WebSocket, and the missing messages are said once with how to capture them", () => {
  const text = har({ name: 'mitmproxy har_dump', version: '0.1', comment: 'mitmproxy version 8.1.1' }, [
    upgrade('http://127.0.0.1:8080/diffusion?ty=WB&v=29&ca=10&r=60000', {}),
    upgrade('http://127.0.0.1:8080/diffusion', { v: '15', ty: 'WJ', ca: '10', r: '60000' }),
  ]);
  const read = readHarText(text);
  assert.equal(read.capturedBy?.text, 'mitmproxy har_dump 0.1 (mitmproxy version 8.1.1)');
  assert.equal(read.capturedBy?.proxy, true);
  const [a, b] = requests(text);
  assert.equal(a!.transport, 'WEBSOCKET');
  assert.equal(a!.url, 'ws://127.0.0.1:8080/diffusion?ty=WB&v=29&ca=10&r=60000');
  assert.equal(a!.framesUnknown, true);
  const analysis = analyze(read.observations);
  assert.deepEqual(analysis.connections.map((c) => [c.client, c.outcome]), [['node', 'unknown'], ['java', 'unknown']]);
  assert.equal(analysis.context.notes?.length, 1, 'said once for the whole capture');
  const note = analysis.context.notes![0]!;
  assert.match(note, /keeps no WebSocket messages, so for its 2 WebSocket attempts it cannot show the server's connection response/);
  assert.match(note, /accepted or rejected.*session id.*drops/);
  assert.match(note, /mitmproxy 10\.1 or later \(mitmdump --set hardump=capture\.har\), HTTP Toolkit's HAR export, or Chromium's DevTools/);
});

test("a proxy's own connection error is marked as the proxy's; a browser's never is", () => {
  const failed = (error: string) => ({ ...upgrade('http://127.0.0.1:9/diffusion?ty=WB&v=29&ca=10&r=60000', {}, 0), response: { status: 0, statusText: '', headers: [], content: { size: 0, mimeType: '' }, _error: error } });
  const mitm10 = har({ name: 'mitmproxy', version: '10.1.0', comment: 'mitmproxy exporthar' }, [failed("[Errno 111] Connect call failed ('127.0.0.1', 9)")]);
  const [p] = requests(mitm10);
  assert.equal(p!.errorByProxy, true);
  assert.equal(analyze(readHarText(mitm10).observations).connections[0]!.attempts[0]!.errorByProxy, true);
  // No creator: the error text alone says it is a proxy's.
  assert.equal(requests(har(undefined, [failed('[Errno 111] Connect call failed')]))[0]!.errorByProxy, true);
  // Chromium's own words are the browser's, even in a proxy's capture.
  assert.equal(requests(har({ name: 'WebInspector', version: '537.36' }, [failed('net::ERR_CONNECTION_REFUSED')]))[0]!.errorByProxy, undefined);
  assert.equal(requests(har({ name: 'HTTP Toolkit', version: '1.19' }, [failed('net::ERR_FAILED')]))[0]!.errorByProxy, undefined);
});

test("HTTP Toolkit's _webSocketClose gives the close code and time", () => {
  const e = { ...upgrade('https://push.example.com/diffusion?ty=WB&v=29&ca=8&r=60000', {}), _resourceType: 'websocket', _webSocketMessages: [], _webSocketClose: { code: 1006, reason: '', timestamp: Date.parse(T) + 5000 } };
  const [o] = requests(har({ name: 'HTTP Toolkit', version: '1.19.0' }, [e]));
  assert.equal(o!.url, 'wss://push.example.com/diffusion?ty=WB&v=29&ca=8&r=60000');
  assert.deepEqual([o!.closeCode, o!.closedAt, o!.framesUnknown], [1006, Date.parse(T) + 5000, undefined]);
  const [aborted] = requests(har({ name: 'HTTP Toolkit', version: '1.19.0' }, [{ ...e, response: { status: 0, headers: [] }, _webSocketClose: 'aborted' }]));
  assert.equal(aborted!.error, 'aborted');
});

test('log.creator is read from a streamed file even after the entries, and a missing one is null', () => {
  const text = JSON.stringify({ log: { version: '1.2', entries: [upgrade('http://h/diffusion?ty=WB&v=29', {})], creator: { name: 'Charles Proxy', version: '4.6.6' } } });
  assert.equal(readHarText(text).capturedBy?.text, 'Charles Proxy 4.6.6');
  assert.equal(readHarText(har(undefined, [])).capturedBy, null);
  assert.equal(readHarText(har({ name: '<b>x</b>\n'.repeat(40) }, [])).capturedBy?.text.length, 120, 'bounded, one line');
});

test('every intercepting proxy is told apart from a browser by its log.creator', async () => {
  const { captureTool } = await import('./creator.ts');
  for (const name of ['mitmproxy har_dump', 'mitmproxy exporthar', 'HTTP Toolkit', 'Proxyman', 'Charles Proxy', 'Fiddler']) {
    assert.equal(captureTool({ name, version: '1' })?.proxy, true, name);
  }
  for (const name of ['WebInspector', 'Firefox']) assert.equal(captureTool({ name, version: '1' })?.proxy, false, name);
  assert.equal(captureTool('mitmproxy'), null, 'not an object');
});

test('an upgrade whose parameters a proxy stripped is shown as such in the report', async () => {
  const { toText } = await import('../../core/report/index.ts');
  const stripped = { ...upgrade('http://127.0.0.1:8080/eu/diffusion', {}, 400), response: { status: 400, statusText: 'Bad Request', headers: [], content: { size: 0, mimeType: '', text: '' } } };
  const analysis = analyze(readHarText(har({ name: 'Charles Proxy', version: '4.6.6' }, [stripped])).observations);
  assert.equal(analysis.connections[0]!.client, 'unknown');
  const text = toText(analysis, { version: 't', file: 'x.har', entries: 1, skipped: 0, capturedBy: 'Charles Proxy 4.6.6' });
  assert.match(text, /WEBSOCKET failed \(no Diffusion parameters: stripped on the way, status 400\)/);
  assert.match(text, /^    client unknown$/m);
  assert.match(text, /the upgrade reached the capture point\s+without any Diffusion parameters/);
});
