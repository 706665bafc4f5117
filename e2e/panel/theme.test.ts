// The panel follows DevTools' theme (mountPanel's `theme`) and, in the shell, prefers-color-scheme.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startShell, writeOut, type ShellEnv } from './harness.ts';
import { realisticCapture } from './hars.ts';

let env: ShellEnv;
let har = '';
before(async () => {
  env = await startShell();
  har = encodeURIComponent(new URL(env.put('realistic.har', realisticCapture())).pathname);
});
after(async () => { await env?.close(); });

async function colours(page: Page): Promise<{ theme: string | null; bg: string; fg: string }> {
  const panel = page.locator('[data-testid="panel"]');
  return {
    theme: await panel.getAttribute('data-theme'),
    bg: await panel.evaluate((el) => getComputedStyle(el).backgroundColor),
    fg: await panel.evaluate((el) => getComputedStyle(el).color),
  };
}

test('theme=dark applies the dark palette', async () => {
  const { page } = await env.open(`?har=${har}&theme=dark`);
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    assert.deepEqual(await colours(page), { theme: 'dark', bg: 'rgb(32, 33, 36)', fg: 'rgb(232, 234, 237)' });
    await page.locator('[data-testid="verdict"], [data-testid="finding"]').first().click();
    writeOut('panel-dark.png', await page.screenshot());
  } finally {
    await page.close();
  }
});

test('without a theme the shell follows prefers-color-scheme; an explicit theme wins', async () => {
  const dark = await env.open('', { colorScheme: 'dark' });
  try {
    assert.equal((await colours(dark.page)).theme, 'dark');
    await dark.page.emulateMedia({ colorScheme: 'light' });
    await dark.page.locator('[data-testid="panel"][data-theme="light"]').waitFor();
    assert.equal((await colours(dark.page)).bg, 'rgb(255, 255, 255)');
  } finally {
    await dark.page.close();
  }
  const forced = await env.open('?theme=light', { colorScheme: 'dark' });
  try {
    assert.equal((await colours(forced.page)).theme, 'light');
  } finally {
    await forced.page.close();
  }
});
