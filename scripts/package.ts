// npm run package: the store packages, from a fresh build.
//   dist/packages/diffusion-connection-inspector-chrome-<version>.zip    Chrome Web Store upload
//   dist/packages/diffusion-connection-inspector-firefox-<version>.zip   addons.mozilla.org upload
// Both manifests carry package.json's version (the build writes it). The Chrome Web Store refuses a
// manifest with "key" (it only pins the id of an unpacked development copy), so its copy goes. The
// Firefox build must pass `web-ext lint` with no message at all before it is packed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist/packages');
const WEB_EXT = join(ROOT, 'node_modules/web-ext/bin/web-ext.js');

function run(args: string[], what: string): string {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export function packageNames(version: string): { chrome: string; firefox: string } {
  return {
    chrome: join(OUT, `diffusion-connection-inspector-chrome-${version}.zip`),
    firefox: join(OUT, `diffusion-connection-inspector-firefox-${version}.zip`),
  };
}

function webExtBuild(sourceDir: string, file: string): void {
  run([WEB_EXT, 'build', '--source-dir', sourceDir, '--artifacts-dir', dirname(file), '--filename', relative(dirname(file), file), '--overwrite-dest', '--no-input'], `web-ext build of ${sourceDir}`);
}

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
run(['--import', 'tsx', join(ROOT, 'scripts/build.ts')], 'the build');

const lint = JSON.parse(run([WEB_EXT, 'lint', '--source-dir', join(ROOT, 'dist/firefox'), '--output', 'json', '--no-input'], 'web-ext lint')) as {
  errors: { code: string; message: string }[]; warnings: { code: string; message: string }[]; notices: { code: string; message: string }[];
};
const messages = [...lint.errors, ...lint.warnings, ...lint.notices];
if (messages.length > 0) throw new Error(`web-ext lint is not clean:\n${messages.map((m) => `${m.code}: ${m.message}`).join('\n')}`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const names = packageNames(version);

// Chrome: the build without its development key.
const stage = join(OUT, '.chrome-store');
cpSync(join(ROOT, 'dist/chrome'), stage, { recursive: true });
const manifest = JSON.parse(readFileSync(join(stage, 'manifest.json'), 'utf8')) as Record<string, unknown>;
delete manifest['key'];
writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
webExtBuild(stage, names.chrome);
rmSync(stage, { recursive: true, force: true });

webExtBuild(join(ROOT, 'dist/firefox'), names.firefox);

for (const file of [names.chrome, names.firefox]) console.log(`${relative(ROOT, file)}  ${Math.round(statSync(file).size / 1024)} KB  (version ${version})`);
