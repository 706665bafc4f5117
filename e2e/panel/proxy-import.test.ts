// The panel's Import HAR on captures made through an intercepting proxy (e2e/fixtures/proxy/): it
// names the capturing tool, says once what a capture without WebSocket messages cannot show, and
// names the client family of a native client's connection.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startShell, ROOT, type ShellEnv } from './harness.ts';

const DIR = join(ROOT, 'e2e/fixtures/proxy');
let env: ShellEnv;
before(async () => { env = await startShell(); });
after(async () => { await env?.close(); });

async function importFixture(name: string) {
  const text = readFileSync(join(DIR, name), 'utf8');
  const opened = await env.open(`?har=${encodeURIComponent(new URL(env.put(name, text)).pathname)}`);
  await opened.page.locator('[data-testid="import-note"], [data-testid="import-error"]').first().waitFor();
  return opened;
}

test("mitmproxy 8's stock HAR: captured by, and one note of what it cannot show", async () => {
  const { page, dialogs, errors } = await importFixture('node-612-rejected-authentication.mitmproxy8.har');
  try {
    assert.match(await page.locator('[data-testid="import-note"]').textContent() ?? '', /captured by mitmproxy har_dump 0\.1 \(mitmproxy version mitmproxy 8\.1\.1\)/);
    const notes = await page.locator('[data-testid="capture-note"]').allTextContents();
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /keeps no WebSocket messages, so for its WebSocket attempt it cannot show the server's connection response/);
    assert.deepEqual(await page.locator('[data-testid="connection-row"]').evaluateAll((r) => r.map((e) => e.getAttribute('data-outcome'))), ['unknown']);
    assert.deepEqual([dialogs, errors], [[], []]);
  } finally {
    await page.close();
  }
});

test('a Java 6.2 header-style handshake: the connection names its client family', async () => {
  const { page, dialogs, errors } = await importFixture('java-62-headers-connected.mitmproxy10.har');
  try {
    assert.equal(await page.locator('[data-testid="capture-note"]').count(), 0);
    await page.locator('[data-testid="connection-row"]').first().click();
    assert.equal(await page.locator('[data-testid="client-family"]').textContent(), 'Java');
    assert.deepEqual([dialogs, errors], [[], []]);
  } finally {
    await page.close();
  }
});
