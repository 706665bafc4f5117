// The Diffusion panel page inside DevTools: mounts the panel UI and feeds its store from the
// background (a port per panel: a snapshot on connect, then live observations) and from DevTools'
// own network log (getHAR backfill, navigations). Everything that arrives is page data: it goes
// through fromWire, and what fails is skipped and counted.
import { mountPanel, PanelStore } from '../../panel/index.tsx';
import type { Observation, SourceName } from '../core/model.ts';
import { fromWire } from '../core/serialize.ts';
import { isDiffusionCandidate, readHarLog } from '../sources/har/index.ts';
import type { HarEntry } from '../sources/har/har-types.ts';
import { panelPermissions, watchAccess } from './access.ts';
import { DevtoolsLog } from './network-log.ts';

const tabId = chrome.devtools.inspectedWindow.tabId;
const store = new PanelStore();
const root = document.getElementById('root');
const panels = chrome.devtools.panels as typeof chrome.devtools.panels & {
  /** Firefox's name for the theme change event. */
  onThemeChanged?: { addListener(callback: (theme: string) => void): void };
};
const themeOf = (name: string | undefined) => (name === 'dark' ? 'dark' : 'light');
const mounted = root ? mountPanel(root, store, { theme: themeOf(panels.themeName) }) : null;
// Follow DevTools when the user switches its theme (or the OS does, under "system preference").
if (mounted) {
  if (typeof panels.setThemeChangeHandler === 'function') panels.setThemeChangeHandler((t) => mounted.setTheme(themeOf(t)));
  else panels.onThemeChanged?.addListener((t) => mounted.setTheme(themeOf(t)));
}

// The background re-sends an observation as it learns more about a request: upsert replaces it.
let skipped = 0;
let pending: unknown[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

const clearStore = store.clear.bind(store);

function take(list: readonly unknown[]): void {
  const read: Observation[] = [];
  for (const raw of list) {
    const o = fromWire(raw);
    if (o) read.push(o);
    else skipped++;
  }
  const noted = new Set(store.getState().sources.map((s) => s.source));
  for (const o of read) {
    if (!noted.has(o.source)) {
      noted.add(o.source);
      store.capturing(o.source, o.startedAt);
    }
  }
  store.upsert(read);
  if (read.length > 0) {
    listenToNetwork();
    rememberSite();
  }
  if (skipped > 0) store.capturing('hook', store.getState().sources.find((s) => s.source === 'hook')?.since ?? Date.now(), `${skipped} unreadable observations skipped`);
}

// Live events come in bursts: take them in batches.
function queue(list: readonly unknown[]): void {
  for (const item of list) pending.push(item); // a snapshot can hold 100,000: no spread arguments
  timer ??= setTimeout(() => {
    timer = null;
    const batch = pending;
    pending = [];
    take(batch);
  }, 50);
}

interface Snapshot { observations?: unknown; dropped?: unknown; since?: Partial<Record<SourceName, number>>; navigations?: { url: string; at: number }[] }

let port: chrome.runtime.Port | null = null;
let initialised = false;

function connect(): void {
  const p = chrome.runtime.connect({ name: 'panel' });
  port = p;
  p.onMessage.addListener((raw: unknown) => {
    const m = (raw ?? {}) as { type?: unknown; observations?: unknown; url?: unknown; at?: unknown };
    if (m.type === 'snapshot') onSnapshot(raw as Snapshot);
    else if (m.type === 'site') onSite(raw as SiteAnswer);
    else if (m.type === 'observations' && Array.isArray(m.observations)) queue(m.observations);
  });
  // The worker was stopped (idle, or by the browser): connect again; the snapshot fills any gap.
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
    setTimeout(connect, 250);
  });
  p.postMessage({ type: 'init', tabId });
  // The panel owns the preserve-log choice; the background follows it (also after a restart).
  p.postMessage({ type: 'preserve', on: store.getState().preserveLog });
  p.postMessage({ type: 'site' });
  for (const m of outbox.splice(0)) p.postMessage(m);
}

/** The site questions wait here while the background is restarting (see connect). */
const outbox: object[] = [];
function send(m: object): void {
  if (port) port.postMessage(m);
  else outbox.push(m);
}

// ---- the inspected site: does the hook run there (see src/background/sites.ts)?
interface SiteAnswer { site?: unknown; known?: unknown; reload?: unknown }
/** The site as it was when the current page loaded: was the hook there from its start? */
let atLoad: { site: string | null; known: boolean } | null = null;
let remembered = false;
/**
 * The inspected page's URL when the background cannot read the tab's (Firefox without host
 * access): from DevTools' navigation events, or asked of the page once. Only its host name is used.
 */
