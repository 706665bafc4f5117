// Host access for panels that have no permissions API (Firefox DevTools panels): answers whether
// access is granted, and tells extension pages when it changes.
import { ACCESS_CHANGED, ACCESS_QUERY, ALL_SITES } from '../devtools/access.ts';

export function serveAccess(): void {
  chrome.runtime.onMessage.addListener((raw: unknown, sender, reply) => {
    if ((raw as { type?: unknown } | null)?.type !== ACCESS_QUERY || sender.id !== chrome.runtime.id || sender.tab) return false;
    chrome.permissions.contains(ALL_SITES).then((granted) => reply({ granted }), () => reply({}));
    return true;
  });
  const changed = () => {
    chrome.runtime.sendMessage({ type: ACCESS_CHANGED }).catch(() => undefined);
  };
  chrome.permissions.onAdded.addListener(changed);
  chrome.permissions.onRemoved.addListener(changed);
}
