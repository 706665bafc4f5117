// dist/firefox from the same sources as dist/chrome: the manifest Firefox needs (event page, gecko
// id, data collection declaration, a minimum version with MAIN-world content scripts, registered at
// run time; no Chrome key), the same files, and `web-ext lint` reports no errors.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIREFOX_MIN_VERSION, GECKO_ID } from '../../scripts/firefox-manifest.ts';
import { buildExtension, EXTENSION, root } from './harness.ts';

type Manifest = Record<string, any>;
const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;

before(() => buildExtension());

test('dist/firefox: an event page, a stable gecko id, no data collected, Firefox 140+', () => {
  const m = read(EXTENSION);
  assert.equal(m['manifest_version'], 3);
  assert.deepEqual(m['background'], { scripts: ['background.js'] });
  assert.deepEqual(m['browser_specific_settings'], {
    gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
    gecko_android: { strict_min_version: '142.0' },
  });
  assert.equal(FIREFOX_MIN_VERSION, '140.0', 'the first Firefox that reads data_collection_permissions (world: "MAIN" needs 128)');
  assert.equal(m['key'], undefined);
  assert.equal(m['minimum_chrome_version'], undefined);
  // The hook is registered at run time, only for the sites where Diffusion was used (src/background/sites.ts).
  assert.equal(m['content_scripts'], undefined);
  assert.ok(m['permissions'].includes('scripting'));
});

test('dist/firefox and dist/chrome come from one manifest and hold the same files', () => {
  const chrome = read(join(root, 'dist/chrome'));
  const firefox = read(EXTENSION);
  for (const k of ['name', 'description', 'version', 'devtools_page', 'content_scripts', 'host_permissions']) {
    assert.deepEqual(firefox[k], chrome[k], k);
  }
  // webRequest only in Firefox: in Chrome the permission alone slows every request of every tab.
  assert.deepEqual(chrome['permissions'], ['storage', 'scripting']);
  assert.deepEqual(firefox['permissions'], ['storage', 'scripting', 'webRequest']);
  assert.deepEqual(readdirSync(EXTENSION).sort(), readdirSync(join(root, 'dist/chrome')).sort());
  // Firefox runs background.scripts as a classic script: no module syntax in it.
  assert.doesNotMatch(readFileSync(join(EXTENSION, 'background.js'), 'utf8'), /^\s*(import|export)\s/m);
});

test('web-ext lint: clean, no errors and no warnings', () => {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/web-ext/bin/web-ext.js'), 'lint', '--source-dir', EXTENSION, '--output', 'json', '--no-input'], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
  });
  const out = JSON.parse(r.stdout) as { summary: { errors: number; warnings: number }; errors: { code: string; message: string }[]; warnings: { code: string }[] };
  assert.deepEqual(out.errors.map((e) => `${e.code}: ${e.message}`), []);
  assert.equal(out.summary.errors, 0);
  // data_collection_permissions needs Firefox 140 (Android 142); preact's innerHTML write is taken
  // out by scripts/no-inner-html.ts.
  assert.deepEqual(out.warnings, []);
});
