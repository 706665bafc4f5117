// The Firefox manifest, derived from the one manifest.json: an event page instead of a service worker,
// a stable gecko id, the data collection declaration, the first version that runs MAIN-world
// content scripts, and webRequest. Chrome-only keys go.
//
// webRequest is Firefox-only: in Chrome the permission alone routes every request of every tab
// through the browser process (measured by `npm run bench`: XHRs ~20 % slower with no listener at
// all), and DevTools' network log gives the panel the same facts. Firefox's webRequest tells what its
// network log does not: a failed upgrade's error name and the errors of requests that never got an
// answer.
export const GECKO_ID = 'diffusion-inspector@connection-inspector';
/** Firefox 128 is the first with `world: "MAIN"` content scripts, which the hook needs. */
export const FIREFOX_MIN_VERSION = '128.0';

type Manifest = Record<string, unknown>;

export function firefoxManifest(chrome: Manifest): Manifest {
  const m: Manifest = structuredClone(chrome);
  delete m['key'];
  delete m['minimum_chrome_version'];
  // Firefox MV3 runs the background as an event page; the bundle is a classic script.
  m['background'] = { scripts: ['background.js'] };
  const permissions = Array.isArray(m['permissions']) ? (m['permissions'] as string[]) : [];
  m['permissions'] = [...new Set([...permissions, 'webRequest'])];
  m['browser_specific_settings'] = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // The extension sends nothing anywhere: all it captures stays in the browser.
      data_collection_permissions: { required: ['none'] },
    },
  };
  return m;
}
