// The HTML report: one self-contained file that shows the panel's own view of an analysis, read-only,
// in any browser, without the extension and without the network. The panel's bundle and style are
// inlined (built once, see scripts/report-assets.ts); the analysis, redacted, is embedded as a JSON
// data block that never executes. The Content-Security-Policy allows nothing but that one script and
// those styles, by hash: no request can leave the page, and no script from the capture can run.
import type { Analysis, Connection } from '../model.ts';
import { analysisRedactor } from './redact-analysis.ts';
import type { ReportMeta, ReportOptions } from './describe.ts';
import { REPORT_DATA_ID, type ReportData } from './html-data.ts';

export { REPORT_DATA_ID, type ReportData } from './html-data.ts';

/** The panel's bundle for reports, and the CSP hashes ("sha256-…") of it and of its style. */
export interface ReportAssets {
  script: string;
  css: string;
  scriptHash: string;
  cssHash: string;
  /** The report page's own small style (layout, read-only toolbar) and its hash. */
  pageCss: string;
  pageCssHash: string;
}

/** JSON safe inside a <script> element: no "<" (so no "</script>" or "<!--"), no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface HtmlInput {
  analysis: Analysis;
  meta: ReportMeta;
  observations: number;
  analyzeMs?: number;
  createdAt?: number;
}

export function toHtml(input: HtmlInput, assets: ReportAssets, opts: ReportOptions = {}): string {
  return toHtmlPieces(input, assets, opts).join('');
}

/**
 * The same page in pieces, to write one after the other. Its data block is stringified a connection
 * at a time: a capture of 100,000 attempts is never held as one redacted copy and one string of
 * 150 MB, each escaped again whole (1.3 GB at peak before).
 */
export function toHtmlPieces(input: HtmlInput, assets: ReportAssets, opts: ReportOptions = {}): string[] {
  // One revealer: learning the secrets of 100,000 attempts is not done twice.
  const { rest, connection, reveal } = analysisRedactor(input.analysis, opts);
  const data: ReportData = {
    schema: 1,
    meta: { ...input.meta, warnings: (input.meta.warnings ?? []).map((w) => reveal.text(w)) },
    analysis: rest,
    observations: input.observations,
    analyzeMs: input.analyzeMs ?? 0,
    createdAt: input.createdAt ?? Date.now(),
    includeSecrets: opts.includeSecrets ?? false,
  };
  const csp = [
    "default-src 'none'",
    `script-src '${assets.scriptHash}'`,
    `style-src '${assets.cssHash}' '${assets.pageCssHash}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const title = `Diffusion connection report${input.meta.file ? `: ${input.meta.file}` : ''}`;
  const head = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style id="dci-panel-style">${assets.css}</style>`,
    `<style>${assets.pageCss}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report shows the Diffusion panel\'s view of a capture and needs JavaScript.</noscript>',
    '<div id="root"></div>',
    `<script type="application/json" id="${REPORT_DATA_ID}">`,
  ].join('\n');
  const tail = ['</script>', `<script>${assets.script}</script>`, '</body>', '</html>', ''].join('\n');
  return [head, ...dataPieces(data, input.analysis.connections, connection), tail];
}

/**
 * scriptJson(data) with `connections` in data.analysis, in pieces: data's members up to analysis,
 * each connection, then the rest. Escaping is per character, so the pieces escape as the whole does.
 */
function dataPieces(data: ReportData, connections: readonly Connection[], redact: (c: Connection) => Connection): string[] {
  const { schema, meta, analysis, observations, analyzeMs, createdAt, includeSecrets } = data;
  const { findings, verdicts, context } = analysis;
  const pieces = [`${scriptJson({ schema, meta }).slice(0, -1)},"analysis":{"connections":[`];
  connections.forEach((c, i) => pieces.push(`${i > 0 ? ',' : ''}${scriptJson(redact(c))}`));
  pieces.push(`],${scriptJson({ findings, verdicts, context }).slice(1, -1)}},${scriptJson({ observations, analyzeMs, createdAt, includeSecrets }).slice(1)}`);
  return pieces;
}
