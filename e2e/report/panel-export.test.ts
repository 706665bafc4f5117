// The panel's Export → HTML: the file it downloads is the same report, openable without the panel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startShell, type ShellEnv } from '../panel/harness.ts';
import { realisticCapture } from '../panel/hars.ts';
import { buildReportAssets } from '../../scripts/report-assets.ts';
import { PASSWORD, PASSWORD_TUNNEL, TOKEN } from '../../src/sources/har/test-fixtures.ts';

let env: ShellEnv;
let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dci-html-export-'));
  env = await startShell({}, { __DCI_REPORT_ASSETS__: JSON.stringify(await buildReportAssets()) });
});
after(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Export → HTML downloads one redacted page that shows the same connections and findings', async () => {
  const query = `?har=${encodeURIComponent(new URL(env.put('realistic.har', realisticCapture())).pathname)}`;
  const { page, errors } = await env.open(query);
  try {
    await page.waitForSelector('[data-testid="connection-row"]');
    const rows = await page.locator('[data-testid="connection-row"]').allTextContents();
    const rules = await page.locator('[data-testid="verdict"], [data-testid="finding"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-html"]').click()]);
    assert.match(dl.suggestedFilename(), /^dci-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.html$/);
    assert.equal(await page.locator('[data-testid="status"]').textContent(), 'Exported HTML report (secrets redacted)');
    const html = await readFile((await dl.path())!, 'utf8');
    for (const s of [PASSWORD, PASSWORD_TUNNEL, TOKEN]) assert.ok(!html.includes(s), `the export holds ${s}`);
    const file = join(dir, 'export.html');
    writeFileSync(file, html);
    // Opened on its own, as from a ticket: no server, no panel around it.
    // A context of its own: the shell's lets only its server through.
    const context = await env.browser.newContext();
    const report = await context.newPage();
    try {
      const requests: string[] = [];
      report.on('request', (r) => requests.push(r.url()));
      await report.goto(pathToFileURL(file).href);
      await report.waitForSelector('[data-testid="connection-row"]');
      assert.deepEqual(await report.locator('[data-testid="connection-row"]').allTextContents(), rows);
      assert.deepEqual(await report.locator('[data-testid="verdict"], [data-testid="finding"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule'))), rules);
      assert.match(await report.locator('[data-testid="report-banner"]').textContent() ?? '', /^Diffusion connection report of realistic\.har \(/);
      assert.deepEqual(requests, [pathToFileURL(file).href]);
    } finally {
      await context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
