// The timeline's time labels never overlap, however narrow DevTools is docked: fewer labels fit a
// narrower track, and at the narrowest only the start is labelled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startShell, writeOut, type ShellEnv } from './harness.ts';
import { realisticCapture } from './hars.ts';

let env: ShellEnv;
let query = '';
before(async () => {
  env = await startShell();
  query = `?har=${encodeURIComponent(new URL(env.put('realistic.har', realisticCapture())).pathname)}`;
});
after(async () => { await env?.close(); });

interface Box { left: number; right: number; text: string }

test('time labels fit the axis without overlapping at every width', async () => {
  const { page } = await env.open(query);
  try {
    await page.waitForSelector('[data-testid="timeline-tick"]');
    const counts: number[] = [];
    for (const width of [1600, 1280, 900, 700, 560, 420, 320]) {
      await page.setViewportSize({ width, height: 700 });
      // the axis re-measures on resize: wait (bounded) for the labels to match its new width
      const boxes = await page.waitForFunction(() => {
        const axis = document.querySelector('[data-testid="timeline-axis"]');
        if (!axis) return null;
        const a = axis.getBoundingClientRect();
        const ticks = [...axis.querySelectorAll('[data-testid="timeline-tick"]')].map((t) => {
          const r = t.getBoundingClientRect();
          return { left: r.left, right: r.right, text: t.textContent ?? '' };
        });
        const inside = ticks.every((t) => t.left >= a.left - 0.5 && t.right <= a.right + 0.5);
        const apart = ticks.every((t, i) => i === 0 || t.left >= ticks[i - 1]!.right + 4);
        return inside && apart ? ticks : null;
      }, undefined, { timeout: 5_000 }).then((h) => h.jsonValue() as Promise<Box[]>);
      counts.push(boxes.length);
      assert.ok(boxes.every((b) => /^\d\d:\d\d:\d\d\.\d{3}$/.test(b.text)), JSON.stringify(boxes));
      if (width === 420) writeOut('panel-narrow.png', await page.screenshot());
    }
    // wide shows several labels, narrow fewer, and a medium width still labels the start
    assert.ok(counts[0]! >= 3, counts.join(','));
    assert.ok(counts[4]! >= 1, counts.join(','));
    assert.ok(counts.at(-1)! < counts[0]!, counts.join(','));
  } finally {
    await page.close();
  }
});
