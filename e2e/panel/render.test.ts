// The shell mounts the real panel: a realistic capture shows its connections, cascades, outcomes,
// reconnects and findings; a screenshot goes to e2e/.out/ for review.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startShell, writeOut, type ShellEnv } from './harness.ts';
import { realisticCapture } from './hars.ts';

let env: ShellEnv;
before(async () => { env = await startShell(); });
after(async () => { await env?.close(); });

test('a realistic capture: connections, cascade order, outcomes, reconnects, rule ids', async () => {
  const url = env.put('realistic.har', realisticCapture());
  const { page, errors } = await env.open(`?har=${encodeURIComponent(new URL(url).pathname)}`);
  await page.waitForSelector('[data-testid="connection-row"]');
  const rows = page.locator('[data-testid="connection-row"]');
  assert.equal(await rows.count(), 3);
  const cascades = await page.locator('[data-testid="connection-row"] [data-testid="cascade"]').allTextContents();
  assert.equal(cascades[0], 'WEBSOCKET failed (status 0, net::ERR_FAILED) → XHR connected (100 OK)');
  assert.match(cascades[1]!, /^WEBSOCKET rejected \(116 AUTHENTICATION_FAILED\)$/);
  assert.match(cascades[2]!, /^WEBSOCKET failed .* → XHR failed \(status 404/);
  const outcomes = await page.locator('[data-testid="connection-row"] [data-testid="outcome-badge"]').allTextContents();
  assert.deepEqual(outcomes, ['connected', 'rejected', 'exhausted']);
  assert.equal(await page.locator('[data-testid="connection-row"]').first().locator('[data-testid="prefix"]').textContent(), '/lb');
  const reconnects = await page.locator('[data-testid="reconnect-row"]').allTextContents();
  assert.equal(reconnects.length, 1);
  assert.match(reconnects[0]!, /XHR connected \(105 RECONNECTED\)/);
  const rules = await page.locator('[data-testid="verdict"] [data-testid="rule"], [data-testid="finding"] [data-testid="rule"], [data-testid="consequence"] [data-testid="rule"]').allTextContents();
  assert.ok(rules.includes('connection-rejected'), rules.join(', '));
  assert.ok(rules.length >= 2, rules.join(', '));
  assert.match(await page.locator('[data-testid="import-note"]').textContent() ?? '', /Imported realistic\.har: 9 Diffusion-related records from 8 entries/);
  assert.deepEqual(errors, []);
  await page.locator('[data-testid="connection-row"]').first().click();
  await page.waitForSelector('[data-testid="attempt-detail"]');
  writeOut('panel-light.png', await page.screenshot());
  await page.close();
});
