// dci wraps to the terminal's width, and to 80 columns when its output is not a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rules } from '../core/rules/index.ts';

function dci(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/dci.ts', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('dci rules fits 80 columns: each rule\'s id, severity and kind, its summary and clients wrapped beneath', () => {
  const out = dci('rules');
  for (const line of out.split('\n')) assert.ok(line.length <= 80, JSON.stringify(line));
  // Read it back: a line at the margin starts a rule, the indented lines after it are its summary.
  const [list] = out.split('\n\n');
  const read: { head: string; summary: string }[] = [];
  for (const line of list!.trimEnd().split('\n')) {
    if (!line.startsWith(' ')) read.push({ head: line, summary: '' });
    else read[read.length - 1]!.summary = `${read[read.length - 1]!.summary} ${line.trim()}`.trim();
  }
  assert.deepEqual(read.map((r) => r.head.split(/ +/).slice(0, 2)), rules.map((r) => [r.id, r.severity]));
  for (const [i, r] of rules.entries()) {
    assert.ok(read[i]!.summary.startsWith(`${r.summary} (clients: `), `${r.id}: ${read[i]!.summary}`);
    assert.match(read[i]!.head, /  (cause|finding)$/);
  }
});

test('dci --help fits 80 columns', () => {
  const out = dci('--help');
  assert.match(out, /^Usage:\n/);
  for (const line of out.split('\n')) assert.ok(line.length <= 80, JSON.stringify(line));
});
