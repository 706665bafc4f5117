// The panel at the sizes people dock DevTools: a 550 × 800 window (Chrome's default right dock) and a
// 1280 × 300 one (docked at the bottom), in real DevTools with a lab scenario and its finding
// selected. At each size the regions do not overlap, nothing scrolls sideways, and every
// connection's outcome and cause can be read whole. The screenshots are the README's:
// e2e/.out/chrome-devtools-<scenario>-<size>.png (copied to docs/screenshots/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { buildExtension, launchWithExtension, screenshot, waitForPanel, type ExtensionBrowser, type TargetSession } from './harness.ts';

const SHOTS: { id: string; cascade: string; rule: string; headline: RegExp }[] = [
  { id: 'websocket-stripped-upgrade', cascade: 'WEBSOCKET failed → XHR connected', rule: 'websocket-unavailable', headline: /^Connected over XHR after WEBSOCKET (answered 200 instead of 101|failed)|upgrade/i },
  { id: 'connection-rejected-authentication', cascade: 'WEBSOCKET rejected', rule: 'connection-rejected', headline: /^Rejected by the server: 116 AUTHENTICATION_FAILED|authentication/i },
];
const SIZES = [{ width: 550, height: 800, dock: 'right' }, { width: 1280, height: 300, dock: 'bottom' }];

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab({ only: SHOTS.map((s) => s.id) });
  browser = await launchWithExtension();
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

interface Layout {
  width: number;
  scrollWidth: number;
  regions: { name: string; x: number; y: number; w: number; h: number }[];
  rows: { outcome: string; headline: string; whole: boolean; inside: boolean }[];
}

/** Where the panel's regions are, and whether each connection row's outcome and cause are shown whole. */
function layout(panel: TargetSession): Promise<Layout> {
  return panel.evaluate<Layout>(`(() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
    const list = document.querySelector('[data-testid="connection-list"]').getBoundingClientRect();
    return {
      width: innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      regions: ['connections-pane', 'timeline-pane', 'findings-pane', 'details-pane'].map((n) => ({ name: n, ...box(document.querySelector('.' + n)) })),
      rows: [...document.querySelectorAll('[data-testid="connection-row"]')].map((r) => {
        const badge = r.querySelector('[data-testid="outcome-badge"]');
        const h = r.querySelector('[data-testid="headline"]');
        const hr = h.getBoundingClientRect();
        return { outcome: badge.textContent, headline: h.textContent, whole: h.scrollWidth <= h.clientWidth + 1, inside: hr.right <= list.right + 0.5 && badge.getBoundingClientRect().left >= list.left };
      }),
    };
  })()`);
}

function overlap(a: Layout['regions'][number], b: Layout['regions'][number]): boolean {
  const eps = 0.5;
  return a.x + a.w > b.x + eps && b.x + b.w > a.x + eps && a.y + a.h > b.y + eps && b.y + b.h > a.y + eps;
}

for (const shot of SHOTS) {
  test(`${shot.id}: docked right (550 × 800) and at the bottom (1280 × 300), outcome and cause readable`, async () => {
    const s = lab.scenarios.get(shot.id);
    if (!s) throw new Error(`scenario ${shot.id} is not running`);
    s.reset();
    const page = await browser.lab.context.newPage();
    try {
      const opened = await browser.openPanel(page);
      const { panel, devtools } = opened;
      await browser.undock(opened, SIZES[0]!.width, SIZES[0]!.height);
      await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
      await waitForPanel(panel, `${shot.cascade} and ${shot.rule}`, (v) =>
        v.rows.some((r) => r.steps.map((x) => `${x.transport} ${x.result}`).join(' → ') === shot.cascade) && v.rules.includes(shot.rule));
      // Picking the finding highlights its attempts and opens the connection's details.
      await panel.evaluate(`document.querySelector('[data-rule=${JSON.stringify(shot.rule)}]').dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))`);
      await waitForPanel(panel, 'the finding selected with its details', (v) => v.html.includes('aria-selected="true" class="issue') && v.html.includes('data-testid="attempt-detail"'));
      for (const size of SIZES) {
        await browser.undock(opened, size.width, size.height);
        await new Promise((r) => setTimeout(r, 300)); // one resize observer round
        const l = await layout(panel);
        const where = `at ${size.width} × ${size.height}: ${JSON.stringify(l)}`;
        assert.ok(l.scrollWidth <= l.width, `the panel scrolls sideways ${where}`);
        for (const r of l.regions) {
          assert.ok(r.w > 40 && r.h > 20, `${r.name} is squeezed away ${where}`);
          assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= l.width + 0.5, `${r.name} is outside the panel ${where}`);
        }
        for (let i = 0; i < l.regions.length; i++) {
          for (let j = i + 1; j < l.regions.length; j++) assert.ok(!overlap(l.regions[i]!, l.regions[j]!), `${l.regions[i]!.name} overlaps ${l.regions[j]!.name} ${where}`);
        }
        assert.ok(l.rows.length > 0, where);
        const main = l.rows.find((r) => shot.headline.test(r.headline));
        assert.ok(main, `no row says ${shot.headline} ${where}`);
        for (const r of l.rows) assert.ok(r.outcome && r.whole && r.inside, `a row's outcome or cause is cut ${where}`);
        await screenshot(devtools, `chrome-devtools-${shot.id}-${size.width}x${size.height}.png`);
      }
    } finally {
      await page.close();
    }
  });
}
