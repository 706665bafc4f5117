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
    rules: [...${doc}.querySelectorAll('[data-testid="finding"] [data-testid="rule"], [data-testid="verdict"] [data-testid="rule"], [data-testid="consequence"] [data-testid="rule"]')].map((r) => r.textContent || ''),
    text: ${doc}.body.innerText,
    html: ${doc}.documentElement.outerHTML,
  })`;
}

/** Where the panel's regions are, and whether each connection row's outcome and cause are shown whole. */
export interface PanelLayout {
  width: number;
  height: number;
  scrollWidth: number;
  regions: { name: string; x: number; y: number; w: number; h: number }[];
  rows: { outcome: string; headline: string; whole: boolean; inside: boolean }[];
}

/** The expression, evaluated inside the panel (its document named `doc`), that reads a PanelLayout. */
export function panelLayoutExpression(doc: string): string {
  return `(() => {
    const win = ${doc}.defaultView;
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
    const list = ${doc}.querySelector('[data-testid="connection-list"]').getBoundingClientRect();
    return {
      width: win.innerWidth,
      height: win.innerHeight,
      scrollWidth: ${doc}.documentElement.scrollWidth,
      regions: ['connections-pane', 'timeline-pane', 'findings-pane', 'details-pane'].map((n) => ({ name: n, ...box(${doc}.querySelector('.' + n)) })),
      rows: [...${doc}.querySelectorAll('[data-testid="connection-row"]')].map((r) => {
        const badge = r.querySelector('[data-testid="outcome-badge"]');
        const h = r.querySelector('[data-testid="headline"]');
        const hr = h.getBoundingClientRect();
        return { outcome: badge.textContent, headline: h.textContent, whole: h.scrollWidth <= h.clientWidth + 1, inside: hr.right <= list.right + 0.5 && badge.getBoundingClientRect().left >= list.left };
      }),
    };
  })()`;
}

/** Problems with a PanelLayout: regions squeezed, outside or overlapping; sideways scrolling; rows cut. */
export function layoutProblems(l: PanelLayout): string[] {
  const out: string[] = [];
  if (l.scrollWidth > l.width) out.push('the panel scrolls sideways');
  const eps = 0.5;
  for (const r of l.regions) {
    if (!(r.w > 40 && r.h > 20)) out.push(`${r.name} is squeezed away`);
    if (!(r.x >= 0 && r.y >= 0 && r.x + r.w <= l.width + eps)) out.push(`${r.name} is outside the panel`);
  }
  for (let i = 0; i < l.regions.length; i++) {
    for (let j = i + 1; j < l.regions.length; j++) {
      const a = l.regions[i]!, b = l.regions[j]!;
      if (a.x + a.w > b.x + eps && b.x + b.w > a.x + eps && a.y + a.h > b.y + eps && b.y + b.h > a.y + eps) out.push(`${a.name} overlaps ${b.name}`);
    }
  }
  if (l.rows.length === 0) out.push('no connection row');
  for (const r of l.rows) if (!(r.outcome && r.whole && r.inside)) out.push(`a row's outcome or cause is cut: ${r.outcome} ${r.headline}`);
  return out;
}
