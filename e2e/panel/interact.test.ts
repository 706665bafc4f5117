// Selecting, highlighting, filtering and the keyboard, on the realistic capture.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright';
import { startShell, type ShellEnv } from './harness.ts';
import { realisticCapture } from './hars.ts';

let env: ShellEnv;
let query = '';
before(async () => {
  env = await startShell();
  query = `?har=${encodeURIComponent(new URL(env.put('realistic.har', realisticCapture())).pathname)}`;
});
after(async () => { await env?.close(); });

async function openLoaded(): Promise<Page> {
  const { page } = await env.open(query);
  await page.waitForSelector('[data-testid="connection-row"]');
  return page;
}

test('selecting a finding highlights its attempts in the list, the timeline and the details', async () => {
  const page = await openLoaded();
  try {
    // The rejection is the connection's verdict: its card leads the findings area.
    const finding = page.locator('[data-testid="verdict"][data-rule="connection-rejected"]');
    await finding.click();
    assert.equal(await finding.getAttribute('aria-selected'), 'true');
    // The rejected connection (c2) is the highlighted row, selected, and its details are shown.
    const hlRows = page.locator('[data-testid="connection-row"][data-highlighted="true"]');
    await hlRows.first().waitFor();
    assert.equal(await hlRows.count(), 1);
    assert.equal(await hlRows.getAttribute('data-outcome'), 'rejected');
    assert.equal(await hlRows.getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c2');
    assert.equal(await page.locator('[data-testid="attempt-detail"][data-highlighted="true"]').count(), 1);
    assert.ok(await page.locator('[data-testid="timeline-mark"][data-highlighted="true"]').count() >= 1);
    // The picked finding shows its whole text: rule, message and fix, wrapped, never cut.
    const picked = page.locator('[data-testid="verdict"][aria-selected="true"]');
    assert.match(await picked.textContent() ?? '', /116 AUTHENTICATION_FAILED.*connection-rejected.*Fix Check the principal/s);
    assert.ok(await picked.locator('.issue-text.fix').evaluate((e) => e.scrollWidth <= e.clientWidth && getComputedStyle(e).whiteSpace !== 'nowrap'));
    // The decoded response is shown; the token never is.
    assert.match(await page.locator('[data-testid="response"]').first().textContent() ?? '', /116 AUTHENTICATION_FAILED/);
  } finally {
    await page.close();
  }
});

test('keyboard: arrows move, Enter selects, ←/→ fold, Tab reaches every pane', async () => {
  const page = await openLoaded();
  try {
    const list = page.locator('[data-testid="connection-list"]');
    await list.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await list.getAttribute('aria-activedescendant'), 'dci-conn-0');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c1');
    // c1 has a drop and a reconnect beneath it; ← folds them, → unfolds.
    assert.equal(await page.locator('[data-testid="reconnect-row"]').count(), 1);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('[data-testid="reconnect-row"]').count(), 0);
    assert.equal(await page.locator('#dci-conn-0').getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('[data-testid="reconnect-row"]').count(), 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c3');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // Row 1 is c1's first child (a drop): it selects c1.
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c1');
    // Focus is visible on the active row.
    const outline = await page.locator('#dci-conn-1').evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.equal(outline, 'solid');

    // The findings list is reached with Tab and works the same way.
    const findings = page.locator('[data-testid="finding-list"]');
    await findings.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="verdict"][aria-selected="true"], [data-testid="finding"][aria-selected="true"]').count(), 1);
    // Roles and labels for assistive technology.
    assert.equal(await list.getAttribute('role'), 'tree');
    assert.equal(await list.getAttribute('aria-label'), 'Diffusion connections');
    assert.equal(await findings.getAttribute('role'), 'listbox');
    assert.equal(await page.locator('[role="toolbar"]').count(), 1);
    // Tab order: toolbar controls, then the lists.
    await page.locator('[data-testid="filter"]').focus();
    const order: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? ''));
    }
    assert.ok(order.includes('connection-list') && order.includes('finding-list'), order.join(' '));
  } finally {
    await page.close();
  }
});

test('the filter matches host, path, rule and outcome', async () => {
  const page = await openLoaded();
  try {
    const filter = page.locator('[data-testid="filter"]');
    const rows = page.locator('[data-testid="connection-row"]');
    await filter.fill('rejected');
    assert.deepEqual(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-outcome'))), ['rejected']);
    await filter.fill('transports-exhausted');
    assert.deepEqual(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-outcome'))), ['exhausted']);
    await filter.fill('/lb');
    assert.equal(await rows.count(), 2);
    await filter.fill('no-such-host.example');
    assert.equal(await rows.count(), 0);
    assert.match(await page.locator('[data-testid="connection-list"]').textContent() ?? '', /No connection matches the filter/);
    await filter.fill('');
    assert.equal(await rows.count(), 3);
  } finally {
    await page.close();
  }
});

test('clear empties the panel; the timeline follows the selection', async () => {
  const page = await openLoaded();
  try {
    await page.locator('[data-testid="timeline-lane"][data-connection-id="c3"] [data-testid="timeline-mark"]').last().click();
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c3');
    await page.locator('[data-testid="clear"]').click();
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 0);
    assert.equal(await page.locator('[data-testid="verdict"], [data-testid="finding"]').count(), 0);
    assert.match(await page.locator('[data-testid="totals"]').textContent() ?? '', /0 connections/);
  } finally {
    await page.close();
  }
});
