// Captures scenarios in real Chromium through DevTools' own HAR: DevTools is opened on a blank tab,
// the recorder extension's DevTools page is ready, then the scenario page loads and runs to done,
// and chrome.devtools.network.getHAR() is written beside the scenario's expectations.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/lab.ts';
import { launchChromium, runScenarioPage } from '../lab/browser.ts';
import { DevTools, waitFor } from './devtools.ts';
import { trimHar, type Har } from './trim.ts';
import { expectedFields } from './expectations.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDER_EXTENSION = join(here, 'ext');
export const FIXTURES = join(here, '..', 'fixtures', 'chromium');

export interface Recorded { id: string; state: string; entries: number; stripped: number; file: string; ms: number }

export async function recordScenarios(opts: { only?: string[]; outDir?: string; onRecorded?: (r: Recorded) => void } = {}): Promise<Recorded[]> {
  const outDir = opts.outDir ?? FIXTURES;
  mkdirSync(outDir, { recursive: true });
  const lab = await startLab(opts.only ? { only: opts.only } : {});
  const browser = await launchChromium({ extensions: [RECORDER_EXTENSION] });
  const devtools = await DevTools.connect(browser.context);
  const version = browser.context.browser()?.version() ?? 'unknown';
  const out: Recorded[] = [];
  try {
    for (const [id, r] of lab.scenarios) {
      const t0 = Date.now();
      const page = await browser.context.newPage();
      try {
        const dtId = await devtools.open(browser.context, page);
        const frame = await devtools.extensionFrame(dtId, '/devtools.html');
        await waitFor(() => frame.evaluate<boolean>('window.labReady === true'), 10_000, 'recorder DevTools page');
        const run = await runScenarioPage(page, r.pageUrl, r.scenario.boundMs);
        // Let DevTools see the last close frames and finished requests before asking for the HAR.
        await page.waitForTimeout(300);
        const har = await frame.evaluate<Har>('labHar()');
        const { stripped } = trimHar(har);
        const s = r.scenario;
        const file = join(outDir, `${id}.har`);
        writeFileSync(file, JSON.stringify(har, null, 1) + '\n');
        writeFileSync(join(outDir, `${id}.expect.json`), JSON.stringify({
          ...expectedFields(s, 'chromium'),
          pageState: run.state,
          notes: r.notes,
          ...(s.observed ? { observed: s.observed } : {}),
          chromium: version,
          client: 'diffusion 6.12.1 dist/diffusion.js',
        }, null, 2) + '\n');
        const rec = { id, state: run.state, entries: har.log.entries.length, stripped, file, ms: Date.now() - t0 };
        out.push(rec);
        opts.onRecorded?.(rec);
      } finally {
        await page.close();
      }
    }
  } finally {
    await devtools.detach();
    await browser.close();
    await lab.close();
  }
  return out;
}
