// Renders icons/icon.svg to the PNG sizes the stores ask for (Chrome Web Store: 16, 32, 48, 128;
// Firefox add-ons: 48, 96) with headless Chromium. Run after changing the SVG:
//   npx tsx scripts/icons.ts
// The PNGs are committed, so building and packaging need no browser.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { CHROMIUM, CHROMIUM_BASE_ARGS } from '../e2e/chromium.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

const svg = readFileSync(join(ROOT, 'icons/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_BASE_ARGS] });
try {
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    writeFileSync(join(ROOT, `icons/icon-${size}.png`), await page.screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`wrote icons/icon-{${ICON_SIZES.join(',')}}.png`);
