// The Markdown report as people read it: rendered by a CommonMark renderer (markdown-it), and raw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { analyze } from '../analyze.ts';
import { readHarText } from '../../sources/har/read.ts';
import { redactUrl } from '../diffusion/redact.ts';
import { har, wsFailed } from '../../sources/har/test-fixtures.ts';
import { toMarkdown } from './markdown.ts';
import { codeSpan, fencedBlock, fitTable, inlineText, oneLine } from './markdown-text.ts';
import { fixParts } from './fix.ts';
import { META, VERDICT_EVIDENCE, VERDICT_TITLE, analysisOf, analysisWithVerdict } from './test-analyses.ts';

const FIXTURES = join(import.meta.dirname, '../../../e2e/fixtures/chromium');
const commonmark = new MarkdownIt('commonmark');
// As GitHub renders: raw HTML passes, tables, bare URLs become links.
const gfm = new MarkdownIt({ html: true, linkify: true });

/** What a reader sees: the rendered HTML's text. */
function visible(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The raw Markdown with code spans and fenced blocks taken out: what must be plain prose. */
function prose(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/(`+)[^`][\s\S]*?\1/g, '');
}

test('every recorded capture: the visible text says what the report says, with no escape or entity', () => {
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.har'))) {
    const analysis = analyze(readHarText(readFileSync(join(FIXTURES, name), 'utf8')).observations);
    const md = toMarkdown(analysis, { ...META, file: name });
    const text = visible(commonmark.render(md)).replace(/\s+/g, ' ');
    // A verdict's consequences are told by their message; the fix shown is the cause's.
    const consequences = new Set(analysis.verdicts.flatMap((v) => v.consequences));
    for (const f of analysis.findings) {
      const { prose: fix, config } = fixParts(f.fix);
      assert.ok(text.includes(oneLine(f.message)), `${name}: ${f.rule} message reads as written`);
      if (consequences.has(f)) continue;
      assert.ok(text.includes(oneLine(fix)), `${name}: ${f.rule} fix reads as written`);
      for (const line of config) assert.ok(commonmark.render(md).includes(`${line.replace(/"/g, '&quot;')}\n`), `${name}: ${line} in a code block`);
      // Read raw, the only marks added are backticks.
      assert.ok(md.replace(/`/g, '').includes(oneLine(f.message).replace(/`/g, '')), `${name}: raw message`);
    }
    for (const c of analysis.connections) for (const a of c.attempts) assert.ok(text.includes(redactUrl(a.url)), `${name}: ${a.id} URL shown whole`);
    const plain = prose(md);
    assert.ok(!plain.includes('\\'), `${name}: a backslash outside code: ${plain.slice(plain.indexOf('\\') - 40, plain.indexOf('\\') + 40)}`);
    assert.ok(!/&[#a-z0-9]+;/i.test(md), `${name}: an HTML entity`);
    assert.ok(!/<a /.test(gfm.render(md)), `${name}: nothing becomes a link`);
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      assert.ok(line.length <= 100, `${name}: table row wider than 100: ${line}`);
      assert.ok(!line.includes('://'), `${name}: a URL in a table: ${line}`);
    }
  }
});

test('a fix\'s configuration is a fenced code block; the nginx directives read as code', () => {
  const capture = join(import.meta.dirname, '../../../e2e/fixtures/chromium/nginx-upgrade-headers-missing.har');
  const md = toMarkdown(analyze(readHarText(readFileSync(capture, 'utf8')).observations), META);
  assert.ok(md.includes('In nginx:\n\n```\nproxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection "upgrade";\n```\n'), md);
  assert.match(commonmark.render(md), /<pre><code>proxy_http_version 1\.1;\nproxy_set_header Upgrade \$http_upgrade;/);
});

test('verdicts lead, with the findings they explain listed beneath, then the other findings', () => {
  const md = toMarkdown(analysisWithVerdict(), META);
  const at = (s: string) => md.indexOf(s);
  assert.ok(at('## Verdicts') > 0 && at('## Other findings') > at('## Verdicts') && at('## Connection c1') > at('## Other findings'), md);
  const html = commonmark.render(md);
  assert.ok(html.includes(`<h3>1. ERROR: ${VERDICT_TITLE}</h3>`), html);
  assert.ok(visible(html).includes('Connection c1; attempt a1; rule websocket-unavailable.'));
  assert.ok(visible(html).includes(VERDICT_EVIDENCE));
  assert.match(html, /<strong>This explains one more finding:<\/strong>/);
  assert.match(visible(html), /error transports-exhausted \(c1\): The connection to wss:\/\/push\.example\.com:443\/lb\/diffusion never got/);
  assert.match(md, /## Other findings\n\n### 1\. WARNING: `no-fallback-transport`/);
  assert.equal(md.split('websocket-unavailable` (connection').length, 1, 'the cause is told once, as the verdict');
});

test('inline text: words that could be markup go in code spans, with sentence punctuation outside', () => {
  assert.equal(inlineText('The upgrade to ws://host:80/diffusion, then proxy_http_version 1.1.'), 'The upgrade to `ws://host:80/diffusion`, then `proxy_http_version` 1.1.');
  assert.equal(inlineText('failed (status 0, net::ERR_FAILED)'), 'failed (status 0, `net::ERR_FAILED`)');
  assert.equal(inlineText('- not a list'), '- not a list');
  assert.equal(inlineText('- not a list', true), '`-` not a list');
  assert.equal(inlineText('1. not a list', true), '`1.` not a list');
  assert.equal(inlineText('a <b> & c'), 'a `<b>` `&` c');
  assert.equal(codeSpan('a`b'), '``a`b``');
  assert.deepEqual(fencedBlock(['x ``` y']), ['````', 'x ``` y', '````']);
});

test('tables only where they fit: a wide or non-plain row gives none', () => {
  assert.deepEqual(fitTable(['a', 'b'], [['1', '2']]), ['| a | b |', '| --- | --- |', '| 1 | 2 |']);
  assert.equal(fitTable(['a', 'b'], [['1', 'x'.repeat(120)]]), null);
  assert.equal(fitTable(['a', 'b'], [['1', 'a|b']]), null);
  assert.equal(fitTable(['a', 'b'], [['1', 'a_b']]), null);
  assert.deepEqual(fitTable(['a'], [[codeSpan('a_b')]]), ['| a |', '| --- |', '| `a_b` |']);
});

test('property: any captured text renders as exactly that text and no markup, in CommonMark and GFM', () => {
  const unit = fc.constantFrom(...'ab1 .-:/()\'"=#*_[]<>&|~!`\\$@{}^\n\té'.split(''), 'www.', '://', '&amp;', '<script>', '1.', '> ');
  fc.assert(fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
    const md = `${inlineText(s, true)}\n`;
    for (const r of [commonmark, gfm]) {
      const html = r.render(md);
      const tags = (html.match(/<\/?([a-z0-9]+)/g) ?? []).map((t) => t.replace(/[</]/g, ''));
      assert.ok(tags.every((t) => t === 'p' || t === 'code'), `${JSON.stringify(s)} → ${html}`);
      assert.equal(visible(html).trim(), oneLine(s), `${JSON.stringify(s)} → ${html}`);
    }
  }), { numRuns: 500 });
});
