// What people install: the store packages from `npm run package`, and dci from a packed tarball.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageNames } from './package.ts';

const ROOT = join(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
let dir = '';

before(() => { dir = mkdtempSync(join(tmpdir(), 'dci-package-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

function sh(cmd: string, args: string[], cwd = ROOT): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function unzipped(zip: string, name: string): Buffer {
  const r = spawnSync('unzip', ['-p', zip, name], { maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `${name} in ${zip}`);
  return r.stdout;
}

/** Width and height from a PNG's IHDR. */
function pngSize(png: Buffer): [number, number] {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

test('npm run package: a Chrome Web Store zip and a Firefox package, icons at each store\'s sizes, version from package.json', () => {
  sh(process.execPath, ['--import', 'tsx', 'scripts/package.ts']);
  const names = packageNames(version);
  const sizes = { chrome: ['16', '32', '48', '128'], firefox: ['48', '96'] };
  for (const browser of ['chrome', 'firefox'] as const) {
    const zip = names[browser];
    assert.ok(existsSync(zip), zip);
    const manifest = JSON.parse(unzipped(zip, 'manifest.json').toString('utf8')) as Record<string, any>;
    assert.equal(manifest['version'], version, `${browser} version`);
    assert.deepEqual(Object.keys(manifest['icons']).sort(), [...sizes[browser]].sort(), `${browser} icon sizes`);
    for (const [size, file] of Object.entries(manifest['icons'] as Record<string, string>)) {
      assert.deepEqual(pngSize(unzipped(zip, file)), [Number(size), Number(size)], `${browser} ${file}`);
    }
    for (const f of ['hook.js', 'relay.js', 'background.js', 'devtools.html', 'panel.html', 'panel-page.js']) unzipped(zip, f);
    assert.equal(manifest['key'], undefined, `${browser}: no development key (the Chrome Web Store refuses it)`);
  }
  // The package script refuses to pack a Firefox build that web-ext lint has anything to say about.
  assert.match(readFileSync(join(ROOT, 'scripts/package.ts'), 'utf8'), /web-ext lint is not clean/);
});

test('dci installs as a command from the packed tarball, with nothing else in it', () => {
  // prepack builds first (its output precedes npm's JSON).
  const out = sh('npm', ['pack', '--json', '--pack-destination', dir]);
  const packed = JSON.parse(out.slice(out.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, packed[0]!.filename);
  assert.deepEqual(packed[0]!.files.map((f) => f.path).sort(), ['README.md', 'dist/cli/dci.js', 'package.json']);
  const prefix = join(dir, 'prefix');
  sh('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], dir);
  const bin = join(prefix, 'bin', 'dci');
  assert.ok(existsSync(bin), `${bin} (${readdirSync(prefix).join(', ')})`);
  const help = sh(bin, ['--help'], dir);
  assert.match(help, /^Usage:\n {2}dci analyze <file\.har>/);
  assert.equal(sh(bin, ['--version'], dir), `${version}\n`);
  // A real capture, analysed by the installed command, from outside the clone: no dependency is missing.
  const capture = join(ROOT, 'e2e/fixtures/chromium/websocket-stripped-upgrade.har');
  assert.match(sh(bin, ['analyze', capture], dir), /websocket-unavailable/);
  assert.match(sh(bin, ['analyze', capture, '--format', 'html'], dir), /^<!doctype html>/);
});
