// The sites the hook runs on. Injecting the hook and its relay into every frame of every page cost
// pages that never use Diffusion about 2.5–3 ms per frame (`npm run bench -- --only load`), so the
// content scripts are registered at run time only for the sites where the panel saw Diffusion
// traffic or the user asked to capture from page start. The list lives in storage.local (it
// outlives browser restarts and worker stops); the registrations persist across sessions too, so
// the hook is in place from a known site's first page after a restart, before any worker runs.
// A site is a host name: Firefox's match patterns cannot name a port, and both schemes count.

export const SITES_KEY = 'sites';
/** Sites remembered at most; the oldest is forgotten first. */
export const MAX_SITES = 500;
const IDS = ['dci-hook', 'dci-relay'] as const;

/** The part of chrome.scripting / browser.scripting the registration uses. */
export interface ScriptingApi {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string; matches?: string[] }[]>;
  registerContentScripts(scripts: chrome.scripting.RegisteredContentScript[]): Promise<void>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<void>;
}

/** The site of a page URL (its host name), or null for pages the hook never runs on. */
export function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.hostname : null;
  } catch {
    return null;
  }
}

/** The stored list, read defensively: only host-name strings survive. */
export function readSites(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter((s): s is string => typeof s === 'string' && siteOf(`http://${s}/`) === s);
}

/** The list with `site` added last (kept once, bounded). */
export function withSite(sites: readonly string[], site: string): string[] {
  const next = sites.filter((s) => s !== site);
  next.push(site);
  return next.slice(-MAX_SITES);
}

/** Every frame of the site, http and https, any port; about:blank, data: and blob: frames it creates too. */
export function contentScripts(sites: readonly string[]): chrome.scripting.RegisteredContentScript[] {
  const matches = sites.map((s) => `*://${s}/*`);
  const common = { matches, runAt: 'document_start' as const, allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true };
  return [
    { ...common, id: IDS[0], js: ['hook.js'], world: 'MAIN' as chrome.scripting.ExecutionWorld },
    { ...common, id: IDS[1], js: ['relay.js'], world: 'ISOLATED' as chrome.scripting.ExecutionWorld },
  ];
}

/** Makes the registered content scripts cover exactly `sites`; does nothing when they already do. */
export async function syncRegistration(scripting: ScriptingApi, sites: readonly string[]): Promise<void> {
  const want = contentScripts(sites);
  const have = await scripting.getRegisteredContentScripts({ ids: [...IDS] });
  const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
  if (have.length === IDS.length && have.every((h) => same(h.matches, want[0]!.matches))) return;
  if (have.length > 0) await scripting.unregisterContentScripts({ ids: have.map((h) => h.id) });
  if (sites.length > 0) await scripting.registerContentScripts(want);
}
