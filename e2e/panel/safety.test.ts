// Page data is hostile and secret: markup in URLs, headers and frames renders as text, and no
// password, token or cookie reaches the DOM, an export or the clipboard.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright';
import { analyze } from '../../src/core/analyze.ts';
import { readHarText } from '../../src/sources/har/read.ts';
import { startShell, type ShellEnv } from './harness.ts';
import { HOSTILE, PASSWORD, SECRETS, TOKEN, hostileCapture, knowledgeCapture, realisticCapture } from './hars.ts';
import { encodings } from '../../src/core/diffusion/secrets.ts';

let env: ShellEnv;
let hostileQuery = '';
let realisticQuery = '';
let knowledgeQuery = '';
before(async () => {
  env = await startShell();
  hostileQuery = `?har=${encodeURIComponent(new URL(env.put('hostile.har', hostileCapture())).pathname)}`;
  realisticQuery = `?har=${encodeURIComponent(new URL(env.put('realistic.har', realisticCapture())).pathname)}`;
  knowledgeQuery = `?har=${encodeURIComponent(new URL(env.put('knowledge.har', knowledgeCapture())).pathname)}`;
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.origin });
});
after(async () => { await env?.close(); });

/** Select every connection and every attempt, so every detail has been rendered at least once. */
async function visitEverything(page: Page, check: () => Promise<void>): Promise<void> {
  const rows = page.locator('[data-testid="connection-row"]');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    await rows.nth(i).click();
    await page.locator('[data-testid="attempt-detail"]').first().waitFor();
    await check();
  }
  const findings = page.locator('[data-testid="verdict"], [data-testid="finding"]');
  for (let i = 0; i < Math.min(await findings.count(), 20); i++) {
    await findings.nth(i).click();
    await check();
  }
}

function assertNoSecret(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} contains the secret ${JSON.stringify(s)}`);
}

test('a hostile capture renders as text: no element from it, no dialog, no script run', async () => {
  const { page, dialogs, errors } = await env.open(hostileQuery);
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    const checkDom = async () => {
      const dom = await page.evaluate(() => ({
        images: document.querySelectorAll('img, iframe, object, embed, svg image').length,
        scripts: document.scripts.length,
        handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
        links: document.querySelectorAll('a[href], [href^="javascript:"], [src^="javascript:"]').length,
        text: document.body.textContent ?? '',
      }));
      assert.equal(dom.images, 0, 'an element was created from page data');
      assert.equal(dom.scripts, 1, 'only the shell script');
      assert.equal(dom.handlers, 0);
      assert.equal(dom.links, 0, 'page URLs must not become live links');
      return dom.text;
    };
    let seen = '';
    await visitEverything(page, async () => { seen += await checkDom(); });
    // The markup is there, as text: in an endpoint path, a URL, a header, an error.
    assert.ok(seen.includes('<img src=x onerror=alert(1)>'), 'hostile text shown as text');
    assert.ok(seen.includes('<script>alert(2)</script>'));
    assert.ok(seen.includes('javascript:alert(3)'), 'a javascript: header value is shown as text');
    assert.ok(seen.includes(HOSTILE), 'whole hostile string appears verbatim');
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('no secret in the DOM, in any export, or on the clipboard', async () => {
  const { page, errors } = await env.open(realisticQuery);
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    await visitEverything(page, async () => assertNoSecret(await page.content(), 'the DOM'));
    assert.match(await page.locator('[data-testid="attempt-url"]').first().textContent() ?? '', /password=\[redacted\]/);

    const download = async (testid: string): Promise<string> => {
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.locator(`[data-testid="${testid}"]`).click()]);
      return readFile((await dl.path())!, 'utf8');
    };
    const json = await download('export-json');
    assertNoSecret(json, 'the JSON export');
    const report = JSON.parse(json) as { schema: number; connections: unknown[] };
    assert.equal(report.connections.length, 3);
    const md = await download('export-markdown');
    assertNoSecret(md, 'the Markdown export');
    assert.match(md, /^# Diffusion connection report/);
    const harText = await download('export-har');
    assertNoSecret(harText, 'the HAR export');
    // The exported HAR still tells the same story.
    const again = analyze(readHarText(harText).observations);
    const original = analyze(readHarText(realisticCapture()).observations);
    assert.deepEqual(again.connections.map((c) => c.outcome), original.connections.map((c) => c.outcome));
    assert.deepEqual(again.connections.map((c) => c.attempts.map((a) => a.response?.code ?? null)), original.connections.map((c) => c.attempts.map((a) => a.response?.code ?? null)));
    assert.match(await page.locator('[data-testid="status"]').textContent() ?? '', /Exported HAR/);

    await page.locator('[data-testid="copy-report"]').click();
    await page.locator('[data-testid="status"]', { hasText: 'copied' }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(clip, /^# Diffusion connection report/);
    assertNoSecret(clip, 'the clipboard');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

// Redaction by name misses a secret under another name; the panel removes every secret the capture
// taught it (the tunnel's password, the session token) in each encoding, wherever it shows text.
test('secrets the capture taught are removed from everything the panel shows, in any encoding', async () => {
  const { page, errors } = await env.open(knowledgeQuery);
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    const forms = [...encodings(PASSWORD), ...encodings(TOKEN)];
    let seen = '';
    await visitEverything(page, async () => {
      const html = await page.content();
      seen += html;
      for (const f of forms) assert.ok(!html.includes(f), `the DOM contains ${JSON.stringify(f)}`);
    });
    // What was there is still shown, with the secret cut out.
    assert.match(seen, /login\?next=\[redacted\]/);
    assert.match(seen, /resume\/\[redacted\]/);
    assert.match(seen, /back\?r=\[redacted\]/);
    assert.match(seen, /net::ERR_FAILED while sending \[redacted\]/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

// DevTools panels usually cannot use navigator.clipboard: the copy falls back to execCommand.
const BLOCK_CLIPBOARD = `Object.defineProperty(Navigator.prototype, 'clipboard', { get() { return { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')), readText: () => Promise.reject(new Error('blocked')) }; } });`;

test('copy falls back to a hidden textarea when the clipboard API is blocked', async () => {
  const { page } = await env.open(realisticQuery, { init: `${BLOCK_CLIPBOARD} document.addEventListener('copy', (e) => { window.__copied = document.activeElement && document.activeElement.value; });` });
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    await page.locator('[data-testid="copy-report"]').click();
    const status = page.locator('[data-testid="status"]');
    await status.filter({ hasText: 'copied' }).waitFor();
    const copied = await page.evaluate(() => (window as unknown as { __copied?: string }).__copied ?? '');
    assert.match(copied, /^# Diffusion connection report/);
    assertNoSecret(copied, 'the copied text');
    assert.equal(await page.locator('textarea').count(), 0, 'the helper textarea is removed');
  } finally {
    await page.close();
  }
});

test('a copy that fails everywhere says so', async () => {
  const { page } = await env.open(realisticQuery, { init: `${BLOCK_CLIPBOARD} Document.prototype.execCommand = () => false;` });
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    await page.locator('[data-testid="copy-report"]').click();
    const status = page.locator('[data-testid="status"]');
    await status.filter({ hasText: 'Copy failed' }).waitFor();
    assert.equal(await status.getAttribute('role'), 'status');
  } finally {
    await page.close();
  }
});
