// Import, export and copy inside the real DevTools panel: a recorded capture picked through the
// panel's file input and one dropped on the panel; the three exports downloaded by the browser
// (read back from disk); the report copied to the clipboard (read back in another page). All of
// it redacted: the capture holds the lab's password, which no output may.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_PASSWORD } from '../lab/scenarios/catalogue.ts';
import { encodePlainCredential } from '../../src/core/diffusion/credentials.ts';
import { buildExtension, launchWithExtension, pickFile, root, waitFor, waitForPanel, type ExtensionBrowser, type OpenedPanel, type TargetSession } from './harness.ts';

const FIXTURES = join(root, 'e2e/fixtures/chromium');
const CAPTURE = join(FIXTURES, 'credentials-over-websocket.har');
const SECRETS = [LAB_PASSWORD, encodePlainCredential(LAB_PASSWORD), encodeURIComponent(encodePlainCredential(LAB_PASSWORD))];

let browser: ExtensionBrowser;
let server: Server;
let origin = '';
let downloads = '';
let opened: OpenedPanel;
const done = new Map<string, string>(); // suggested file name → guid, once completed
const named = new Map<string, string>(); // guid → suggested file name

before(async () => {
  buildExtension();
  downloads = mkdtempSync(join(tmpdir(), 'dci-downloads-'));
  server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>blank</title><textarea id="paste"></textarea>'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${address.port}`;
  browser = await launchWithExtension();
  const bs = browser.browserSession();
  bs.on('Browser.downloadWillBegin' as never, ((e: { guid: string; suggestedFilename: string }) => named.set(e.guid, e.suggestedFilename)) as never);
  bs.on('Browser.downloadProgress' as never, ((e: { guid: string; state: string }) => {
    const name = named.get(e.guid);
    if (e.state === 'completed' && name) done.set(name, e.guid);
  }) as never);
  await bs.send('Browser.setDownloadBehavior' as never, { behavior: 'allowAndName', downloadPath: downloads, eventsEnabled: true } as never);
  const page = await browser.lab.context.newPage();
  await page.goto(`${origin}/`);
  opened = await browser.openPanel(page);
});

after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const status = (panel: TargetSession) => panel.evaluate<string>(`document.querySelector('[data-testid="status"]').textContent`);

function assertRedacted(what: string, text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} holds ${s}`);
}

test('a HAR picked with the panel\'s file input is imported and analysed', async () => {
  const { panel } = opened;
  await pickFile(panel, '[data-testid="import-file"]', CAPTURE);
  const view = await waitForPanel(panel, 'the imported capture', (v) => v.rows.length > 0 && v.rules.includes('credentials-over-insecure-transport'));
  assert.match(view.text, /Imported credentials-over-websocket\.har: \d+ Diffusion-related records? from \d+ entries/);
  assert.equal(await status(panel), 'Imported credentials-over-websocket.har');
  assertRedacted('the panel', view.html);
});

test('the three exports are downloaded by the browser, readable and redacted', async () => {
  const { panel } = opened;
  const files: Record<string, string> = {};
  for (const [kind, ext, said] of [['json', '.json', 'JSON report'], ['markdown', '.md', 'Markdown report'], ['har', '.har', 'HAR']] as const) {
    const before = new Set(done.keys());
    await panel.evaluate(`document.querySelector('[data-testid="export-${kind}"]').click()`);
    const name = await waitFor(`the ${kind} download`, () => [...done.keys()].find((n) => !before.has(n) && n.endsWith(ext)));
    assert.match(name, /^dci-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\w+$/);
    files[kind] = readFileSync(join(downloads, done.get(name)!), 'utf8');
    assert.equal(await status(panel), `Exported ${said} (secrets redacted)`);
    assertRedacted(`the ${kind} export`, files[kind]);
  }
  const json = JSON.parse(files['json']!) as { connections: unknown[]; findings: { rule: string }[] };
  assert.ok(json.connections.length > 0);
  assert.ok(json.findings.some((f) => f.rule === 'credentials-over-insecure-transport'), JSON.stringify(json.findings.map((f) => f.rule)));
  assert.match(files['markdown']!, /credentials-over-insecure-transport/);
  const har = JSON.parse(files['har']!) as { log: { version: string; entries: { request: { url: string } }[] } };
  assert.equal(har.log.version, '1.2');
  assert.ok(har.log.entries.length > 0 && har.log.entries.every((e) => /\/diffusion/.test(e.request.url)), JSON.stringify(har.log.entries.map((e) => e.request.url)));
});

test('Copy report puts the redacted Markdown report on the clipboard from inside DevTools', async () => {
  const { panel } = opened;
  await panel.evaluate(`document.querySelector('[data-testid="copy-report"]').click()`);
  await waitFor('the copy status', async () => (await status(panel)) === 'Markdown report copied to the clipboard (secrets redacted)');
  // DevTools' panel frame may not read the clipboard; a plain loopback page may, once allowed.
  await browser.browserSession().send('Browser.grantPermissions' as never, { origin, permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'] } as never);
  const reader = await browser.lab.context.newPage();
  try {
    await reader.goto(`${origin}/`);
    await reader.bringToFront();
    const text = await reader.evaluate(() => navigator.clipboard.readText());
    assert.match(text, /credentials-over-insecure-transport/);
    assert.match(text, /^# /);
    assertRedacted('the clipboard', text);
  } finally {
    await reader.close();
  }
});

test('a HAR dropped on the panel is imported too', async () => {
  const { panel } = opened;
  await panel.evaluate(`document.querySelector('[data-testid="clear"]').click()`);
  await waitForPanel(panel, 'a cleared panel', (v) => v.rows.length === 0);
  const har = readFileSync(join(FIXTURES, 'connection-rejected-authentication.har'), 'utf8');
  // What the browser dispatches for a file dragged in from the desktop.
  await panel.evaluate(`(() => {
    const target = document.querySelector('[data-testid="panel"]');
    const data = new DataTransfer();
    data.items.add(new File([${JSON.stringify(har)}], 'connection-rejected-authentication.har', { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    return true;
  })()`);
  const view = await waitForPanel(panel, 'the dropped capture', (v) => v.rows.some((r) => r.outcome === 'rejected') && v.rules.includes('connection-rejected'));
  assert.match(view.text, /Imported connection-rejected-authentication\.har/);
});
