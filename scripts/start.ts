// npm start [-- --scenario <id>]: build, start the lab, and open Debian Chromium on the lab index (or on
// the scenario given) with DevTools open and the built extension (dist/chrome) loaded when it exists.
// With a display the window stays open until Ctrl-C; without one it runs one scenario headless with the
// Diffusion panel open in DevTools (550 × 800, as docked right), prints what happened and what the panel
// shows, and saves screenshots of the page and of the panel. The browser's downloads (the panel's
// exports) land in e2e/.out/downloads/, which outlives the browser.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { BrowserContext } from 'playwright';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab, type Lab } from '../e2e/lab/lab.ts';
import { CHROMIUM, launchChromium, runScenarioPage, type LabBrowser } from '../e2e/lab/browser.ts';
import { DevTools } from '../e2e/recorder/devtools.ts';
import { launchWithExtension, readPanel, screenshot, type ExtensionBrowser } from '../e2e/chrome/harness.ts';
import { scenarios } from '../e2e/lab/scenarios/catalogue.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const scenarioArg = args.indexOf('--scenario');
const downloads = join(root, 'e2e/.out/downloads');
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

/** Downloads keep their own names in e2e/.out/downloads/, not in a folder that goes with the profile. */
async function keepDownloads(context: BrowserContext): Promise<void> {
  mkdirSync(downloads, { recursive: true });
  const b = context.browser();
  if (!b) return;
  const session = await b.newBrowserCDPSession();
  await session.send('Browser.setDownloadBehavior' as never, { behavior: 'allow', downloadPath: downloads } as never);
}

let lab: Lab | undefined;
let browser: LabBrowser | undefined;
let withPanel: ExtensionBrowser | undefined;
let stopping: Promise<void> | undefined;
function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    await withPanel?.close().catch(() => undefined);
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
    await keepDownloads(browser.context);
    const page = browser.context.pages()[0] ?? await browser.context.newPage();
    const chosen = scenarioArg >= 0 ? lab.scenarios.get(scenarioId as string) : undefined;
    await page.goto(chosen ? chosen.pageUrl : lab.indexUrl);
    console.log(`Chromium is open on ${chosen ? `scenario ${scenarioId}` : 'the lab index'} with DevTools; downloads go to ${relative(process.cwd(), downloads)}. Ctrl-C stops everything.`);
    browser.context.on('close', () => { void stop(0); });
    await new Promise(() => { /* until a signal or the window closes */ });
  }

  // Headless: one scenario, DevTools (with the Diffusion panel, when built) opened before the page
  // loads, as a user would have it.
  const running = lab.scenarios.get(scenarioId as string);
  if (!running) throw new Error(`scenario ${scenarioId} is not running`);
  const s = running.scenario;
  mkdirSync(join(root, 'e2e/.out'), { recursive: true });
  let panelShot: string | null = null;
  let run: Awaited<ReturnType<typeof runScenarioPage>>;
  let page;
  if (extension) {
    withPanel = await launchWithExtension();
    await keepDownloads(withPanel.lab.context);
    page = await withPanel.lab.context.newPage();
    const opened = await withPanel.openPanel(page);
    await withPanel.undock(opened, 550, 800);
    run = await runScenarioPage(page, running.pageUrl, s.boundMs);
    await new Promise((r) => setTimeout(r, 1500)); // the panel's analysis follows the page
    const view = await readPanel(opened.panel).catch((e: Error) => ({ text: `(the Diffusion panel could not be read: ${e.message})` }));
    panelShot = await screenshot(opened.devtools, `start-${scenarioId}-panel.png`);
    printScenario(run);
    console.log(`\nDiffusion panel:\n${view.text.split('\n').map((l) => `  ${l}`).join('\n')}`);
  } else {
    browser = await launchChromium({});
    await keepDownloads(browser.context);
    page = await browser.context.newPage();
    const devtools = await DevTools.connect(browser.context);
    await devtools.open(browser.context, page);
    run = await runScenarioPage(page, running.pageUrl, s.boundMs);
    printScenario(run);
    await devtools.detach();
  }
  const shot = join(root, 'e2e/.out', `start-${scenarioId}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`\nscreenshots: ${relative(process.cwd(), shot)} (the page)${panelShot ? `, ${relative(process.cwd(), panelShot)} (DevTools with the Diffusion panel)` : ''}`);
  console.log('(no display: ran headless; set DISPLAY for a real window, or pass --scenario <id>)');
  await stop(run.state === 'done' ? 0 : 1);

  function printScenario(r: { state: string; log: string }): void {
    console.log(`\nscenario ${s.id}: ${s.title}\n  story: ${s.story}\n  expected rules: ${s.expect.raise.join(', ') || 'none (healthy)'}\n  page: ${running!.pageUrl} → ${r.state}`);
    console.log(r.log.trimEnd().split('\n').map((l) => `  | ${l}`).join('\n'));
    for (const ep of running!.endpoints.values()) {
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
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop(1);
}
