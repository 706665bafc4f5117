import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { displayWidth, outputWidth, wrap } from './wrap.ts';

test('words move whole to the next line, which starts with the hanging indent', () => {
  const text = 'The WebSocket attempt failed before any connection response: the upgrade was answered 200 instead of 101.';
  assert.deepEqual(wrap(text, { width: 40, first: '  warning  ', rest: '           ' }), [
    '  warning  The WebSocket attempt failed',
    '           before any connection',
    '           response: the upgrade was',
    '           answered 200 instead of 101.',
  ]);
});

test('a URL longer than a line breaks at its punctuation, never past the width', () => {
  const url = 'ws://app.lab.test:33431/diffusion?ty=WB&v=29&ca=8&r=60000&sp=%7B%22%24Environment%22%3A%22BROWSER%22%7D';
  const lines = wrap(url, { width: 40, first: '    ' });
  for (const l of lines) assert.ok(l.length <= 40, l);
  assert.equal(lines.map((l) => l.trim()).join(''), url);
  assert.equal(lines[0], '    ws://app.lab.test:33431/diffusion?');
});

test('colour codes take no column, wide characters two', () => {
  assert.equal(displayWidth('\u001b[31merror\u001b[0m'), 5);
  assert.equal(displayWidth('接続'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.deepEqual(wrap('\u001b[1mbold\u001b[0m word', { width: 9 }), ['\u001b[1mbold\u001b[0m word']);
  assert.deepEqual(wrap('接続 接続 接続', { width: 9 }), ['接続 接続', '接続']);
});

test('the width is the terminal\'s, or 80 when not a terminal', () => {
  assert.equal(outputWidth({ isTTY: true, columns: 132 }), 132);
  assert.equal(outputWidth({ isTTY: false, columns: 132 }), 80);
  assert.equal(outputWidth(undefined), 80);
  assert.equal(outputWidth({ isTTY: true, columns: 0 }), 80);
});

test('property: no line is wider than the width, and no character is lost', () => {
  const word = fc.stringMatching(/^[a-zA-Z0-9:/?&=._\-接]{1,60}$/);
  fc.assert(fc.property(fc.array(word, { maxLength: 30 }), fc.integer({ min: 12, max: 120 }), fc.integer({ min: 0, max: 10 }), (words, width, indent) => {
    const text = words.join(' ');
    const lines = wrap(text, { width, first: '>'.padEnd(indent), rest: ' '.repeat(indent) });
    for (const l of lines) assert.ok(displayWidth(l) <= width, `${JSON.stringify(l)} > ${width}`);
    assert.equal(lines.join('').replace(/[\s>]/g, ''), text.replace(/\s/g, ''));
  }));
});

// Printable ASCII is measured and split by index; a zero-width character sends the same text down
// the per-character path, which must agree.
test('printable ASCII wraps exactly as the per-character path does', () => {
  const word = fc.stringMatching(/^[a-z0-9/?&=,;:.\-_%]{1,120}$/);
  fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.integer({ min: 8, max: 60 }), (words, width) => {
    const text = words.join(' ');
    const fast = wrap(text, { width, first: '  ', rest: '    ' });
    const slow = wrap(`${text}\u200b`, { width, first: '  ', rest: '    ' });
    assert.equal(displayWidth(`${text}\u200b`), displayWidth(text));
    assert.deepEqual(slow.slice(0, -1), fast.slice(0, -1));
    assert.equal(slow.at(-1), `${fast.at(-1)}\u200b`);
  }), { numRuns: 300, seed: 11 });
});
