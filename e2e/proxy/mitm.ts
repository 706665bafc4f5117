// Debian's mitmdump (mitmproxy 8.1.1) as the lab's intercepting proxy, on loopback only, writing two
// HARs of the same traffic: the stock contrib har_dump.py (mitmproxy ≤ 8: no WebSocket messages) and
// har10.py beside this file (mitmproxy ≥ 10.1's shape: `_webSocketMessages`, failures as status 0 with
// `_error`). Its CA lives in a temporary directory removed on stop; the process is ended by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MITMDUMP = '/usr/bin/mitmdump';
/** Debian's copy of mitmproxy's contrib HAR exporter. */
export const STOCK_HAR_DUMP = '/usr/share/doc/mitmproxy/examples/contrib/har_dump.py';
const HAR10 = join(dirname(fileURLToPath(import.meta.url)), 'har10.py');
// Answers every request for a host off this machine itself: the lab talks to loopback only.
const LOOPBACK_ONLY = join(dirname(fileURLToPath(import.meta.url)), 'loopback_only.py');

export interface Mitm {
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Stop mitmdump (SIGINT to its PID, so its addons write their HARs) and remove its CA directory. */
  stop(): Promise<{ stock: string; har10: string }>;
}

export interface MitmOptions {
  /** Where the two HARs go. */
  stockHar: string;
  har10Har: string;
  /** `reverse:http://127.0.0.1:PORT` puts mitmdump in front of one server; default: a regular (forward) proxy. */
  mode?: string;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function mitmAvailable(): boolean {
  return existsSync(MITMDUMP) && existsSync(STOCK_HAR_DUMP);
}

export async function startMitm(opts: MitmOptions): Promise<Mitm> {
  const confdir = mkdtempSync(join(tmpdir(), 'dci-mitm-'));
  const port = await freePort();
  const args = [
    '--listen-host', '127.0.0.1', '--listen-port', String(port),
    '--set', `confdir=${confdir}`,
    // Connect upstream only when a request needs it, so a dead server shows as that request's error.
    '--set', 'connection_strategy=lazy',
    '--set', 'ssl_insecure=true',
    '-s', LOOPBACK_ONLY,
    '-s', STOCK_HAR_DUMP, '--set', `hardump=${opts.stockHar}`,
    '-s', HAR10, '--set', `har10dump=${opts.har10Har}`,
  ];
  if (opts.mode) args.push('--mode', opts.mode);
  const child: ChildProcess = spawn(MITMDUMP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    (async () => {
      for (let i = 0; i < 300; i++) {
        if (/listening at/i.test(output)) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    })(),
    exited.then(() => false),
  ]);
  if (!ready || child.pid === undefined) {
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    rmSync(confdir, { recursive: true, force: true });
    throw new Error(`mitmdump did not start: ${output.slice(-500)}`);
  }
  const pid = child.pid;
  return {
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      process.kill(pid, 'SIGINT');
      const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000))]);
      if (code === 'late') process.kill(pid, 'SIGKILL');
      rmSync(confdir, { recursive: true, force: true });
      return { stock: opts.stockHar, har10: opts.har10Har };
    },
  };
}
