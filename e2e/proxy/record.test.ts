// The recording pipeline itself, end to end: the real 6.12.1 client in Node through a real mitmdump,
// both HAR exporters, then dci's reader. One scenario only (a few seconds); `npx tsx e2e/proxy/record.ts`
// records them all into e2e/fixtures/proxy/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze.ts';
import { readHarText } from '../../src/sources/har/index.ts';
import { mitmAvailable } from './mitm.ts';
import { recordOne } from './record.ts';
import { proxyScenarios } from './scenarios.ts';

test('a 116 rejection recorded through mitmdump: hidden in the stock HAR (and said so), decoded in the mitmproxy 10 shape', { skip: mitmAvailable() ? false : 'mitmdump is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dci-proxy-'));
  try {
    const scenario = proxyScenarios.find((s) => s.id === 'node-612-rejected-authentication')!;
    const clientSaw = await recordOne(scenario, dir);
    assert.match(clientSaw, /^failed: 99 /, 'the real client was rejected');
    const stock = readHarText(readFileSync(join(dir, `${scenario.id}.mitmproxy8.har`), 'utf8'));
    const h10 = readHarText(readFileSync(join(dir, `${scenario.id}.mitmproxy10.har`), 'utf8'));
    const a8 = analyze(stock.observations);
    const a10 = analyze(h10.observations);
    assert.deepEqual(a8.connections.map((c) => [c.client, c.outcome]), [['node', 'unknown']]);
    assert.match(a8.context.notes?.[0] ?? '', /keeps no WebSocket messages/);
    assert.deepEqual(a10.connections.map((c) => [c.client, c.outcome]), [['node', 'rejected']]);
    assert.match(a10.findings.find((f) => f.rule === 'connection-rejected')?.message ?? '', /116 AUTHENTICATION_FAILED/);
    assert.ok(existsSync(join(dir, `${scenario.id}.expect.json`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
