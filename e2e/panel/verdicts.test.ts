// Verdicts first, keyboard, filter and the timeline's dates, on the realistic capture with the
// analysis adjusted by verdict-page.tsx (synthetic verdicts and outcomes: core's diagnosis is not
// in this build's analysis yet).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { startShell, ROOT, type ShellEnv } from './harness.ts';
import { realisticCapture } from './hars.ts';

let env: ShellEnv;
let har = '';
before(async () => {
  env = await startShell({ verdicts: join(ROOT, 'e2e/panel/verdict-page.tsx') });
  env.put('verdicts.html', '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;height:100vh"><div id="root" style="height:100%"></div><script type="module" src="./verdicts.js"></script></body></html>');
  har = new URL(env.put('realistic.har', realisticCapture())).pathname;
});
after(async () => { await env?.close(); });

async function open(query: string): Promise<Page> {
  const page = await env.context.newPage();
  page.setDefaultTimeout(15_000);
  await page.setViewportSize({ width: 550, height: 800 });
  await page.goto(`${env.origin}/verdicts.html?har=${encodeURIComponent(har)}&${query}`);
  await page.waitForSelector('[data-testid="connection-row"]');
  return page;
}

const rowText = (page: Page) => page.locator('[data-testid="connection-row"] [data-testid="headline"]').allTextContents();
const detailsTitle = (page: Page) => page.locator('[data-testid="details"] .pane-title').textContent();

test('verdicts come first: rows carry their titles, consequences are folded, picking one selects its connection', async () => {
  const page = await open('verdicts');
  try {
    assert.equal(await page.locator('.findings-pane .pane-title').evaluate((e) => e.firstChild?.textContent?.trim()), 'Verdicts');
    const verdicts = page.locator('[data-testid="verdict"]');
    assert.equal(await verdicts.count(), 3);
    assert.deepEqual(await rowText(page), ['Verdict for c1: session-affinity-lost explains it', 'Verdict for c2: connection-rejected explains it', 'Verdict for c3: websocket-unavailable explains it']);
    // c1's other findings are its verdict's consequences, folded until asked for.
    const folded = verdicts.first().locator('details.consequences');
    assert.equal(await folded.evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.match(await folded.locator('summary').textContent() ?? '', /^\d+ consequences? it explains$/);
    await verdicts.nth(1).click();
    assert.equal(await verdicts.nth(1).getAttribute('aria-selected'), 'true');
    assert.equal(await detailsTitle(page), 'Connection c2');
    assert.match(await verdicts.nth(1).locator('[data-testid="finding-detail"]').textContent() ?? '', /evidence line for c2/);
  } finally {
    await page.close();
  }
});

test('without verdicts the rows still say what happened; a lost session is never green, a clean close is neutral', async () => {
  const page = await open('outcomes=c1:lost,c2:closed');
  try {
    const texts = await rowText(page);
    assert.equal(texts[0], 'Lost its session');
    assert.match(texts[1]!, /^Closed by the application/);
    assert.match(texts[2]!, /^No transport connected: /);
    const colour = (o: string) => page.locator(`[data-testid="connection-row"][data-outcome="${o}"] [data-testid="outcome-badge"]`).evaluate((e) => getComputedStyle(e).color);
    const lost = await colour('lost');
    assert.equal(lost, await colour('exhausted'), 'lost is drawn as a failure');
    assert.notEqual(lost, 'rgb(24, 128, 56)');
    assert.equal(await colour('closed'), 'rgb(95, 99, 104)', 'closed is drawn in the neutral, muted colour');
  } finally {
    await page.close();
  }
});

test('keyboard: arrows select in the list and the timeline; one selection at a time; a filter matching nothing hides the details', async () => {
  const page = await open('verdicts');
  try {
    await page.locator('[data-testid="connection-list"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await detailsTitle(page), 'Connection c1');
    await page.locator('[data-testid="verdict"]').nth(2).click();
    assert.equal(await detailsTitle(page), 'Connection c3');
    // Back in the list, the arrow selects c2: c3's verdict is no longer selected.
    await page.locator('[data-testid="connection-list"]').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await detailsTitle(page), 'Connection c2');
    assert.equal(await page.locator('[data-testid="verdict"][aria-selected="true"]').count(), 0);
    assert.equal(await page.locator('[data-testid="connection-row"][aria-selected="true"]').count(), 1);
    // The timeline is a list of lanes the keyboard walks, each named in words.
    const lanes = page.locator('[data-testid="timeline-lanes"]');
    await lanes.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await detailsTitle(page), 'Connection c3');
    assert.equal(await lanes.getAttribute('aria-activedescendant'), 'dci-lane-c3');
    assert.match(await page.locator('#dci-lane-c1').getAttribute('aria-label') ?? '', /^c1 connected: WEBSOCKET failed at \d\d:\d\d:\d\d\.\d{3}, XHR connected at /);
    // The verdicts' list walks with the arrows too.
    await page.locator('[data-testid="finding-list"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('[data-testid="verdict"][aria-selected="true"]').count(), 1);
    await page.locator('[data-testid="filter"]').fill('no-such-host.example');
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 0);
    assert.equal(await detailsTitle(page), 'Details');
    assert.match(await page.locator('[data-testid="finding-list"]').textContent() ?? '', /Nothing matches the filter/);
  } finally {
    await page.close();
  }
});

test('a capture that spans days puts the date on the timeline\'s labels', async () => {
  const page = await open('laterDays=1');
  try {
    assert.match(await page.locator('[data-testid="timeline-span"]').textContent() ?? '', /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} – \d\d-\d\d \d\d:/);
    const ticks = await page.locator('[data-testid="timeline-tick"]').allTextContents();
    assert.ok(ticks.length > 0 && ticks.every((t) => /^\d\d-\d\d \d\d:\d\d/.test(t)), ticks.join(' | '));
  } finally {
    await page.close();
  }
});

test('a session in the Diffusion worker: the panel says where it runs, what it cannot show, and how to inspect it', async () => {
  const page = await open('worker');
  try {
    const note = page.locator('[data-testid="worker-note"]');
    assert.match(await note.textContent() ?? '', /session in a SharedWorker \(diffusion-worker\.js\).*do not show.*chrome:\/\/inspect\/#workers.*about:debugging#workers/s);
  } finally {
    await page.close();
  }
  const plain = await open('');
  try {
    assert.equal(await plain.locator('[data-testid="worker-note"]').count(), 0);
  } finally {
    await plain.close();
  }
});
