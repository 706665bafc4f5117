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
