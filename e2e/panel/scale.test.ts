// 10k connections and 50k attempts: the panel renders them with a DOM that stays small however long
// the lists are (they are virtualised). How fast is measured by `npm run bench`, not asserted here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startShell, ROOT, type ShellEnv } from './harness.ts';

let env: ShellEnv;
before(async () => { env = await startShell({ scale: join(ROOT, 'e2e/panel/scale-page.tsx') }); });
after(async () => { await env?.close(); });

test('10k connections / 50k attempts: bounded DOM, keyboard reaches the end, filter narrows', async () => {
  env.put('scale.html', '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;height:100vh"><div id="root" style="height:100%"></div><script type="module" src="./scale.js"></script></body></html>');
  const bench = await env.context.newPage();
  try {
    bench.setDefaultTimeout(15_000);
    await bench.goto(`${env.origin}/scale.html`);
    const out = bench.locator('#scale-result');
    await out.waitFor({ state: 'attached', timeout: 20_000 });
    const elements = Number(await out.getAttribute('data-elements'));
    assert.ok(elements < 3000, `${elements} elements in the DOM`);
    const rows = bench.locator('[data-testid="connection-row"]');
    assert.ok((await rows.count()) > 5 && (await rows.count()) < 120);
    assert.match(await bench.locator('[data-testid="totals"]').textContent() ?? '', /10,000 connections · 10,000 findings/);
    await bench.locator('[data-testid="connection-list"]').focus();
    await bench.keyboard.press('End');
    await bench.locator('[data-testid="connection-row"][data-connection-id="c10000"]').waitFor();
    await bench.keyboard.press('Enter');
    assert.equal(await bench.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c10000');
    assert.ok((await bench.evaluate(() => document.getElementsByTagName('*').length)) < 3000);
    await bench.locator('[data-testid="filter"]').fill('push3');
    await bench.locator('[data-testid="totals"]', { hasText: 'of 10,000 connections' }).waitFor();
  } finally {
    await bench.close();
  }
});

test('10k verdicts: the first 100 cards are drawn, "show more" draws the next 100, the DOM stays bounded', async () => {
  env.put('scale.html', '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;height:100vh"><div id="root" style="height:100%"></div><script type="module" src="./scale.js"></script></body></html>');
  const page = await env.context.newPage();
  try {
    page.setDefaultTimeout(15_000);
    await page.goto(`${env.origin}/scale.html?verdicts`);
    await page.locator('#scale-result').waitFor({ state: 'attached', timeout: 20_000 });
    const cards = page.locator('[data-testid="verdict"]');
    assert.equal(await cards.count(), 100);
    assert.match(await page.locator('[data-testid="more-findings"]').textContent() ?? '', /9,900 more not shown/);
    await page.locator('[data-testid="show-more-findings"]').click();
    await page.locator('[data-testid="verdict"][data-index="199"]').waitFor();
    assert.equal(await cards.count(), 200);
    assert.match(await page.locator('[data-testid="more-findings"]').textContent() ?? '', /9,800 more not shown/);
    // The 150th verdict can be picked: its connection is selected.
    await cards.nth(149).click();
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c150');
    assert.ok((await page.evaluate(() => document.getElementsByTagName('*').length)) < 6000);
  } finally {
    await page.close();
  }
});
