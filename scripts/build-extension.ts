// The extension for both browsers, from the same sources: dist/chrome/ and dist/firefox/. Each gets
// manifest.json (from the one at the repository top, version from package.json; Firefox's through
// firefoxManifest), the page hook and relay (content scripts), the background (Chrome: a module
// service worker; Firefox: a classic event-page script), the DevTools page and the panel page.
// scripts/build.ts runs these builds next to the CLI's.
import type { BuildOptions, Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firefoxManifest } from './firefox-manifest.ts';
import { HOOK_SOURCE, ignoreListComment } from './ignore-list.ts';
import { noInnerHtml } from './no-inner-html.ts';

type Browser = 'chrome' | 'firefox';

interface BrowserBuild {
  target: string;
  backgroundFormat: 'esm' | 'iife';
  manifest: (m: Record<string, unknown>) => Record<string, unknown>;
}

const BROWSERS: Record<Browser, BrowserBuild> = {
  chrome: { target: 'chrome111', backgroundFormat: 'esm', manifest: (m) => m },
  firefox: { target: 'firefox128', backgroundFormat: 'iife', manifest: firefoxManifest },
};

function browserTargets(root: string, version: string, browser: Browser): BuildOptions[] {
  const spec = BROWSERS[browser];
  const outdir = join(root, 'dist', browser);
  const common: BuildOptions = {
    bundle: true,
    platform: 'browser',
    target: [spec.target],
    legalComments: 'none',
    logLevel: 'warning',
    define: { __DCI_VERSION__: JSON.stringify(version) },
  };
  // Static files go in after the bundles are written, so a watch rebuild refreshes them too.
  const statics: Plugin = {
    name: `dci-extension-statics-${browser}`,
    setup(b) {
      b.onEnd((result) => {
        if (result.errors.length > 0) return;
        mkdirSync(outdir, { recursive: true });
        const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
        const manifest = spec.manifest(source);
        manifest['version'] = version;
        writeFileSync(join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        for (const f of ['devtools.html', 'panel.html', 'access.html']) copyFileSync(join(root, 'src/devtools', f), join(outdir, f));
        // The icons, rendered from icons/icon.svg by scripts/icons.ts.
        mkdirSync(join(outdir, 'icons'), { recursive: true });
        for (const f of readdirSync(join(root, 'icons')).filter((n) => n.endsWith('.png'))) copyFileSync(join(root, 'icons', f), join(outdir, 'icons', f));
      });
    },
  };
  return [
    // The hook runs in every page at document_start: one small, self-contained IIFE on one line,
    // ignore-listed so DevTools shows the page's code, not the hook, as what opened a socket.
    { ...common, entryPoints: { hook: join(root, 'src/page/hook.ts') }, outdir, format: 'iife', minify: true, footer: { js: ignoreListComment(HOOK_SOURCE) } },
    { ...common, entryPoints: { relay: join(root, 'src/page/relay.ts') }, outdir, format: 'iife', minify: true },
    { ...common, entryPoints: { background: join(root, 'src/background/index.ts') }, outdir, format: spec.backgroundFormat },
    {
      ...common,
      entryPoints: {
        devtools: join(root, 'src/devtools/devtools.ts'),
        'panel-page': join(root, 'src/devtools/panel-page.ts'),
        'access-page': join(root, 'src/devtools/access-page.ts'),
      },
      outdir,
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'text' },
      plugins: [noInnerHtml, statics],
    },
  ];
}

export function extensionTargets(root: string, version: string): Promise<BuildOptions[]> {
  return Promise.resolve([...browserTargets(root, version, 'chrome'), ...browserTargets(root, version, 'firefox')]);
}
