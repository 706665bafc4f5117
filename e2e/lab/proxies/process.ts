// One real proxy process (Debian's nginx or haproxy) run in the foreground by the lab: started with its
// own configuration file in a temp dir, ready once its ports accept a connection, ended by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';

export interface ProxyProcess {
  name: string;
  pid: number;
  /** What the process printed (stdout and stderr, the last 64 KB): HAProxy's log lines, nginx's start-up errors. */
  output(): string;
  /** Ends the process by its PID (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Processes still running, ended by PID when Node exits without stopping them (an error, Ctrl-C in a script), with the directory to remove then. */
const live = new Map<number, { child: ChildProcess; dir?: string }>();
let exitHookInstalled = false;
function killLeftovers(): void {
  for (const [pid, { dir }] of live) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}
/** On 'exit', and on a signal that would end Node without it: end the proxies, then let the signal do what it did. */
function installExitHooks(): void {
  process.on('exit', killLeftovers);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killLeftovers();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** A loopback port that was free a moment ago (the proxy binds it itself; a lost race fails its start, loudly). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return addr.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => { s.destroy(); resolve(false); });
  });
}

/** `dir`: the instance's directory, removed if Node exits without stopping the process. */
export async function startProcess(opts: { name: string; command: string; args: string[]; cwd: string; ports: number[]; readyWithinMs?: number; dir?: string }): Promise<ProxyProcess> {
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => { out += String(d); if (out.length > 65_536) out = out.slice(-65_536); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (e) => resolve(e));
  });
  if (spawned || child.pid === undefined) throw new Error(`${opts.name}: ${opts.command} could not be started: ${spawned?.message ?? 'no pid'}`);
  const pid = child.pid;
  live.set(pid, { child, dir: opts.dir });
  if (!exitHookInstalled) { exitHookInstalled = true; installExitHooks(); }
  const running = () => child.exitCode === null && child.signalCode === null;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (running()) {
        process.kill(pid, 'SIGTERM');
        const timer = new Promise<'late'>((r) => { const t = setTimeout(() => r('late'), 3000); t.unref(); });
        if (await Promise.race([exited.then(() => 'exited' as const), timer]) === 'late' && running()) {
          process.kill(pid, 'SIGKILL');
          await exited;
        }
      }
      live.delete(pid);
    })();
    return stopping;
  };

  // Ready when every port accepts a connection; a process that exits first failed (a config error, a port taken).
  const deadline = Date.now() + (opts.readyWithinMs ?? 10_000);
  for (;;) {
    if (!running()) {
      await stop();
      throw new Error(`${opts.name}: ${opts.command} exited (${child.exitCode ?? child.signalCode}) before listening:\n${out.trim()}`);
    }
    const ready = await Promise.all(opts.ports.map(accepts));
    if (ready.every(Boolean)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${opts.name}: ${opts.command} did not listen on ${opts.ports.join(', ')} within ${opts.readyWithinMs ?? 10_000} ms:\n${out.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { name: opts.name, pid, output: () => out, stop };
}
