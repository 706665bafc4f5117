// Bidirectional overrides and other invisible formatting from a capture are shown as escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../analyze.ts';
import { readHarText } from '../../sources/har/read.ts';
import { har, wsFailed } from '../../sources/har/test-fixtures.ts';
import { escapeInvisible } from './visible.ts';
import { toMarkdown, toText } from './index.ts';

const HIDDEN = ['\u202e', '\u202a', '\u2066', '\u2069', '\u200b', '\u200f', '\ufeff', '\u2060', '\u061c', '\u00ad', '\u2028', '\udb40\udc41'];

test('each invisible formatting character becomes a visible escape; ordinary text is untouched', () => {
  assert.equal(escapeInvisible('evil\u202Egnp.exe'), 'evil\\u{202e}gnp.exe');
  assert.equal(escapeInvisible('a\u2066b\u2069c\u200bd\ufeff'), 'a\\u{2066}b\\u{2069}c\\u{200b}d\\u{feff}');
  assert.equal(escapeInvisible('tab\tbell\u0007del\u007f'), 'tab\\x09bell\\x07del\\x7f');
  assert.equal(escapeInvisible('tag \udb40\udc41'), 'tag \\u{e0041}');
  assert.equal(escapeInvisible('wss://h/diffusion → é ✓ 日本'), 'wss://h/diffusion → é ✓ 日本');
  for (const c of HIDDEN) assert.doesNotMatch(escapeInvisible(`x${c}y`), new RegExp(c));
});

test('text and Markdown reports never carry them verbatim', () => {
  const entry = wsFailed() as { request: { url: string } };
  entry.request.url = entry.request.url.replace('/diffusion', `/app${HIDDEN.join('')}/diffusion`);
  const analysis = analyze(readHarText(JSON.stringify(har([entry]))).observations);
  assert.equal(analysis.connections.length, 1);
  const meta = { version: '0', file: `capture\u202e.har`, entries: 1, skipped: 0, warnings: [`odd \u2066 warning`] };
  for (const out of [toText(analysis, meta), toMarkdown(analysis, meta)]) {
    for (const c of HIDDEN) assert.ok(!out.includes(c), `U+${c.codePointAt(0)!.toString(16)} in ${out}`);
    assert.match(out, /\\+u\\?\{202e\\?\}/);
  }
});
