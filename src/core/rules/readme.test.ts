// README's rules table is the public contract: the same rules, in the catalogue's order, with the
// severities `dci rules` prints (a rule that can raise less names the lower one first: "warning / error").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from './index.ts';

test('README\'s rules table lists every rule with the severity dci rules prints', () => {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Verdicts and rules\n'));
  const rows = section.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l)).map((l) => l.split('|').map((c) => c.trim()));
  assert.deepEqual(rows.map((r) => r[1]!.replace(/`/g, '')), rules.map((r) => r.id));
  const header = section.split('\n').find((l) => l.startsWith('| rule |'))!.split('|').map((c) => c.trim());
  const meaningAt = header.indexOf('what it means');
  for (const row of rows) {
    const [, id, severity] = row;
    const meaning = row[meaningAt];
    const rule = rules.find((r) => `\`${r.id}\`` === id)!;
    const listed = severity!.split(' / ');
    assert.ok(listed.every((s) => ['error', 'warning', 'info'].includes(s)), `${id}: ${severity}`);
    assert.equal(listed[listed.length - 1], rule.severity, `${id}: README says ${severity}, dci rules says ${rule.severity}`);
    assert.ok(meaning!.length > 10, `${id} explained`);
  }
});