let pageUrl: string | undefined;
let askedPage = false;
const aboutSite = (type: string) => send(pageUrl === undefined ? { type } : { type, url: pageUrl });

function onSite(m: SiteAnswer): void {
  const site = typeof m.site === 'string' ? m.site : null;
  const known = m.known === true;
  if (m.reload === true) {
    atLoad = { site, known: true };
    chrome.devtools.inspectedWindow.reload({});
  }
  if (atLoad === null || atLoad.site !== site) atLoad = { site, known };
  if (site === null) {
    store.setSite(null);
    if (pageUrl === undefined && !askedPage) {
      askedPage = true;
      chrome.devtools.inspectedWindow.eval('location.href', (href: unknown, _error?: unknown) => {
        if (typeof href !== 'string') return;
        pageUrl = href;
        aboutSite('site');
      });
    }
    return;
  }
  store.setSite({
    site,
    known,
    pending: known && !atLoad.known,
    capture: () => aboutSite('capture-from-start'),
    forget: () => {
      remembered = true; // not again for this page's traffic
      aboutSite('forget-site');
    },
  });
  // No hook here to say when Diffusion traffic starts: only the network log can tell.
  if (!known) listenToNetwork();
}

/** Diffusion traffic seen: the site's pages are captured from their start from now on. */
function rememberSite(): void {
  if (remembered || store.getState().site?.known) return;
  remembered = true;
  aboutSite('remember-site');
}

function onSnapshot(s: Snapshot): void {
  const list = Array.isArray(s.observations) ? s.observations : [];
  if (!initialised) {
    initialised = true;
    for (const n of s.navigations ?? []) if (typeof n?.url === 'string' && typeof n.at === 'number') store.navigated(n.url, n.at);
    for (const [source, since] of Object.entries(s.since ?? {})) {
      if (typeof since === 'number') store.capturing(source as SourceName, since, source === 'webRequest' ? `tab ${tabId}` : null);
    }
  }
  if (typeof s.dropped === 'number') store.setBackgroundDropped(s.dropped);
  // After a worker restart the snapshot repeats what the store holds: upsert replaces, never doubles.
  queue(list);
}

// The panel's Clear and Preserve log reach the background too.
store.clear = () => {
  clearStore();
  port?.postMessage({ type: 'clear' });
};
let preserve = store.getState().preserveLog;
store.subscribe((state) => {
  if (state.preserveLog === preserve) return;
  preserve = state.preserveLog;
  port?.postMessage({ type: 'preserve', on: preserve });
});

chrome.devtools.network.onNavigated.addListener((url) => {
  store.navigated(url);
  atLoad = null;
  remembered = false;
  pageUrl = url;
  aboutSite('site');
});

const devtoolsLog = new DevtoolsLog((observations) => store.upsert(observations));

function backfill(first: boolean): void {
  const answer = devtoolsLog.askedForLog();
  chrome.devtools.network.getHAR((har) => {
    try {
      const found = answer(har);
      if (first) store.capturing('devtools', Date.now(), listening ? FOLLOWING : WAITING);
      if (found > 0) {
        listenToNetwork();
        rememberSite();
      }
    } catch {
      // an unreadable log adds nothing; the live sources still work
    }
  });
}

// DevTools builds a HAR entry of every finished request for a listener, which made every XHR of the
// page about 13 % slower while the panel was open (`npm run bench`). So the panel listens only once
// the tab shows Diffusion traffic (from the hook, or in the backfill), or when the hook cannot run
// (no host access); it then reads the log again for what finished before it listened.
let listening = false;
const WAITING = 'backfilled from the DevTools network log; followed live once the page shows Diffusion traffic';
const FOLLOWING = 'backfilled from the DevTools network log, and followed live';
function listenToNetwork(): void {
  if (listening) return;
  listening = true;
  const note = store.getState().sources.find((s) => s.source === 'devtools');
  if (note) store.capturing('devtools', note.since, FOLLOWING);
  chrome.devtools.network.onRequestFinished.addListener((entry) => {
    try {
      // Most requests of a page are not Diffusion's: a cheap look at the entry skips them.
      if (!isDiffusionCandidate(entry as unknown as HarEntry)) return;
      if (devtoolsLog.finished(entry) > 0) rememberSite();
    } catch {
      // one unreadable entry is skipped
    }
  });
  backfill(false);
}

backfill(true);

// Firefox: host access is opt-in; the panel offers a button that asks for it.
void watchAccess(panelPermissions(), (a) => {
  store.setAccess(a);
  if (a?.missing) listenToNetwork();
});

connect();
