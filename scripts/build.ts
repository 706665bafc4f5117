// Builds what exists of the product with esbuild:
//   dist/cli/dci.js                    the command line (package bin "dci")
//   dist/chrome/, dist/firefox/        the extension, once manifest.json and its entry points exist
//   dist/report/report.js              the HTML report's page script, also embedded in both above
// `npm run build -- --watch` rebuilds on change.
import { build, context, type BuildOptions } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const watch = process.argv.includes('--watch');

// The HTML report's page (the panel's view, read-only), built first: dci and the panel embed it.
const { buildReportAssets } = await import('./report-assets.ts');
const reportAssets = await buildReportAssets(root);
mkdirSync(join(root, 'dist/report'), { recursive: true });
writeFileSync(join(root, 'dist/report/report.js'), reportAssets.script);
const withReport = (t: BuildOptions): BuildOptions => ({ ...t, define: { ...t.define, __DCI_REPORT_ASSETS__: JSON.stringify(reportAssets) } });

const cli: BuildOptions = {
  entryPoints: [join(root, 'src/cli/dci.ts')],
  outfile: join(root, 'dist/cli/dci.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  define: { __DCI_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

const targets: BuildOptions[] = [cli];
const extensionBuild = join(root, 'scripts/build-extension.ts');
if (existsSync(extensionBuild)) {
  const { extensionTargets } = (await import(extensionBuild)) as { extensionTargets: (root: string, version: string) => Promise<BuildOptions[]> };
  targets.push(...(await extensionTargets(root, pkg.version)));
}

targets.splice(0, targets.length, ...targets.map(withReport));

if (watch) {
  for (const t of targets) await (await context(t)).watch();
  console.log('watching for changes (Ctrl-C stops)');
} else {
  await Promise.all(targets.map((t) => build(t)));
  chmodSync(cli.outfile!, 0o755);
  console.log(`built dist/cli/dci.js${targets.length > 1 ? ' and the extension' : ''} (version ${pkg.version})`);
}
