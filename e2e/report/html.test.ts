// The HTML report in real Chromium, opened from a file as a ticket's attachment would be: it shows
// the panel's view, the keyboard works, nothing from the capture runs, no secret is in the file, and
// the page makes no request at all.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../chromium.ts';
import { analyze } from '../../src/core/analyze.ts';
import { readHarText } from '../../src/sources/har/read.ts';
import { toHtml, type ReportAssets } from '../../src/core/report/html.ts';
import { PASSWORD, PASSWORD_TUNNEL, TOKEN, secretsHar, wsFailed } from '../../src/sources/har/test-fixtures.ts';
import { buildReportAssets } from '../../scripts/report-assets.ts';
import { writeOut } from '../panel/harness.ts';

const ROOT = join(import.meta.dirname, '../..');
const HOSTILE_URL = 'wss://push.example.com/lb/diffusion?ty=WB&v=29&x=</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const HOSTILE_ERROR = '<img src=x onerror="window.__pwned=3"><script>window.__pwned=4</script>';

let dir = '';
let browser: Browser;
let assets: ReportAssets;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dci-html-'));
  assets = await buildReportAssets();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30_000, args: [...CHROMIUM_BASE_ARGS] });
});

after(async () => {
  await browser?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

function reportOf(harJson: unknown, name: string, file: string): { path: string; html: string } {
  const read = readHarText(JSON.stringify(harJson));
  const html = toHtml({
    analysis: analyze(read.observations),
    meta: { version: '9.9.9', file, entries: read.entries, skipped: read.skipped, unrelated: read.unrelated, warnings: read.warnings },
    observations: read.observations.length,
    createdAt: Date.UTC(2026, 0, 2, 3, 4),
  }, assets);
  const path = join(dir, name);
  writeFileSync(path, html);
  return { path, html };
}

interface Opened { page: Page; requests: string[]; problems: string[] }

async function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`error: ${e.message}`));
  // CSP refusals are logged as console errors: any would mean the page tried something it may not.
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`); });
  await page.goto(pathToFileURL(path).href);
  await page.waitForSelector('[data-testid="connection-row"]');
  return { page, requests, problems };
}

test('the report shows the panel\'s view of the capture, read-only, and the keyboard works', async () => {
  const capture = JSON.parse(readFileSync(join(ROOT, 'e2e/fixtures/chromium/websocket-stripped-upgrade.har'), 'utf8')) as unknown;
  const { path } = reportOf(capture, 'stripped.html', 'websocket-stripped-upgrade.har');
  const { page, requests, problems } = await open(path);
  try {
    assert.match(await page.locator('[data-testid="report-banner"]').textContent() ?? '', /^Diffusion connection report of websocket-stripped-upgrade\.har \(9 entries, 4 not Diffusion traffic\), made by dci 9\.9\.9 on 2026-01-02 03:04 UTC\. Read-only; secrets redacted\.$/);
    assert.match(await page.locator('[data-testid="connection-row"]').first().textContent() ?? '', /WEBSOCKET failed \(status 200/);
    assert.equal(await page.locator('[data-testid="verdict"][data-rule="websocket-unavailable"], [data-testid="finding"][data-rule="websocket-unavailable"]').count(), 1);
    assert.match(await page.locator('[data-testid="import-note"]').textContent() ?? '', /websocket-stripped-upgrade\.har/);
    // Nothing in view changes the capture: no clear, import, preserve log, export or copy.
    for (const id of ['clear', 'import', 'preserve-log', 'export-json', 'export-markdown', 'export-har', 'copy-report']) {
      assert.equal(await page.locator(`[data-testid="${id}"]`).isVisible(), false, `${id} hidden`);
    }
    // The keyboard: arrows move, Enter selects and opens the details; the filter narrows.
    const list = page.locator('[data-testid="connection-list"]');
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="details"] .pane-title').textContent(), 'Connection c1');
    assert.match(await page.locator('[data-testid="attempt-url"]').first().textContent() ?? '', /^ws:\/\/app\.lab\.test:\d+\/diffusion\?ty=WB/);
    const findings = page.locator('[data-testid="finding-list"]');
    await findings.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('[data-testid="verdict"][aria-selected="true"], [data-testid="finding"][aria-selected="true"]').count(), 1);
    // The selected verdict shows its evidence and its fix.
    assert.match(await page.locator('[data-testid="finding-detail"]').textContent() ?? '', /status 200/);
    assert.match(await page.locator('[aria-selected="true"] .issue-text.fix').first().textContent() ?? '', /Upgrade and Connection headers/);
    await page.locator('[data-testid="filter"]').fill('no-such-host');
    assert.equal(await page.locator('[data-testid="connection-row"]').count(), 0);
    await page.locator('[data-testid="filter"]').fill('');
    await page.locator('[data-testid="connection-list"]').click({ position: { x: 5, y: 5 } });
    writeOut('html-report.png', await page.screenshot());
    assert.deepEqual(requests, [pathToFileURL(path).href], 'the file itself and nothing else');
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});

test('no script from the captured data runs, no secret is in the file, no request is made', async () => {
  const base = secretsHar() as { log: { entries: unknown[] } };
  const hostile = wsFailed({ url: HOSTILE_URL }) as { response: { _error: string } };
  hostile.response._error = HOSTILE_ERROR;
  base.log.entries.push(hostile);
  const { path, html } = reportOf(base, 'hostile.html', 'capture</title><script>window.__pwned=5</script>.har');
  for (const secret of [PASSWORD, PASSWORD_TUNNEL, encodeURIComponent(PASSWORD_TUNNEL), TOKEN, encodeURIComponent(TOKEN)]) {
    assert.ok(!html.includes(secret), `the file holds ${secret}`);
  }
  assert.ok(html.includes('[redacted]'));
  // The data block cannot be closed from inside: "<" only ever appears escaped in it.
  const data = html.slice(html.indexOf('<script type="application/json"'), html.indexOf('</script>'));
  assert.ok(data.includes('\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1'));
  // The data block, then the page's own script (its code holds the words "<script" in strings, with
  // every "</script" escaped): the first "</script>" after it is the file's last.
  const dataEnd = html.indexOf('</script>', html.indexOf('<script type="application/json"'));
  const pageScript = html.indexOf('<script>', dataEnd);
  assert.equal((html.slice(0, pageScript).match(/<script/g) ?? []).length, 1, 'only the data block before the page script');
  assert.equal(html.indexOf('</script>', pageScript), html.length - '</script>\n</body>\n</html>\n'.length, 'the page script ends only at the end of the file');
  const { page, requests, problems } = await open(path, 'dark');
  try {
    await page.locator('[data-testid="connection-row"]').first().click();
    await page.locator('[data-testid="details"]').waitFor();
    // The hostile URL and error are shown as text.
    const shown = await page.locator('body').textContent() ?? '';
    assert.ok(shown.includes('<script>window.__pwned=1</script>') || shown.includes(HOSTILE_ERROR), 'hostile text shown as text');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img, iframe, object, embed').count(), 0);
    assert.match(await page.title(), /^Diffusion connection report: capture<\/title><script>window\.__pwned=5<\/script>\.har$/);
    const dom = await page.content();
    for (const secret of [PASSWORD, PASSWORD_TUNNEL, TOKEN]) assert.ok(!dom.includes(secret), `the page shows ${secret}`);
    assert.deepEqual(requests, [pathToFileURL(path).href]);
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});
