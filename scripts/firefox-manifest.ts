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
/**
 * Firefox 128 is the first with `world: "MAIN"` content scripts, which the hook needs; 140 (Android:
 * 142) the first that reads the data collection declaration add-ons.mozilla.org requires.
 */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';
/** The sizes add-ons.mozilla.org asks for (Chrome's are in manifest.json). */
export const FIREFOX_ICONS = { '48': 'icons/icon-48.png', '96': 'icons/icon-96.png' };

type Manifest = Record<string, unknown>;

export function firefoxManifest(chrome: Manifest): Manifest {
  const m: Manifest = structuredClone(chrome);
  delete m['key'];
  delete m['minimum_chrome_version'];
  // Firefox MV3 runs the background as an event page; the bundle is a classic script.
  m['background'] = { scripts: ['background.js'] };
  const permissions = Array.isArray(m['permissions']) ? (m['permissions'] as string[]) : [];
  m['permissions'] = [...new Set([...permissions, 'webRequest'])];
  m['icons'] = { ...FIREFOX_ICONS };
  m['browser_specific_settings'] = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // The extension sends nothing anywhere: all it captures stays in the browser.
      data_collection_permissions: { required: ['none'] },
    },
    gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
  };
  return m;
}
