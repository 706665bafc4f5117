// Per-tab capture, kept in storage.session so it survives the background worker (Chrome) or event
// page (Firefox) being stopped when idle. Observations are keyed by source and source id: a source
// re-sends a request's observation as it learns more (upgrade, first frame, close), and the newest
// replaces the older one. Bounded: past the cap the oldest are dropped and counted.
import type { SourceName } from '../core/model.ts';
import type { WireObservation } from '../core/serialize.ts';

/** The part of chrome.storage.session / browser.storage.session the store uses. */
export interface SessionArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface Navigation {
  url: string;
  at: number;
}

export interface TabCapture {
  tabId: number;
  /** Observations in arrival order. */
  observations: WireObservation[];
  /** How many were dropped beyond the cap. */
  dropped: number;
  /** When each source started capturing this tab (epoch ms). */
  since: Partial<Record<SourceName, number>>;
  navigations: Navigation[];
}

export interface TabStoreOptions {
  maxObservations?: number;
  maxNavigations?: number;
  /** Writes are batched: storage is written at most this often per tab. */
  flushMs?: number;
}

const KEY = (tabId: number) => `tab:${tabId}`;

export class TabStore {
  private readonly tabs = new Map<number, Promise<TabCapture>>();
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly max: number;
  private readonly maxNavigations: number;
  private readonly flushMs: number;

  constructor(private readonly area: SessionArea, options: TabStoreOptions = {}) {
    this.max = options.maxObservations ?? 3000;
    this.maxNavigations = options.maxNavigations ?? 200;
    this.flushMs = options.flushMs ?? 200;
  }

  /** Add or replace observations; returns the ones stored (for forwarding to open panels). */
  async upsert(tabId: number, observations: readonly WireObservation[]): Promise<WireObservation[]> {
    if (observations.length === 0) return [];
    const tab = await this.load(tabId);
    for (const o of observations) {
      if (tab.since[o.source] === undefined) tab.since[o.source] = o.startedAt;
      const id = keyOf(o);
      const at = id === null ? -1 : tab.observations.findIndex((x) => keyOf(x) === id);
      if (at >= 0) tab.observations[at] = o;
      else tab.observations.push(o);
    }
    const over = tab.observations.length - this.max;
    if (over > 0) {
      tab.observations.splice(0, over);
      tab.dropped += over;
    }
    this.scheduleFlush(tabId);
    return [...observations];
  }

  /** Record that capture of `source` is running for the tab from `at` on (even before any traffic). */
  async markSource(tabId: number, source: SourceName, at: number): Promise<void> {
    const tab = await this.load(tabId);
    if (tab.since[source] === undefined) {
      tab.since[source] = at;
      this.scheduleFlush(tabId);
    }
  }

  /** A new document in the tab's top frame. Without preserve-log, earlier observations go. */
  async navigate(tabId: number, url: string, at: number, preserve: boolean): Promise<void> {
    const tab = await this.load(tabId);
    if (!preserve) {
      tab.dropped = 0;
      tab.observations = tab.observations.filter((o) => o.startedAt >= at);
      tab.navigations = [];
    }
    tab.navigations.push({ url, at });
    if (tab.navigations.length > this.maxNavigations) tab.navigations.splice(0, tab.navigations.length - this.maxNavigations);
    this.scheduleFlush(tabId);
  }

  async snapshot(tabId: number): Promise<TabCapture> {
    const tab = await this.load(tabId);
    return { ...tab, observations: [...tab.observations], navigations: [...tab.navigations], since: { ...tab.since } };
  }

  async clear(tabId: number): Promise<void> {
    const tab = await this.load(tabId);
    tab.observations = [];
    tab.navigations = [];
    tab.dropped = 0;
    await this.flush(tabId);
  }

  /** The tab closed: forget it everywhere. */
  async forget(tabId: number): Promise<void> {
    const t = this.timers.get(tabId);
    if (t) clearTimeout(t);
    this.timers.delete(tabId);
    this.tabs.delete(tabId);
    await this.area.remove([KEY(tabId)]);
  }

  /** Write a tab now (also used before the worker may stop). */
  async flush(tabId: number): Promise<void> {
    const t = this.timers.get(tabId);
    if (t) clearTimeout(t);
    this.timers.delete(tabId);
    const tab = this.tabs.get(tabId);
    if (tab) await this.area.set({ [KEY(tabId)]: await tab });
  }

  private scheduleFlush(tabId: number): void {
    if (this.timers.has(tabId)) return;
    this.timers.set(tabId, setTimeout(() => { void this.flush(tabId); }, this.flushMs));
  }

  private load(tabId: number): Promise<TabCapture> {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = this.area.get([KEY(tabId)]).then((items) => restore(tabId, items[KEY(tabId)]));
      this.tabs.set(tabId, tab);
    }
    return tab;
  }
}

function keyOf(o: WireObservation): string | null {
  if (o.kind === 'page') return `${o.source}:page:${o.url}:${o.startedAt}`;
  return o.sourceId === undefined ? null : `${o.source}:${o.sourceId}`;
}

// storage.session is ours, but treat what comes back defensively: a shape change between versions
// must not break the panel.
function restore(tabId: number, stored: unknown): TabCapture {
  const s = stored as Partial<TabCapture> | undefined;
  return {
    tabId,
    observations: Array.isArray(s?.observations) ? s.observations : [],
    dropped: typeof s?.dropped === 'number' ? s.dropped : 0,
    since: s?.since && typeof s.since === 'object' ? s.since : {},
    navigations: Array.isArray(s?.navigations) ? s.navigations : [],
  };
}
