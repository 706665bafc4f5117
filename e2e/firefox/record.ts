// Captures scenarios in real Firefox ESR through DevTools' own HAR (devtools.network.getHAR()): for
// each scenario a new tab gets the toolbox with the Network monitor (Firefox's HAR holds only what it
// collected) and the recorder panel, the scenario page runs to done, and the HAR is written beside the
// scenario's expectations (with Firefox's differences, see expectations.ts) in e2e/fixtures/firefox/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/lab.ts';
import { trimHar, type Har } from '../recorder/trim.ts';
import { Bidi } from './bidi.ts';
import { FIREFOX_DIFFERENCES } from './expectations.ts';
import { expectedFields } from '../recorder/expectations.ts';
import { waitFor } from './harness.ts';
import { launchFirefox } from './launch.ts';
import { closeToolbox, evalInPanel, openPanel, showTool } from './toolbox.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDER_EXTENSION = join(here, 'recorder-ext');
export const FIXTURES = join(here, '..', 'fixtures', 'firefox');

export interface Recorded { id: string; state: string; expectedState: string; entries: number; stripped: number; file: string; ms: number }

export async function recordScenarios(opts: { only?: string[]; outDir?: string; onRecorded?: (r: Recorded) => void } = {}): Promise<Recorded[]> {
  const outDir = opts.outDir ?? FIXTURES;
  mkdirSync(outDir, { recursive: true });
  const lab = await startLab(opts.only ? { only: opts.only } : {});
  const firefox = await launchFirefox();
  const out: Recorded[] = [];
  let b: Bidi | undefined;
  try {
    b = await Bidi.connect(firefox.bidiUrl);
    const session = await b.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    const version = session.capabilities.browserVersion;
    await b.send('webExtension.install', { extensionData: { type: 'path', path: RECORDER_EXTENSION } });
    for (const [id, r] of lab.scenarios) {
      const t0 = Date.now();
      r.reset();
      const { context } = await b.send<{ context: string }>('browsingContext.create', { type: 'tab' });
      try {
        await b.send('browsingContext.activate', { context });
        await showTool(b, 'netmonitor');
        const panel = await openPanel(b, 'Recorder');
        const bb = b;
        await waitFor('the recorder panel', () => evalInPanel<boolean>(bb, panel, 'win.wrappedJSObject.labReady === true'), 10_000);
        await b.send('browsingContext.navigate', { context, url: r.pageUrl, wait: 'interactive' }, 15_000);
        const state = await waitFor('the scenario page to finish', async () => {
          const s = await bb.evaluate<string>(context, `document.body?.dataset.state ?? ''`);
          return s && s !== 'running' ? s : undefined;
        }, r.scenario.boundMs + 5000);
        // Let DevTools see the last closes and finished requests before asking for the HAR.
        await new Promise((res) => setTimeout(res, 500));
        const har = JSON.parse(await evalInPanel<string>(b, panel, 'win.wrappedJSObject.labHar()')) as Har;
        const { stripped } = trimHar(har);
        const s = r.scenario;
        const diff = FIREFOX_DIFFERENCES[id];
        const file = join(outDir, `${id}.har`);
        writeFileSync(file, JSON.stringify(har, null, 1) + '\n');
        writeFileSync(join(outDir, `${id}.expect.json`), JSON.stringify({
          ...expectedFields(s, 'firefox'),
          pageState: state,
          notes: [...r.notes, ...(diff ? [diff.note] : [])],
          ...(s.observed ? { observed: s.observed } : {}),
          firefox: version,
          client: 'diffusion 6.12.1 dist/diffusion.js',
        }, null, 2) + '\n');
        const rec = { id, state, expectedState: diff?.pageState ?? 'done', entries: har.log.entries.length, stripped, file, ms: Date.now() - t0 };
        out.push(rec);
        opts.onRecorded?.(rec);
      } finally {
        await closeToolbox(b).catch(() => undefined);
        await b.send('browsingContext.close', { context }).catch(() => undefined);
      }
    }
  } finally {
    if (b) {
      await b.send('session.end', {}, 5000).catch(() => undefined);
      b.close();
    }
    await firefox.close();
    await lab.close();
  }
  return out;
}
