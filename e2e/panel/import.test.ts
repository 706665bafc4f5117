// Importing a HAR with the file picker and by drag and drop: what was read and skipped is shown, and a
// malformed file is refused with a clear message while what the panel held stays.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startShell, type ShellEnv } from './harness.ts';
import { realisticCapture, wsEntry, wsQuery, har, T0 } from './hars.ts';

let env: ShellEnv;
before(async () => { env = await startShell(); });
after(async () => { await env?.close(); });

async function pick(page: Page, name: string, text: string): Promise<void> {
  await page.locator('[data-testid="import-file"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('the file picker imports a HAR and notes what it read and skipped', async () => {
  const { page, errors } = await env.open();
  try {
    assert.match(await page.locator('[data-testid="connection-list"]').textContent() ?? '', /import a HAR file/);
    // A capture with an unrelated entry and an unreadable one besides the Diffusion traffic.
    const capture = JSON.parse(realisticCapture()) as { log: { entries: unknown[] } };
    capture.log.entries.push({ request: { method: 'GET', url: 'https://app.example.com/logo.png', headers: [] }, response: { status: 200 } }, 42);
    await pick(page, 'ticket-1234.har', JSON.stringify(capture));
    await page.waitForSelector('[data-testid="connection-row"]');
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 3);
    const note = await page.locator('[data-testid="import-note"]').textContent() ?? '';
    assert.match(note, /Imported ticket-1234\.har: 9 Diffusion-related records from 10 entries/);
    assert.match(note, /1 unrelated entry left out/);
    assert.match(note, /1 unreadable entry skipped/);
    assert.match(await page.locator('[data-testid="status"]').textContent() ?? '', /Imported ticket-1234\.har/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a malformed HAR is refused with a clear message and keeps what was there', async () => {
  const { page } = await env.open();
  try {
    await pick(page, 'good.har', realisticCapture());
    await page.waitForSelector('[data-testid="connection-row"]');
    await pick(page, 'broken.har', realisticCapture().slice(0, 900));
    const error = page.locator('[data-testid="import-error"]');
    await error.waitFor();
    assert.match(await error.textContent() ?? '', /^Could not import broken\.har: truncated: .*Nothing was changed\.$/);
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await page.locator('[data-testid="status"]').textContent() ?? '', /Import failed/);
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 3);

    await pick(page, 'notes.txt', '<html>a saved page, not a HAR</html>');
    await page.locator('[data-testid="import-error"]', { hasText: 'notes.txt' }).waitFor();
    assert.match(await page.locator('[data-testid="import-error"]', { hasText: 'notes.txt' }).textContent() ?? '', /not JSON/);
    await pick(page, 'array.json', '[1,2,3]');
    await page.locator('[data-testid="import-error"]', { hasText: 'array.json' }).waitFor();
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 3);
  } finally {
    await page.close();
  }
});

test('a dropped HAR opens as its own capture: the switcher goes back to what was there, unchanged', async () => {
  const { page } = await env.open(`?har=${encodeURIComponent(new URL(env.put('live.har', realisticCapture())).pathname)}`);
  try {
    // What the shell loaded at start stands for the live capture.
    await page.locator('[data-testid="connection-row"]').nth(2).waitFor();
    const live = await page.locator('[data-testid="connection-row"]').evaluateAll((r) => r.map((e) => e.getAttribute('data-connection-id')));
    const extra = har([wsEntry({ url: `wss://other.example.com/diffusion?${wsQuery({ password: false })}`, at: T0 + 600_000, ms: 10, status: 0, error: 'net::ERR_CONNECTION_REFUSED' })]);
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'dropped.har', { type: 'application/json' }));
      return d;
    }, extra);
    const panel = page.locator('[data-testid="panel"]');
    await panel.dispatchEvent('dragover', { dataTransfer: dt });
    await page.locator('.drop-overlay').waitFor();
    await panel.dispatchEvent('drop', { dataTransfer: dt });
    await page.locator('[data-testid="import-note"]', { hasText: 'dropped.har' }).waitFor();
    assert.equal(await page.locator('.drop-overlay').count(), 0);
    // Only the dropped capture's one connection, numbered from c1 within it.
    const rows = page.locator('[data-testid="connection-row"]');
    assert.deepEqual(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-connection-id'))), ['c1']);
    assert.match(await rows.first().textContent() ?? '', /other\.example\.com/);
    const tabs = page.locator('[data-testid="capture-tab"]');
    assert.deepEqual((await tabs.allTextContents()).map((t) => t.trim()), ['Live 3', 'dropped.har']);
    assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
    // Back to live: its connections as they were, and no note of the import there.
    await tabs.first().click();
    assert.deepEqual(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-connection-id'))), live);
    assert.equal(await page.locator('[data-testid="import-note"]', { hasText: 'dropped.har' }).count(), 0);
    // Closing the imported capture leaves the live one.
    await page.locator('[data-testid="capture-close"]').click();
    assert.equal(await page.locator('[data-testid="captures"]').count(), 0);
    assert.equal(await rows.count(), 3);
  } finally {
    await page.close();
  }
});

test('?har= loads only from the page origin', async () => {
  const { page } = await env.open(`?har=${encodeURIComponent('http://example.invalid/x.har')}`);
  try {
    const error = page.locator('[data-testid="import-error"]');
    await error.waitFor();
    assert.match(await error.textContent() ?? '', /only HAR files from this page's origin/);
  } finally {
    await page.close();
  }
});
