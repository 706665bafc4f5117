// Launching Debian's Firefox ESR for the lab: headless, a fresh profile per run, WebDriver BiDi on a
// loopback port, every host name resolved to 127.0.0.1 (the lab's *.lab.test names; nothing leaves
// the machine), and the privileged scope the DevTools helpers need. Killed by pid, profile deleted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GECKO_ID } from '../../scripts/firefox-manifest.ts';

export const FIREFOX = process.env['FIREFOX'] ?? '/usr/bin/firefox-esr';
/** The moz-extension:// host of the built extension in test profiles. */
export const EXTENSION_UUID = '5d1f0c3a-7b2e-4c4d-9a6e-0f3b8e2d1c47';

const here = dirname(fileURLToPath(import.meta.url));
const profiles = join(here, '..', '.profiles');

export const BASE_PREFS: Record<string, string | number | boolean> = {
  // *.lab.test and anything else resolves to loopback: the lab's names work, nothing goes out.
  'network.dns.forceResolve': '127.0.0.1',
  'network.dns.disableIPv6': true,
  'network.proxy.type': 0,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  // Host permissions granted on install (Firefox's default; tests of the opt-in set it false).
  'extensions.originControls.grantByDefault': true,
  // Keep the event page alive unless a test wants it suspended.
  'extensions.background.idle.timeout': 300_000,
  'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
  'devtools.toolbox.host': 'bottom',
  'devtools.everOpened': true,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

export interface Firefox {
  proc: ChildProcess;
  /** ws://127.0.0.1:<port>/session */
  bidiUrl: string;
  profile: string;
  log(): string;
  close(): Promise<void>;
}

/** `profile`: a profile directory to start from and keep (a browser restart); by default a fresh one, deleted on close. */
export async function launchFirefox(opts: { prefs?: Record<string, string | number | boolean>; headless?: boolean; profile?: string } = {}): Promise<Firefox> {
  mkdirSync(profiles, { recursive: true });
  const kept = opts.profile !== undefined;
  const profile = opts.profile ?? mkdtempSync(join(profiles, 'firefox-'));
  const prefs = { ...BASE_PREFS, ...opts.prefs };
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n');
  const scratch = join(profile, 'tmp');
  mkdirSync(scratch, { recursive: true });
  const args = [
    ...(opts.headless ?? true ? ['--headless'] : []),
    '--no-remote', '--profile', profile,
    '--remote-debugging-port=0',
    // The toolbox and the extension panel are only reachable from the privileged scope; test profiles only.
    '--remote-allow-system-access',
    'about:blank',
  ];
  const proc = spawn(FIREFOX, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', TMPDIR: scratch, XDG_CACHE_HOME: scratch },
  });
  let log = '';
  const kill = () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); };
  process.once('exit', kill);
  const close = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await Promise.race([new Promise((r) => proc.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      kill();
    }
    process.removeListener('exit', kill);
    if (!kept) rmSync(profile, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Firefox did not announce BiDi within 60 s\n${log.slice(-2000)}`)), 60_000);
      const onData = (d: Buffer) => {
        log += String(d);
        if (log.length > 200_000) log = log.slice(-100_000);
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Firefox exited (${code})\n${log.slice(-2000)}`));
      });
    });
    return { proc, bidiUrl: `${url}/session`, profile, log: () => log, close };
  } catch (e) {
    await close();
    throw e;
  }
}
