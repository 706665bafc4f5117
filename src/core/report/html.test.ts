// The HTML report in pieces: joined, they are the page written whole, data block and all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../analyze.ts';
import { readHarText } from '../../sources/har/read.ts';
import { har, T0, wsFailed } from '../../sources/har/test-fixtures.ts';
import { REPORT_DATA_ID, scriptJson, toHtml, toHtmlPieces, type HtmlInput, type ReportAssets, type ReportData } from './html.ts';
import { redactAnalysis } from './redact-analysis.ts';
import { revealer } from './describe.ts';
import { META } from './test-analyses.ts';
import { encodePlainCredential } from '../diffusion/credentials.ts';

const FIXTURES = join(import.meta.dirname, '../../../e2e/fixtures/chromium');
const ASSETS: ReportAssets = { script: 'void 0', css: 'body{}', scriptHash: 'sha256-a', cssHash: 'sha256-b', pageCss: 'main{}', pageCssHash: 'sha256-c' };

/** The page's data block as it was written before it came in pieces: the redacted analysis in one go. */
function wholeData(input: HtmlInput, includeSecrets: boolean): string {
  const reveal = revealer({ includeSecrets }, input.analysis);
  const data: ReportData = {
    schema: 1,
    meta: { ...input.meta, warnings: (input.meta.warnings ?? []).map((w) => reveal.text(w)) },
    analysis: redactAnalysis(input.analysis, { includeSecrets }),
    observations: input.observations,
    analyzeMs: input.analyzeMs ?? 0,
    createdAt: input.createdAt ?? 0,
    includeSecrets,
  };
  return scriptJson(data);
}

function dataBlock(html: string): string {
  const open = `<script type="application/json" id="${REPORT_DATA_ID}">`;
  const from = html.indexOf(open) + open.length;
  return html.slice(from, html.indexOf('</script>', from));
}

test('the pieces join to the page with its data block written whole, for every recorded capture', () => {
  const names = readdirSync(FIXTURES).filter((f) => f.endsWith('.har'));
  assert.ok(names.length > 10);
  for (const name of names) {
    const read = readHarText(readFileSync(join(FIXTURES, name), 'utf8'));
    const input: HtmlInput = { analysis: analyze(read.observations), meta: { ...META, file: name, warnings: read.warnings }, observations: read.observations.length, analyzeMs: 12, createdAt: T0 };
    for (const includeSecrets of [false, true]) {
      const pieces = toHtmlPieces(input, ASSETS, { includeSecrets });
      const html = pieces.join('');
      assert.equal(html, toHtml(input, ASSETS, { includeSecrets }));
      assert.equal(dataBlock(html), wholeData(input, includeSecrets), name);
      assert.ok(pieces.length >= input.analysis.connections.length, 'a piece per connection');
    }
  }
});

test('page text that could end the data block or break the script stays escaped in every piece', () => {
  const hostile = 'https://app.example.com/</script><script>alert(1)</script>\u2028<!--&>';
  const entries = [wsFailed({ url: `wss://push.example.com/lb/diffusion?ty=WB&v=29&x=${encodeURIComponent('</script>')}` }), wsFailed({ start: T0 + 20_000 })];
  const capture = har(entries, { pages: [{ startedDateTime: new Date(T0).toISOString(), id: 'page_1', title: hostile, pageTimings: {} }] });
  const read = readHarText(JSON.stringify(capture).replaceAll('https://app.example.com/trade', hostile.replace(/\u2028/, '\\u2028')));
  const input: HtmlInput = { analysis: analyze(read.observations), meta: { ...META, file: '</script>.har' }, observations: read.observations.length, createdAt: T0 };
  const html = toHtmlPieces(input, ASSETS).join('');
  const block = dataBlock(html);
  assert.ok(!/[<>\u2028\u2029]/.test(block), block.slice(0, 200));
  const data = JSON.parse(block) as ReportData;
  assert.ok(JSON.stringify(data).includes('</script><script>alert(1)'), 'the hostile text is in the data');
  assert.equal(data.analysis.connections.length, input.analysis.connections.length);
  assert.equal(block, wholeData(input, false));
});

test('a learnt password is redacted wherever the page data carries it: an endpoint path, session properties, an answer', () => {
  const secret = 'Zq0a0AaaaAAA0A';
  const capture = JSON.parse(readFileSync(join(FIXTURES, '../firefox/credentials-over-http-polling.har'), 'utf8')) as { log: { entries: { request: { url: string; headers: { name: string; value: string }[] } }[] } };
  const handshake = capture.log.entries.find((e) => e.request.headers.some((h) => h.name === 'm' && h.value === '0'))!;
  handshake.request.headers.push({ name: 'password', value: encodePlainCredential(secret) });
  // An XHR URL has no query: what follows "&" is read as part of the path.
  handshake.request.url += `&trace=${secret}`;
  handshake.request.headers.push({ name: 'sp', value: JSON.stringify({ note: secret, [secret]: [[secret]] }) });
  const read = readHarText(JSON.stringify(capture));
  const analysis = analyze(read.observations);
  const attempts = analysis.connections.flatMap((c) => c.attempts);
  assert.ok(attempts.some((a) => a.endpoint.path.includes(secret)), 'the path holds the secret');
  assert.ok(attempts.some((a) => JSON.stringify(a.params.sessionProperties).includes(secret)), 'the session properties hold it');
  const html = toHtmlPieces({ analysis, meta: META, observations: read.observations.length, createdAt: T0 }, ASSETS).join('');
  assert.ok(!html.includes(secret), 'no secret in the page');
  assert.match(dataBlock(html), /"path":"\/diffusion\\u0026trace=\[redacted\]"/);
  assert.ok(toHtmlPieces({ analysis, meta: META, observations: 0, createdAt: T0 }, ASSETS, { includeSecrets: true }).join('').includes(secret), '--include-secrets keeps it');
});
