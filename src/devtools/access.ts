// Host access for the panel. Firefox treats MV3 host permissions as opt-in: until the user grants
// them, the hook is not injected and webRequest sees nothing. The panel shows a banner with a button
// that asks, and the banner goes once access is granted (here or in the add-ons manager). In Chrome
// access is granted at install and the banner stays hidden unless the user withheld site access.
//
// Firefox gives DevTools panels no permissions API: there the background answers whether access is
// granted and says when it changes, and the button opens the extension's access page, whose own
// button makes the request (permissions.request must come straight from a click in its page).
import type { AccessState } from '../../panel/store.ts';

export const ALL_SITES: chrome.permissions.Permissions = { origins: ['<all_urls>'] };
export const ACCESS_QUERY = 'dci/access';
export const ACCESS_CHANGED = 'dci/access-changed';

/** What the panel needs to know and do about host access. */
export interface PermissionsApi {
  contains(p: chrome.permissions.Permissions): Promise<boolean>;
  request(p: chrome.permissions.Permissions): Promise<boolean>;
  onAdded: { addListener(cb: () => void): void };
  onRemoved: { addListener(cb: () => void): void };
}

/** Keeps `setAccess` in step with the extension's host access. */
export function watchAccess(permissions: PermissionsApi, setAccess: (a: AccessState | null) => void): Promise<void> {
  const request = () => permissions.request(ALL_SITES);
  const check = async () => {
    try {
      setAccess({ missing: !(await permissions.contains(ALL_SITES)), request });
    } catch {
      setAccess(null); // no way to tell: show nothing rather than a wrong banner
    }
  };
  try {
    permissions.onAdded.addListener(() => void check());
    permissions.onRemoved.addListener(() => void check());
  } catch {
    // checked once; the banner still works
  }
  return check();
}

/** The panel's access API: the browser's own where the panel has one, else through the background. */
export function panelPermissions(): PermissionsApi {
  if (typeof chrome.permissions?.contains === 'function') return chrome.permissions as unknown as PermissionsApi;
  const changed = { addListener(cb: () => void) {
    chrome.runtime.onMessage.addListener((m: unknown) => {
      if ((m as { type?: unknown } | null)?.type === ACCESS_CHANGED) cb();
    });
  } };
  return {
    async contains() {
      const r = (await chrome.runtime.sendMessage({ type: ACCESS_QUERY })) as { granted?: unknown } | undefined;
      if (typeof r?.granted !== 'boolean') throw new Error('no answer about access');
      return r.granted;
    },
    request() {
      // Granted (or not) in the access page; the background tells the panel when it changes.
      window.open(chrome.runtime.getURL('access.html'));
      return Promise.resolve(true);
    },
    onAdded: changed,
    onRemoved: { addListener() { /* one listener above covers both */ } },
  };
}
