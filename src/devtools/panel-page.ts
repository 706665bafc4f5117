// The Diffusion panel page inside DevTools: mounts the panel UI and feeds its store from the
// background (a port per panel: a snapshot on connect, then live observations) and from DevTools'
// own network log (getHAR backfill, navigations). Everything that arrives is page data: it goes
// through fromWire, and what fails is skipped and counted.
import { mountPanel, PanelStore } from '../../panel/index.tsx';
import type { Observation, SourceName } from '../core/model.ts';
import { fromWire } from '../core/serialize.ts';
import { readHarLog } from '../sources/har/index.ts';

const tabId = chrome.devtools.inspectedWindow.tabId;
const store = new PanelStore();
const root = document.getElementById('root');
if (root) mountPanel(root, store, { theme: chrome.devtools.panels.themeName === 'dark' ? 'dark' : 'light' });

// The background re-sends an observation as it learns more about a request. The store only
// appends, so a newer version of one it holds means rebuilding the store without the older one.
const live = new Map<string, Observation>();
let skipped = 0;
let pending: unknown[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

const keyOf = (o: Observation) => o.kind === 'page' ? `page:${o.source}:${o.url}:${o.startedAt}` : `${o.source}:${o.sourceId ?? `${o.url}:${o.startedAt}`}`;

const clearStore = store.clear.bind(store);

function rebuild(stale: ReadonlySet<Observation>, added: readonly Observation[]): void {
  const state = store.getState();
  const keep = store.getObservations().filter((o) => !stale.has(o));
  clearStore();
  for (const n of state.preserveLog ? state.navigations : state.navigations.slice(-1)) store.navigated(n.url, n.at);
  store.add([...keep, ...added]);
  for (const s of state.sources) store.capturing(s.source, s.since, s.detail);
  for (const i of state.imports) store.noteImport(i);
}

function take(list: readonly unknown[]): void {
  const stale = new Set<Observation>();
  const added = new Map<string, Observation>();
  for (const raw of list) {
    const o = fromWire(raw);
    if (!o) {
      skipped++;
      continue;
    }
    const key = keyOf(o);
    const before = live.get(key);
    // one held by the store goes stale; one from earlier in this batch was never added
    if (before && !added.has(key)) stale.add(before);
    live.set(key, o);
    added.set(key, o);
  }
  const noted = new Set(store.getState().sources.map((s) => s.source));
  for (const o of added.values()) {
    if (!noted.has(o.source)) {
      noted.add(o.source);
      store.capturing(o.source, o.startedAt);
    }
  }
  if (stale.size > 0) rebuild(stale, [...added.values()]);
  else store.add([...added.values()]);
  if (skipped > 0) store.capturing('hook', store.getState().sources.find((s) => s.source === 'hook')?.since ?? Date.now(), `${skipped} unreadable observations skipped`);
}

// Live events come in bursts: take them in batches.
function queue(list: readonly unknown[]): void {
  pending.push(...list);
  timer ??= setTimeout(() => {
    timer = null;
    const batch = pending;
    pending = [];
    take(batch);
  }, 50);
}

interface Snapshot { observations?: unknown; since?: Partial<Record<SourceName, number>>; navigations?: { url: string; at: number }[] }

let port: chrome.runtime.Port | null = null;
let initialised = false;

function connect(): void {
  const p = chrome.runtime.connect({ name: 'panel' });
  port = p;
  p.onMessage.addListener((raw: unknown) => {
    const m = (raw ?? {}) as { type?: unknown; observations?: unknown; url?: unknown; at?: unknown };
    if (m.type === 'snapshot') onSnapshot(raw as Snapshot);
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
  // Newer versions replace what the store holds; unchanged ones are not added twice.
  const fresh = list.filter((raw) => {
    const o = fromWire(raw);
    if (!o) return true;
    const before = live.get(keyOf(o));
    return !before || JSON.stringify(before) !== JSON.stringify(o);
  });
  queue(fresh);
}

// The panel's Clear and Preserve log reach the background too.
store.clear = () => {
  clearStore();
  live.clear();
  port?.postMessage({ type: 'clear' });
};
let preserve = store.getState().preserveLog;
store.subscribe((state) => {
  if (state.preserveLog === preserve) return;
  preserve = state.preserveLog;
  port?.postMessage({ type: 'preserve', on: preserve });
});

chrome.devtools.network.onNavigated.addListener((url) => store.navigated(url));

// What DevTools' network log saw before this panel loaded.
chrome.devtools.network.getHAR((har) => {
  try {
    const read = readHarLog(har, { source: 'devtools' });
    store.add(read.observations);
    store.capturing('devtools', Date.now(), 'backfilled from the DevTools network log');
  } catch {
    // an unreadable log adds nothing; the live sources still work
  }
});

connect();
