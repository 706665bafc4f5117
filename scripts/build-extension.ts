// The Chrome extension in dist/chrome/: manifest.json (from the one at the repository top, version
// from package.json), the page hook and relay (content scripts), the background worker, the DevTools
// page and the panel page. scripts/build.ts runs these builds next to the CLI's.
import type { BuildOptions, Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function extensionTargets(root: string, version: string): Promise<BuildOptions[]> {
  const outdir = join(root, 'dist/chrome');
  const common: BuildOptions = {
    bundle: true,
    platform: 'browser',
    target: ['chrome111'],
    legalComments: 'none',
    logLevel: 'warning',
    define: { __DCI_VERSION__: JSON.stringify(version) },
  };
  // Static files go in after the bundles are written, so a watch rebuild refreshes them too.
  const statics: Plugin = {
    name: 'dci-extension-statics',
    setup(b) {
      b.onEnd((result) => {
        if (result.errors.length > 0) return;
        mkdirSync(outdir, { recursive: true });
        const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
        manifest['version'] = version;
        writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        for (const f of ['devtools.html', 'panel.html']) copyFileSync(join(root, 'src/devtools', f), join(outdir, f));
      });
    },
  };
  const targets: BuildOptions[] = [
    // The hook runs in every page at document_start: one small, self-contained IIFE.
    { ...common, entryPoints: { hook: join(root, 'src/page/hook.ts') }, outdir, format: 'iife', minify: true },
    { ...common, entryPoints: { relay: join(root, 'src/page/relay.ts') }, outdir, format: 'iife', minify: true },
    { ...common, entryPoints: { background: join(root, 'src/background/index.ts') }, outdir, format: 'esm' },
    {
      ...common,
      entryPoints: { devtools: join(root, 'src/devtools/devtools.ts'), 'panel-page': join(root, 'src/devtools/panel-page.ts') },
      outdir,
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'text' },
      plugins: [statics],
    },
  ];
  return Promise.resolve(targets);
}
