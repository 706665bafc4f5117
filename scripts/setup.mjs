// Makes a fresh clone runnable: installs the npm dependencies when they are missing, and the Debian
// programs the lab and the end-to-end tests drive: the browsers, and the real load balancers and
// intercepting proxy the lab puts in front of its Diffusion emulator. Plain JavaScript, because it
// runs before tsx exists.
// Usage: node scripts/setup.mjs [chromium] [firefox] [proxies]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const want = new Set(process.argv.slice(2));
const programs = [
  { name: 'chromium', binary: '/usr/bin/chromium', packages: ['chromium'] },
  { name: 'firefox', binary: '/usr/bin/firefox-esr', packages: ['firefox-esr'] },
  { name: 'proxies', binary: '/usr/sbin/nginx', packages: ['nginx'] },
  { name: 'proxies', binary: '/usr/sbin/haproxy', packages: ['haproxy'] },
  { name: 'proxies', binary: '/usr/bin/mitmdump', packages: ['mitmproxy'] },
];

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

if (!existsSync(join(root, 'node_modules/.bin/tsx'))) {
  console.log('setup: installing npm dependencies');
  run('npm', existsSync(join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

const missing = programs.filter((b) => want.has(b.name) && !existsSync(b.binary));
if (missing.length) {
  const packages = missing.flatMap((b) => b.packages);
  if (process.getuid?.() !== 0) {
    console.error(`setup: ${packages.join(' and ')} missing; install with: sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(2);
  }
  console.log(`setup: installing Debian ${packages.join(', ')}`);
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages]);
}
