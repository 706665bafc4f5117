// How to bundle the panel: `panel/index.tsx` (mountPanel, for the DevTools panel page) and the
// inline shell (`shell.html` + `shell.tsx`, the same UI in a plain tab). scripts/build.ts calls this.
import type { BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PanelBuildExtras {
  /** Where the files go; default <root>/dist/panel. */
  outdir?: string;
  minify?: boolean;
}

/** One esbuild build: panel.js (ESM, exports mountPanel), shell.js and shell.html. */
export function panelBuildOptions(root: string, extras: PanelBuildExtras = {}): BuildOptions {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    entryPoints: [
      { in: join(root, 'panel/index.tsx'), out: 'panel' },
      { in: join(root, 'panel/shell.tsx'), out: 'shell' },
      { in: join(root, 'panel/shell.html'), out: 'shell' },
    ],
    outdir: extras.outdir ?? join(root, 'dist/panel'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'text', '.html': 'copy' },
    define: { __DCI_VERSION__: JSON.stringify(pkg.version) },
    minify: extras.minify ?? false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
}
