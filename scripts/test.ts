// Runs every *.test.ts under src/, panel/, scripts/ and e2e/ with node's test runner, one file at a time
// (e2e files start browsers and servers), and ends with the line "N passed, N failed".
// `npm test -- src/core` runs only the files under the given paths.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['src', 'panel', 'scripts', 'e2e'];
const filters = process.argv.slice(2);

function collect(dir: string, out: string[]): void {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative('.', p));
  }
}

const files: string[] = [];
for (const r of roots) collect(r, files);
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x.replace(/^\.\//, ''))));
if (selected.length === 0) {
  console.error(`no test files match ${filters.join(' ') || roots.join(', ')}`);
  process.exit(2);
}

const child = spawn(process.execPath, [
  '--import', 'tsx',
  '--test', '--test-concurrency=1',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-summary.mjs', '--test-reporter-destination=stdout',
  ...selected,
], { stdio: 'inherit' });
const stop = (sig: NodeJS.Signals) => { child.kill(sig); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
