// Builds the HTML report's page script (panel/report-entry.tsx: the panel's view, read-only) into a
// string, with the panel's style and the CSP hashes that let exactly these run inside the report.
// scripts/build.ts embeds the result in dci and in the extension's panel; unbuilt runs (tsx, tests)
// call it on demand.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportAssets } from '../src/core/report/html.ts';
import { noInnerHtml } from './no-inner-html.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// The page around the panel: full height, the banner, and the toolbar without the tools that would
// change or re-export the capture.
const PAGE_CSS = [
  'html, body { height: 100%; margin: 0; }',
  'body { display: flex; flex-direction: column; font: 12px system-ui, sans-serif; }',
  '#root { flex: 1; min-height: 0; }',
  '.report-banner { padding: 4px 8px; background: #fff8e1; color: #3e2f00; border-bottom: 1px solid #e0c870; }',
  '@media (prefers-color-scheme: dark) { .report-banner { background: #3a3000; color: #f5e6a8; border-color: #6b5a10; } }',
  '.toolbar [data-testid="clear"], .toolbar .check, .toolbar [data-testid="import"], .toolbar .group,',
  '.toolbar [data-testid="copy-report"], .toolbar .sep { display: none !important; }',
].join('\n');

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

export async function buildReportAssets(root: string = ROOT): Promise<ReportAssets> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const result = await build({
    entryPoints: [join(root, 'panel/report-entry.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'text' },
    define: { __DCI_VERSION__: JSON.stringify(pkg.version) },
    minify: true,
    plugins: [noInnerHtml],
    legalComments: 'none',
    logLevel: 'warning',
  });
  // Inline in <script>: "</script" or "<!--" in a string would end or confuse the element.
  // \x3C reads as "<" in a string, template or regular expression alike.
  const script = result.outputFiles[0]!.text.replace(/<(\/script|!--)/gi, '\\x3C$1');
  const css = readFileSync(join(root, 'panel/panel.css'), 'utf8').replace(/<\/style/gi, '<\\/style');
  return { script, css, scriptHash: sha256(script), cssHash: sha256(css), pageCss: PAGE_CSS, pageCssHash: sha256(PAGE_CSS) };
}
