// Every capture recorded from the lab in real Chromium (e2e/fixtures/chromium/*.har): the panel shows
// exactly core's connections, outcomes and rule ids, raises what the scenario expects, and shows no
// password, token or cookie the capture holds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/analyze.ts';
import { readHarText } from '../../src/sources/har/read.ts';
import { startShell, writeOut, ROOT, type ShellEnv } from './harness.ts';

const DIR = join(ROOT, 'e2e/fixtures/chromium');
const names = existsSync(DIR) ? readdirSync(DIR).filter((n) => n.endsWith('.har')).sort() : [];

/** Secrets the capture carries: password tunnels, tokens (`c` in headers and URLs), cookie values. */
function secretsOf(text: string): string[] {
  const out = new Set<string>();
  const log = JSON.parse(text) as { log: { entries: { request: { url: string; headers: { name: string; value: string }[] } }[] } };
  for (const e of log.log.entries) {
    const q = e.request.url.split('?')[1] ?? '';
    for (const pair of q.split('&')) {
      const [k, v] = pair.split('=');
      if ((k === 'password' || k === 'c') && v) { out.add(v); out.add(decodeURIComponent(v)); }
    }
    for (const h of e.request.headers) {
      const n = h.name.toLowerCase();
      if (n === 'password' || n === 'c') { out.add(h.value); out.add(decodeURIComponent(h.value)); }
      if (n === 'cookie') for (const part of h.value.split(';')) { const v = part.split('=')[1]?.trim(); if (v && v.length >= 6) out.add(v); }
    }
  }
  for (const s of [...out]) {
    // The cleartext behind a PLAIN credential tunnel.
    const bytes = Buffer.from(s, 'base64');
    if (bytes[0] === 1 && bytes.length === bytes[1]! + 2) out.add(bytes.subarray(2).toString('utf8'));
  }
  return [...out].filter((s) => s.length >= 6);
}

let env: ShellEnv;
before(async () => { if (names.length) env = await startShell(); });
after(async () => { await env?.close(); });

test('recorded captures exist', { skip: names.length === 0 && 'no recorded captures yet' }, () => {
  assert.ok(names.length > 0);
});

for (const name of names) {
  test(`recorded capture ${name}`, async () => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const expectPath = join(DIR, name.replace(/\.har$/, '.expect.json'));
    const expected = existsSync(expectPath) ? (JSON.parse(readFileSync(expectPath, 'utf8')) as { raise?: string[] }) : {};
    const analysis = analyze(readHarText(text).observations);
    const { page, dialogs, errors } = await env.open(`?har=${encodeURIComponent(new URL(env.put(name, text)).pathname)}`);
    try {
      await page.locator('[data-testid="import-note"], [data-testid="import-error"]').first().waitFor();
      assert.equal(await page.locator('[data-testid="import-error"]').count(), 0);
      const rows = page.locator('[data-testid="connection-row"]');
      // Rows beyond the first screen are virtualised: compare what the totals say, and the rows shown.
      assert.match(await page.locator('[data-testid="totals"]').textContent() ?? '', new RegExp(`^${analysis.connections.length} connections?`));
      const shown = await rows.evaluateAll((r) => r.map((e) => [e.getAttribute('data-connection-id'), e.getAttribute('data-outcome')]));
      assert.deepEqual(shown, analysis.connections.slice(0, shown.length).map((c) => [c.id, c.outcome]));
      // Verdict cards and the findings folded under them (or standing alone) carry their rule.
      const rules = new Set(await page.locator('[data-testid="verdict"], [data-testid="finding"], [data-testid="consequence"]').evaluateAll((f) => f.map((e) => e.getAttribute('data-rule'))));
      for (const r of expected.raise ?? []) assert.ok(rules.has(r), `${r} not shown (shown: ${[...rules].join(', ')})`);
      const secrets = secretsOf(text);
      const n = Math.min(await rows.count(), 4);
      for (let i = 0; i < n; i++) {
        await rows.nth(i).click();
        const html = await page.content();
        for (const s of secrets) assert.ok(!html.includes(s), `the DOM shows the secret ${JSON.stringify(s)}`);
      }
      if (name === 'session-affinity-lost.har') {
        await page.locator('[data-testid="verdict"], [data-testid="finding"]').first().click();
        writeOut('panel-recorded-session-affinity-lost.png', await page.screenshot());
      }
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
}
