import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD_TUNNEL, TOKEN, har, secretsHar, wsFailed, xhrHandshake } from '../sources/har/test-fixtures.ts';
import { parseCommand, UsageError } from './args.ts';

let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'dci-test-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface Run { code: number | null; stdout: string; stderr: string }

function dci(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dci.ts', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertUnusable(r: Run, pattern: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit 2 (stderr ${r.stderr})`);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `${what}: one stderr line, got ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0]!, /^dci: /, what);
  assert.match(lines[0]!, pattern, what);
  assert.ok(!/\bat .*\.ts:\d+/.test(r.stderr), `${what}: no stack trace`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
}

test('unusable input and usage errors: exit 2, one line on stderr', async () => {
  const valid = JSON.stringify(har([wsFailed(), xhrHandshake()]));
  const cases: [string[], RegExp, string][] = [
    [['analyze', join(dir, 'missing.har')], /no such file/, 'missing file'],
    [['analyze', dir], /is a directory/, 'directory'],
    [['analyze', file('text.har', 'hello world')], /not JSON/, 'not JSON'],
    [['analyze', file('trunc.har', valid.slice(0, valid.indexOf('"_resourceType":"xhr"') + 10))], /truncated: unexpected end of file inside log\.entries \(entry 2\)/, 'truncated'],
    [['analyze', file('other.json', '{"name":"package","version":"1.0.0"}')], /not a HAR file/, 'JSON but not a HAR'],
    [['analyze', file('garbage.har', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254]))], /not JSON/, 'binary'],
    [['analyze', file('empty.har', '')], /empty/, 'empty file'],
    [['analyze', '--bogus', 'x.har'], /unknown option --bogus/, 'unknown option'],
    [['analyze', 'x.har', '--format', 'yaml'], /unknown format "yaml"/, 'unknown format'],
    [['analyze'], /missing argument/, 'missing argument'],
    [[], /missing command/, 'no command'],
    [['frobnicate'], /unknown command/, 'unknown command'],
  ];
  const runs = await Promise.all(cases.map(([args]) => dci(...args)));
  runs.forEach((r, i) => assertUnusable(r, cases[i]![1], cases[i]![2]));
});

test('analyze: text by default, json and markdown on request; exit 1 with error findings, 0 without', async () => {
  const failing = file('failing.har', JSON.stringify(har([wsFailed()])));
  const fine = file('fine.har', JSON.stringify(har([xhrHandshake()])));
  const [text, json, md, ok] = await Promise.all([
    dci('analyze', failing),
    dci('analyze', failing, '--format', 'json'),
    dci('analyze', failing, '-f', 'markdown'),
    dci('analyze', fine, '--format=json'),
  ]);
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /WEBSOCKET failed/);
  assert.ok(!text.stdout.includes('\u001b['), 'no colour when not a terminal');
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { schema: number; tool: string; input: { file: string; entries: number; skipped: number }; findings: { severity: string }[] };
  assert.equal(report.schema, 1);
  assert.equal(report.tool, 'dci');
  assert.deepEqual(report.input, { ...report.input, file: failing, entries: 1, skipped: 0 });
  assert.ok(report.findings.some((f) => f.severity === 'error'));
  assert.equal(md.code, 1);
  assert.match(md.stdout, /^# Diffusion connection report/);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr, '');
});

test('--include-secrets shows what is otherwise redacted', async () => {
  const p = file('secrets.har', JSON.stringify(secretsHar()));
  const [hidden, shown] = await Promise.all([dci('analyze', p, '--format', 'json'), dci('analyze', p, '--format', 'json', '--include-secrets')]);
  for (const s of [PASSWORD_TUNNEL, encodeURIComponent(PASSWORD_TUNNEL), TOKEN]) assert.ok(!hidden.stdout.includes(s), `hidden: ${s}`);
  assert.ok(shown.stdout.includes(encodeURIComponent(PASSWORD_TUNNEL)));
  assert.ok(shown.stdout.includes(TOKEN));
});

test('--version, --help and rules', async () => {
  const [version, help, rules] = await Promise.all([dci('--version'), dci('-h'), dci('rules')]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /dci analyze <file\.har>/);
  assert.equal(rules.code, 0);
  // Each rule: id, severity and kind, then its summary and clients, then what a cause explains.
  const block = (id: string) => rules.stdout.slice(rules.stdout.search(new RegExp(`^${id} `, 'm'))).split(/\n(?=\S)/)[0]!.replace(/\s+/g, ' ').trim();
  assert.match(block('missing-diffusion-suffix'), /^missing-diffusion-suffix error cause .* \(clients: all\) explains: /);
  assert.match(block('cors-preflight-failed'), /^cors-preflight-failed error cause .* explains: websocket-unavailable, transports-exhausted, no-fallback-transport$/);
  assert.match(block('websocket-unavailable'), /^websocket-unavailable error finding /);
  assert.match(block('session-in-worker'), /^session-in-worker info finding .* \(clients: browser\)$/);
  assert.match(block('no-fallback-transport'), /\(clients: browser, java, android\)/);
  assert.match(rules.stdout.replace(/\s+/g, ' '), /any rule is the verdict when nothing explains it/);
});

test('argument parsing', () => {
  assert.deepEqual(parseCommand(['analyze', 'a.har']), { kind: 'analyze', file: 'a.har', format: 'text', includeSecrets: false });
  assert.deepEqual(parseCommand(['analyze', '--include-secrets', '-f', 'json', 'a.har']), { kind: 'analyze', file: 'a.har', format: 'json', includeSecrets: true });
  assert.deepEqual(parseCommand(['rules', '--format', 'json']), { kind: 'rules', format: 'json' });
  assert.deepEqual(parseCommand(['analyze', '--help']), { kind: 'help' });
  assert.deepEqual(parseCommand(['-v']), { kind: 'version' });
  for (const bad of [['analyze', 'a', 'b'], ['analyze', '--format'], ['rules', 'x'], ['rules', '--include-secrets'], ['analyze', 'a', '--include-secrets=yes']]) {
    assert.throws(() => parseCommand(bad), UsageError, bad.join(' '));
  }
});
