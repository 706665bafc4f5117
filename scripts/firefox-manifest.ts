// The Firefox manifest, derived from the one manifest.json: an event page instead of a service worker,
// a stable gecko id, the data collection declaration, and the first version that runs MAIN-world
// content scripts. Chrome-only keys go.
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
