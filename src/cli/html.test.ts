// dci analyze --format html: one self-contained page, redacted, with the analysis as inert data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD_TUNNEL, TOKEN, secretsHar } from '../sources/har/test-fixtures.ts';
import { REPORT_DATA_ID, type ReportData } from '../core/report/html.ts';

test('--format html writes one page: CSP without network, inline script by hash, the redacted analysis as data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dci-html-cli-'));
  try {
    const file = join(dir, 'secrets.har');
    writeFileSync(file, JSON.stringify(secretsHar()));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dci.ts', 'analyze', file, '--format', 'html'], { encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const html = r.stdout;
    assert.match(html, /^<!doctype html>\n/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[^']+' 'sha256-[^']+';/);
    assert.ok(!/<(link|img|iframe)\b|\bsrc=/.test(html.replace(/<script>[\s\S]*<\/script>/, '')), 'nothing loaded from elsewhere');
    for (const s of [PASSWORD_TUNNEL, encodeURIComponent(PASSWORD_TUNNEL), TOKEN]) assert.ok(!html.includes(s), `holds ${s}`);
    const block = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^<]*)</script>`).exec(html);
    assert.ok(block, 'the data block');
    const data = JSON.parse(block[1]!) as ReportData;
    assert.equal(data.schema, 1);
    assert.equal(data.meta.file, file);
    assert.ok(data.analysis.connections.length > 0);
    assert.ok(data.analysis.connections.flatMap((c) => c.attempts).every((a) => a.response?.token == null), 'no session token');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
