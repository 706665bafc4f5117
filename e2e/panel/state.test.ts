// Store state only the extension's panel pages set: the host-access banner (Firefox asks per site)
// and the note of what the background dropped beyond its cap.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { startShell, ROOT, type ShellEnv } from './harness.ts';

let env: ShellEnv;
before(async () => {
  env = await startShell({ state: join(ROOT, 'e2e/panel/state-page.tsx') });
  env.put('state.html', '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;height:100vh"><output id="requests">0</output><div id="root" style="height:100%"></div><script type="module" src="./state.js"></script></body></html>');
});
after(async () => { await env?.close(); });

async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await env.context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.origin}/state.html${query}`);
  await page.locator('[data-testid="panel"]').waitFor();
  return { page, errors };
}

test('missing host access: a banner says what is missing; its button asks once and the banner goes when granted', async () => {
  const { page, errors } = await open('?access=grant');
  try {
    const banner = page.locator('[data-testid="access-banner"]');
    await banner.waitFor();
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match(await banner.textContent() ?? '', /cannot see this site's requests/);
    const button = page.getByRole('button', { name: "Allow access to this site's requests" });
    // reachable from the keyboard like every other control
    await button.focus();
    await page.keyboard.press('Enter');
    await banner.waitFor({ state: 'detached' });
    assert.equal(await page.locator('#requests').textContent(), '1');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('missing host access, refused or failed: the banner stays, says so, and can ask again', async () => {
  for (const answer of ['refuse', 'throw']) {
    const { page, errors } = await open(`?access=${answer}`);
    try {
      const button = page.locator('[data-testid="access-request"]');
      await button.click();
      await page.locator('[data-testid="access-refused"]').waitFor();
      assert.equal(await page.locator('[data-testid="access-banner"]').count(), 1);
      assert.equal(await button.isEnabled(), true);
      await button.click();
      await page.locator('#requests', { hasText: '2' }).waitFor();
      assert.deepEqual(errors, [], answer);
    } finally {
      await page.close();
    }
  }
});

test('no access state: no banner', async () => {
  const { page } = await open('');
  try {
    assert.equal(await page.locator('[data-testid="access-banner"]').count(), 0);
    assert.equal(await page.locator('[data-testid="background-dropped-note"]').count(), 0);
  } finally {
    await page.close();
  }
});

test('what the background dropped beyond its cap is a note', async () => {
  const { page } = await open('?bgDropped=1200');
  try {
    const note = page.locator('[data-testid="background-dropped-note"]');
    await note.waitFor();
    assert.match(await note.textContent() ?? '', /its 1,200 oldest observations were dropped/);
  } finally {
    await page.close();
  }
});
