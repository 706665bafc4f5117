// The inline shell: the real panel UI in a plain tab, for development and tests without DevTools.
// Load a capture with the Import button or by dropping a file; `?har=<url>` (same origin only) loads
// one at start, `?theme=dark|light` overrides prefers-color-scheme.
import { mountPanel, PanelStore, type Theme } from './index.tsx';
import { importHarBlob } from './io/import-har.ts';

const params = new URLSearchParams(location.search);
const store = new PanelStore();
const themeParam = params.get('theme');
const theme: Theme | undefined = themeParam === 'dark' || themeParam === 'light' ? themeParam : undefined;
mountPanel(document.getElementById('root')!, store, { theme });

async function loadFromQuery(spec: string): Promise<void> {
  const url = new URL(spec, location.href);
  const name = decodeURIComponent(url.pathname.split('/').pop() || 'capture.har');
  if (url.origin !== location.origin) {
    store.noteImport({ name, at: Date.now(), read: 0, entries: 0, skipped: 0, unrelated: 0, warnings: [], error: 'only HAR files from this page\'s origin can be loaded with ?har=' });
    return;
  }
  try {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { observations, note } = await importHarBlob(await res.blob(), name);
    store.noteImport(note);
    store.add(observations);
    store.flush();
  } catch (e) {
    store.noteImport({ name, at: Date.now(), read: 0, entries: 0, skipped: 0, unrelated: 0, warnings: [], error: `could not be fetched (${e instanceof Error ? e.message : String(e)})` });
  }
}

const har = params.get('har');
if (har) void loadFromQuery(har);
