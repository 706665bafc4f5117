// Real nginx and HAProxy as the lab runs them: each starts with its own configuration on a loopback
// port, answers through to a backend, and once stopped leaves no process, no listening port and no
// directory behind; a configuration it refuses fails the start with its own words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { freePort } from './process.ts';
import { startHaproxy, startNginx, type RealProxy } from './proxies.ts';
import { listen } from '../net.ts';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
/** Every process whose parent is `pid` (nginx must not leave workers behind). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try { return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid); } catch { return false; }
  }).map(Number);
}
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(false); });
    s.once('error', () => resolve(true));
  });
}

/** A proxy logs a request once it has ended, a moment after the client has its answer: a bounded wait. */
async function logShows(p: RealProxy, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 40 && !pattern.test(p.logText()); i++) await new Promise((r) => setTimeout(r, 50));
  return p.logText();
}

async function backend() {
  const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`backend saw ${req.method} ${req.url}`));
  return listen(server, { scheme: 'http' });
}

async function checkStops(p: RealProxy): Promise<void> {
  const children = childrenOf(p.pid);
  await p.close();
  assert.equal(alive(p.pid), false, 'the proxy process is gone');
  for (const c of children) assert.equal(alive(c), false, `child ${c} is gone`);
  assert.equal(await refused(p.port), true, 'nothing listens on its port');
  assert.equal(existsSync(p.dir), false, 'its directory is removed');
}

test('nginx: starts with its own configuration, proxies, logs into its directory, and stops by PID', async () => {
  const be = await backend();
  const port = await freePort();
  const p = await startNginx({ name: 't', port, httpPart: `server {\n    listen 127.0.0.1:${port};\n    location /eu/ { proxy_pass http://127.0.0.1:${be.port}/; }\n}` });
  try {
    assert.ok(alive(p.pid));
    assert.match(p.config, /location \/eu\/ \{ proxy_pass http:\/\/127\.0\.0\.1:\d+\/; \}/);
    assert.equal(readFileSync(p.file, 'utf8'), p.config, 'the file run is the text shown');
    const ok = await fetch(`http://127.0.0.1:${port}/eu/diffusion`);
    assert.equal(await ok.text(), 'backend saw GET /diffusion');
    assert.match(ok.headers.get('server') ?? '', /^nginx/);
    const miss = await fetch(`http://127.0.0.1:${port}/diffusion`, { method: 'POST' });
    assert.equal(miss.status, 404);
    assert.match(await miss.text(), /<center>nginx/);
    assert.match(await logShows(p, /"POST \/diffusion HTTP\/1\.1" 404/), /"POST \/diffusion HTTP\/1\.1" 404/);
  } finally {
    await checkStops(p);
    await be.close();
  }
});

test('haproxy: starts with its own configuration, balances, logs to its output, and stops by PID', async () => {
  const be = await backend();
  const port = await freePort();
  const p = await startHaproxy({
    name: 't', port,
    part: `defaults\n    mode http\n    log global\n    option httplog\n    timeout connect 2s\n    timeout client 5s\n    timeout server 5s\n\nfrontend fe\n    bind 127.0.0.1:${port}\n    default_backend be\n\nbackend be\n    server a 127.0.0.1:${be.port}\n`,
  });
  try {
    const ok = await fetch(`http://127.0.0.1:${port}/diffusion`);
    assert.equal(await ok.text(), 'backend saw GET /diffusion');
    assert.match(await logShows(p, /GET \/diffusion/), /fe be\/a .* 200 .*"GET \/diffusion HTTP\/1\.1"/);
  } finally {
    await checkStops(p);
    await be.close();
  }
});

test('a configuration the proxy refuses fails the start with its message, and leaves nothing running', async () => {
  const port = await freePort();
  await assert.rejects(startNginx({ name: 'bad', port, httpPart: `server { listen 127.0.0.1:${port}; proxy_read_timeout soon; }` }), /nginx bad: .*exited .*"proxy_read_timeout" directive invalid value/s);
  await assert.rejects(startHaproxy({ name: 'bad', port, part: `frontend fe\n    bind 127.0.0.1:${port}\n    balance sometimes\n` }), /haproxy bad: .*exited/s);
  assert.equal(await refused(port), true);
});

test('a lab process ended by a signal ends its proxies too (no orphan nginx, no directory left)', async () => {
  const script = `import { startNginx } from ${JSON.stringify(new URL('./proxies.ts', import.meta.url).pathname)};
import { freePort } from ${JSON.stringify(new URL('./process.ts', import.meta.url).pathname)};
const port = await freePort();
const p = await startNginx({ name: 'orphan', port, httpPart: 'server { listen 127.0.0.1:' + port + '; return 204; }' });
console.log('PID ' + p.pid + ' DIR ' + p.dir);
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const [pid, dir] = await new Promise<[number, string]>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { out += String(d); const m = /PID (\d+) DIR (\S+)/.exec(out); if (m) resolve([Number(m[1]), m[2] as string]); });
    child.once('exit', () => reject(new Error(`the lab process ended first: ${out}`)));
  });
  assert.ok(alive(pid));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(pid), false, 'nginx ended with the process that started it');
  assert.equal(existsSync(dir), false, 'and its directory is removed');
});
