// What every real-browser test needs: the repo root, a fresh build of the extension, and a bounded
// wait for a condition.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Build dist/chrome and dist/firefox (and the CLI) as `npm run build` does. */
export function buildExtension(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the build failed: ${r.stderr || r.stdout || r.error?.message}`);
}

/** Poll `check` every 100 ms until it returns a value, or fail after `ms` naming what was awaited. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a test reads from the Diffusion panel, in Chrome and Firefox alike. */
export interface PanelView {
  rows: { outcome: string; steps: { transport: string; result: string }[] }[];
  rules: string[];
  text: string;
  html: string;
}

/**
 * The expression, evaluated inside the panel, that reads a PanelView: connection rows with their
 * cascades, the findings' rule ids, all text. `doc` names the panel's document there.
 */
export function panelViewExpression(doc: string): string {
  return `({
    rows: [...${doc}.querySelectorAll('[data-testid="connection-row"]')].map((r) => ({
      outcome: r.getAttribute('data-outcome') || '',
      steps: [...r.querySelectorAll('[data-testid="step"]')].map((s) => ({
        transport: s.querySelector('.transport')?.textContent || '',
        result: s.querySelector('.result')?.textContent || '',
      })),
    })),
    rules: [...${doc}.querySelectorAll('[data-testid="finding"] [data-testid="rule"], [data-testid="verdict"] [data-testid="rule"]')].map((r) => r.textContent || ''),
    text: ${doc}.body.innerText,
    html: ${doc}.documentElement.outerHTML,
  })`;
}
