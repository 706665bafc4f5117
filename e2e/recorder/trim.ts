// Keeps fixtures small: bodies of non-Diffusion entries above a few KB (the client bundle, mostly)
// are removed; every Diffusion entry stays exactly as Chromium wrote it.
export const MAX_OTHER_BODY = 4096;

interface HarEntry {
  _resourceType?: string;
  request: { url: string; headers: Array<{ name: string; value: string }> };
  response: { content: { text?: string; size?: number; comment?: string } };
}
export interface Har { log: { entries: HarEntry[]; [k: string]: unknown } }

export function isDiffusionEntry(e: HarEntry): boolean {
  if (e._resourceType === 'websocket') return true;
  const url = e.request.url;
  if (/[?&]ty=WB(&|$)/.test(url) || /\/diffusion(\?|$)/.test(new URL(url).pathname + '?')) return true;
  return e.request.headers.some((h) => h.name.toLowerCase() === 'm' || h.name.toLowerCase() === 'ty');
}

export function trimHar(har: Har): { har: Har; stripped: number } {
  let stripped = 0;
  for (const e of har.log.entries) {
    const text = e.response.content.text;
    if (isDiffusionEntry(e) || text === undefined || text.length <= MAX_OTHER_BODY) continue;
    delete e.response.content.text;
    e.response.content.comment = `body (${text.length} characters) removed by the lab recorder`;
    stripped++;
  }
  return { har, stripped };
}
