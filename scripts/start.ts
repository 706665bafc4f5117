// npm start [-- --scenario <id>]: build, start the lab, and open Debian Chromium on the lab index with
// DevTools open and the built extension (dist/chrome) loaded when it exists. With a display the window
// stays open until Ctrl-C; without one it runs one scenario headless, prints what happened (and what the
// Diffusion panel shows, once the extension has it) and saves a screenshot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '../e2e/lab/lab.ts';
import { CHROMIUM, launchChromium, runScenarioPage, type LabBrowser } from '../e2e/lab/browser.ts';
import { DevTools, waitFor } from '../e2e/recorder/devtools.ts';
import { scenarios } from '../e2e/lab/scenarios/catalogue.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const scenarioArg = args.indexOf('--scenario');
const scenarioId = scenarioArg >= 0 ? args[scenarioArg + 1] : 'websocket-stripped-upgrade';
const headful = !!process.env.DISPLAY && !args.includes('--headless');

if (!scenarios.some((s) => s.id === scenarioId)) {
  console.error(`unknown scenario "${scenarioId}"; one of:\n  ${scenarios.map((s) => s.id).join('\n  ')}`);
  process.exit(2);
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log(`${CHROMIUM} is missing: installing Debian chromium with apt-get`);
  const run = (cmd: string[]) => spawnSync(cmd[0] as string, cmd.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  run([...asRoot, 'apt-get', 'update']);
  const r = run([...asRoot, 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (r.status !== 0 || !existsSync(CHROMIUM)) throw new Error('could not install chromium; install it with: apt-get install -y chromium');
}

function build(): void {
  if (!existsSync(join(root, 'scripts/build.ts'))) return;
  console.log('building …');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) throw new Error('the build failed');
}

let lab: Lab | undefined;
let browser: LabBrowser | undefined;
let stopping: Promise<void> | undefined;
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    await browser?.close().catch(() => undefined);
    await lab?.close().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => { void stop(0); });
process.on('SIGTERM', () => { void stop(0); });

try {
  ensureChromium();
  build();
  const extension = existsSync(join(root, 'dist/chrome/manifest.json')) ? join(root, 'dist/chrome') : undefined;
  lab = await startLab();
  console.log(`lab: ${lab.indexUrl} (${lab.scenarios.size} scenarios; *.lab.test is mapped to 127.0.0.1 inside the browser)`);
  console.log(extension ? `extension: ${relative(root, extension)}` : 'extension: none yet (dist/chrome/manifest.json does not exist); showing the lab pages');

  if (headful) {
    browser = await launchChromium({ headless: false, extensions: extension ? [extension] : [], extraArgs: ['--auto-open-devtools-for-tabs'] });
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    await page.goto(lab.indexUrl);
    console.log('Chromium is open on the lab index with DevTools. Ctrl-C stops everything.');
    browser.context.on('close', () => { void stop(0); });
    await new Promise(() => { /* until a signal or the window closes */ });
  }

  // Headless: one scenario, DevTools opened before the page loads (as a user would have it).
  browser = await launchChromium({ extensions: extension ? [extension] : [] });
  const running = lab.scenarios.get(scenarioId as string);
  if (!running) throw new Error(`scenario ${scenarioId} is not running`);
  const page = await browser.context.newPage();
  const devtools = await DevTools.connect(browser.context);
  const devtoolsId = await devtools.open(browser.context, page);
  const run = await runScenarioPage(page, running.pageUrl, running.scenario.boundMs);
  const s = running.scenario;
  console.log(`\nscenario ${s.id}: ${s.title}\n  story: ${s.story}\n  expected rules: ${s.expect.raise.join(', ') || 'none (healthy)'}\n  page: ${running.pageUrl} → ${run.state}`);
  console.log(run.log.trimEnd().split('\n').map((l) => `  | ${l}`).join('\n'));
  for (const ep of running.endpoints.values()) {
    // A real proxy: its own log lines (HAProxy's requests, nginx's error and access logs).
    if (ep.server && 'logText' in ep.server) {
      for (const line of ep.server.logText().trimEnd().split('\n').slice(-30)) if (line) console.log(`  ${ep.name.padEnd(8)} ${ep.kind} | ${line}`);
      continue;
    }
    for (const e of ep.server?.log.items ?? []) {
      const x = e as { type: string; path?: string; answer?: string; detail?: string };
      console.log(`  ${ep.name.padEnd(8)} ${x.type.padEnd(14)} ${(x.path ?? '').split('?')[0]} ${x.answer ?? x.detail ?? ''}`);
    }
  }
  if (extension) {
    // The product's panel, once it exists: select it in the real DevTools and print its text.
    const text = await (async () => {
      const dt = await devtools.attach(devtoolsId);
      const ext = await waitFor(async () => (await devtools.targets()).find((t) => t.url.startsWith('chrome-extension://') && t.parentFrameId === devtoolsId), 10_000, 'the extension DevTools page');
      const id = new URL(ext.url).host;
      const panel = await waitFor(async () => {
        await dt.evaluate(`typeof DevToolsAPI === 'object' && DevToolsAPI.showPanel(${JSON.stringify(`chrome-extension://${id}Diffusion`)})`);
        return (await devtools.targets()).find((t) => t.type === 'iframe' && t.url.startsWith(`chrome-extension://${id}/`) && t.url !== ext.url && t.parentFrameId === devtoolsId);
      }, 10_000, 'the Diffusion panel');
      const session = await devtools.attach(panel.targetId);
      await new Promise((r) => setTimeout(r, 1000));
      return session.evaluate<string>('document.body.innerText');
    })().catch((e: Error) => `(the Diffusion panel could not be read: ${e.message})`);
    console.log(`\nDiffusion panel:\n${text.split('\n').map((l) => `  ${l}`).join('\n')}`);
  }
  mkdirSync(join(root, 'e2e/.out'), { recursive: true });
  const shot = join(root, 'e2e/.out', `start-${scenarioId}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`\nscreenshot: ${relative(process.cwd(), shot)}\n(no display: ran headless; set DISPLAY for a real window, or pass --scenario <id>)`);
  await devtools.detach();
  await stop(run.state === 'done' ? 0 : 1);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop(1);
}
