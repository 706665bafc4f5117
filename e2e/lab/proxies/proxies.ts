// Debian's nginx and HAProxy as the lab runs them: each instance gets a temp directory with its whole
// configuration file (the scenario's part wrapped in what any lab instance needs: its own pid, logs and
// temp paths, no system files written), listens on one loopback port, runs in the foreground and is
// ended by its PID. The file written is the file shown on the scenario page.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type ProxyProcess } from './process.ts';

export const NGINX = '/usr/sbin/nginx';
export const HAPROXY = '/usr/sbin/haproxy';

export type ProxyKind = 'nginx' | 'haproxy';

export interface RealProxy {
  kind: ProxyKind;
  name: string;
  port: number;
  pid: number;
  /** The instance's directory (configuration, logs, nginx's temp paths). */
  dir: string;
  /** The configuration file's path and its exact text. */
  file: string;
  config: string;
  /** What the proxy logged: nginx's error and access logs, HAProxy's log lines (it logs to stdout). */
  logText(): string;
  /** Nothing to start again: a proxy keeps no scenario state. */
  reset(): void;
  close(): Promise<void>;
}

/** A new, empty instance directory; `setup` may put files in it (a web root) before the start. */
export function proxyDir(kind: ProxyKind): string {
  return mkdtempSync(join(tmpdir(), `dci-lab-${kind}-`));
}

const indent = (text: string) => text.trim().split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');

/**
 * The whole nginx.conf around a scenario's `http` part. Paths are relative to the instance directory
 * (nginx's -p prefix). One process, no master: the lab ends exactly the process it started.
 */
export function nginxConfig(httpPart: string): string {
  return `# nginx -p <instance dir> -c nginx.conf -g 'daemon off;' (run by the lab in the foreground)
# One process (no master and workers), so the lab ends exactly the process it started.
master_process off;
pid nginx.pid;
error_log error.log info;
events { worker_connections 256; }

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log access.log;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;

${indent(httpPart)}
}
`;
}

/** The whole haproxy.cfg around a scenario's part (defaults, frontends, backends): logs go to stdout. */
export function haproxyConfig(part: string): string {
  return `# haproxy -f haproxy.cfg -db (run by the lab in the foreground)
global
    log stdout format raw local0 info

${part.trim()}
`;
}

function readOr(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}

async function start(kind: ProxyKind, opts: { name: string; port: number; config: string; dir: string }, args: (dir: string, file: string) => string[]): Promise<RealProxy> {
  const { dir, config } = opts;
  const file = join(dir, kind === 'nginx' ? 'nginx.conf' : 'haproxy.cfg');
  writeFileSync(file, config);
  if (kind === 'nginx') mkdirSync(join(dir, 'tmp'), { recursive: true });
  let proc: ProxyProcess;
  try {
    proc = await startProcess({ name: `${kind} ${opts.name}`, command: kind === 'nginx' ? NGINX : HAPROXY, args: args(dir, file), cwd: dir, ports: [opts.port], dir });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    kind, name: opts.name, port: opts.port, pid: proc.pid, dir, file, config,
    logText: () => kind === 'nginx' ? readOr(join(dir, 'error.log')) + readOr(join(dir, 'access.log')) : proc.output(),
    reset() { /* stateless */ },
    close() {
      closing ??= proc.stop().then(() => rmSync(dir, { recursive: true, force: true }));
      return closing;
    },
  };
}

/** Starts nginx with the given http part; `port` must be the one its `listen` names. */
export function startNginx(opts: { name: string; port: number; httpPart: string; dir?: string }): Promise<RealProxy> {
  const dir = opts.dir ?? proxyDir('nginx');
  // -e: the error log before the configuration is read (the compiled-in one is a system path).
  return start('nginx', { name: opts.name, port: opts.port, config: nginxConfig(opts.httpPart), dir },
    (d, file) => ['-p', `${d}/`, '-c', file, '-e', join(d, 'error.log'), '-g', 'daemon off;']);
}

/** Starts HAProxy with the given configuration part; `port` must be the one its `bind` names. */
export function startHaproxy(opts: { name: string; port: number; part: string; dir?: string }): Promise<RealProxy> {
  const dir = opts.dir ?? proxyDir('haproxy');
  return start('haproxy', { name: opts.name, port: opts.port, config: haproxyConfig(opts.part), dir }, (_d, file) => ['-f', file, '-db']);
}
