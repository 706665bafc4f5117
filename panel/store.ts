// The panel's one source of truth: the observations it holds, notes about where they came from,
// navigation markers, and the latest `analyze(observations)`. Live events arrive one by one; the
// analysis is recomputed at most once per `throttleMs` (longer when one run is slow), so a burst of
// 1000 events costs a few recomputations and a single event still shows within ~100 ms.
// No DOM, no browser API: the DevTools page, the shell and Node tests drive it the same way.
import type { Analysis, Observation, SourceName } from '../src/core/model.ts';
import { analyze as coreAnalyze } from '../src/core/analyze.ts';
import { KnownSecrets } from '../src/core/diffusion/secrets.ts';

/** What one import of a HAR file could read and what it left out. */
export interface ImportNote {
  name: string;
  at: number;
  /** Observations added to the store. */
  read: number;
  /** Elements of log.entries in the file. */
  entries: number;
  /** Entries that were not readable entries. */
  skipped: number;
  /** Readable entries that cannot be Diffusion traffic. */
  unrelated: number;
  warnings: string[];
  /** The tool that wrote the file (its log.creator), when it says. */
  capturedBy?: string | null;
  /** Set when the file could not be read at all; nothing was added. */
  error: string | null;
}

/** "capturing since …" for one live source. */
export interface SourceNote {
  source: SourceName;
  since: number;
  /** Optional one-line detail, e.g. "tab 12" or "before DevTools opened: backfilled from getHAR()". */
  detail: string | null;
}

export interface NavigationMarker {
  url: string;
  at: number;
}

/** Observations that arrived after the cap was reached and were not kept. */
export interface DroppedNote {
  count: number;
  firstAt: number;
  lastAt: number;
}

/** The browser withholds the page's requests until the user allows access to the site (Firefox). */
export interface AccessState {
  missing: boolean;
  /** Asks the browser for access; resolves true when granted. */
  request: () => Promise<boolean>;
}

/**
 * Whether the hook runs on the inspected site (a host name). On sites it does not know, the panel
 * reads DevTools' network log only; `capture` remembers the site and reloads the page so the hook
 * captures it from its start. `pending`: remembered while this page was already loaded.
 */
export interface SiteState {
  site: string;
  known: boolean;
  pending: boolean;
  capture: () => void;
  forget: () => void;
}

export interface PanelState {
  analysis: Analysis;
  observationCount: number;
  cap: number;
  dropped: DroppedNote | null;
  /** Observations the background dropped beyond its own cap before this panel could read them. */
  backgroundDropped: number;
  access: AccessState | null;
  site: SiteState | null;
  sources: SourceNote[];
  imports: ImportNote[];
  navigations: NavigationMarker[];
  preserveLog: boolean;
  /** Duration of the last analysis run, ms. */
  analyzeMs: number;
  /** Why the latest analysis failed (the previous result is still shown), or null. */
  analysisError: string | null;
  /** Bumped on every change, so views can tell snapshots apart cheaply. */
  revision: number;
}

export interface StoreOptions {
  /** Observations kept at most; later ones are counted in `dropped`. */
  cap?: number;
  /** Minimum delay between two analysis runs, ms. */
  throttleMs?: number;
  /** Navigation markers kept at most (oldest dropped). */
  markerCap?: number;
  preserveLog?: boolean;
  /** Replaceable for tests (counting runs) and benchmarks (precomputed analyses). */
  analyze?: (observations: readonly Observation[]) => Analysis;
  now?: () => number;
}

export type Listener = (state: PanelState) => void;

export const DEFAULT_CAP = 100_000;
export const DEFAULT_THROTTLE_MS = 50;
const EMPTY: Analysis = { connections: [], findings: [], verdicts: [], context: { pages: [], preflights: [] } };

export class PanelStore {
  private observations: Observation[] = [];
  /** Position of each keyed observation in `observations`, for `upsert`. */
  private index = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private readonly analyzeFn: (observations: readonly Observation[]) => Analysis;
  private readonly now: () => number;
  private readonly throttleMs: number;
  private readonly markerCap: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private lastRunAt = -Infinity;
  private state: PanelState;
  /**
   * Every secret the requests held so far taught (the tunnel's password, tokens, cookie and
   * authorization values) and the analysis' session tokens: what the panel removes from all it shows.
   * Learned as observations arrive; kept until Clear (a navigation keeps them: the next page's URL
   * may repeat them).
   */
  private secrets = new KnownSecrets();

  constructor(options: StoreOptions = {}) {
    this.analyzeFn = options.analyze ?? coreAnalyze;
    this.now = options.now ?? Date.now;
    this.throttleMs = options.throttleMs ?? DEFAULT_THROTTLE_MS;
    this.markerCap = options.markerCap ?? 1000;
    this.state = {
      analysis: EMPTY,
      observationCount: 0,
      cap: options.cap ?? DEFAULT_CAP,
      dropped: null,
      backgroundDropped: 0,
      access: null,
      site: null,
      sources: [],
      imports: [],
      navigations: [],
      preserveLog: options.preserveLog ?? true,
      analyzeMs: 0,
      analysisError: null,
      revision: 0,
    };
  }

  getState(): PanelState {
    return this.state;
  }

  /** What the capture taught to redact (see `secrets`); mutated as observations arrive. */
  getSecrets(): KnownSecrets {
    return this.secrets;
  }

  /** The observations held, oldest first (read-only view; for exports). */
  getObservations(): readonly Observation[] {
    return this.observations;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Append live or imported observations. Beyond the cap they are counted, not kept. */
  add(items: Observation | readonly Observation[]): void {
    const list = Array.isArray(items) ? (items as readonly Observation[]) : [items as Observation];
    if (list.length === 0) return;
    const room = Math.max(0, this.state.cap - this.observations.length);
    const kept = room >= list.length ? list : list.slice(0, room);
    for (const o of kept) this.append(o);
    this.noteDropped(list.slice(kept.length));
    this.set({ observationCount: this.observations.length });
    this.dirty = true;
    this.schedule();
  }

  /**
   * Add observations, replacing any held with the same key: a live source re-sends a request's
   * observation as it learns more (upgrade, first frame, close). Requests are keyed by source and
   * source id, pages by source, url and time; one without a key is appended like `add`.
   */
  upsert(items: readonly Observation[]): void {
    if (items.length === 0) return;
    const rest: Observation[] = [];
    let replaced = false;
    for (const o of items) {
      const key = keyOf(o);
      const at = key === null ? undefined : this.index.get(key);
      if (at !== undefined) {
        this.observations[at] = o;
        this.learn(o);
        replaced = true;
      } else if (this.observations.length < this.state.cap) {
        this.append(o);
      } else {
        rest.push(o);
      }
    }
    this.noteDropped(rest);
    if (!replaced && rest.length === items.length) return;
    this.set({ observationCount: this.observations.length });
    this.dirty = true;
    this.schedule();
  }

  private learn(o: Observation): void {
    if (o.kind === 'request') this.secrets.addRequest(o);
  }

  private append(o: Observation): void {
    this.learn(o);
    const key = keyOf(o);
    if (key !== null) this.index.set(key, this.observations.length);
    this.observations.push(o);
  }

  private noteDropped(rest: readonly Observation[]): void {
    if (rest.length === 0) return;
    let dropped = this.state.dropped;
    let first = dropped?.firstAt ?? Infinity;
    let last = dropped?.lastAt ?? -Infinity;
    for (const o of rest) {
      first = Math.min(first, o.startedAt);
      last = Math.max(last, o.startedAt);
    }
    dropped = { count: (dropped?.count ?? 0) + rest.length, firstAt: first, lastAt: last };
    this.set({ dropped });
  }

  /** How many observations the background had to drop (from its snapshot); 0 hides the note. */
  setBackgroundDropped(count: number): void {
    const n = Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
    if (n !== this.state.backgroundDropped) this.set({ backgroundDropped: n });
  }

  /** Whether the browser withholds the site's requests, and how to ask for them; null hides the banner. */
  setAccess(access: AccessState | null): void {
    if (access !== this.state.access) this.set({ access });
  }

  /** Whether the hook runs on the inspected site; null hides the note (no site, e.g. about:blank). */
  setSite(site: SiteState | null): void {
    if (site !== this.state.site) this.set({ site });
  }

  /** A page navigated. With preserve log the capture is kept and the navigation marked; without, it starts over. */
  navigated(url: string, at: number = this.now()): void {
    if (!this.state.preserveLog) {
      this.observations = [];
      this.index.clear();
      this.set({ observationCount: 0, dropped: null, backgroundDropped: 0, navigations: [{ url, at }], imports: [] });
      this.dirty = true;
      this.schedule();
      return;
    }
    const navigations = [...this.state.navigations, { url, at }];
    if (navigations.length > this.markerCap) navigations.splice(0, navigations.length - this.markerCap);
    this.set({ navigations });
  }

  setPreserveLog(on: boolean): void {
    if (on !== this.state.preserveLog) this.set({ preserveLog: on });
  }

  /** Forget everything captured or imported; live sources keep capturing from now. */
  clear(): void {
    this.observations = [];
    this.index.clear();
    this.secrets = new KnownSecrets();
    const at = this.now();
    this.set({
      observationCount: 0,
      dropped: null,
      backgroundDropped: 0,
      navigations: [],
      imports: [],
      sources: this.state.sources.map((s) => ({ ...s, since: at })),
    });
    this.dirty = true;
    this.flush();
  }

  /** A live source started (or restarted) capturing. */
  capturing(source: SourceName, since: number = this.now(), detail: string | null = null): void {
    const sources = this.state.sources.filter((s) => s.source !== source);
    sources.push({ source, since, detail });
    this.set({ sources });
  }

  stopped(source: SourceName): void {
    this.set({ sources: this.state.sources.filter((s) => s.source !== source) });
  }

  noteImport(note: ImportNote): void {
    this.set({ imports: [...this.state.imports, note].slice(-20) });
  }

  /** Run the analysis now if anything changed (after an import, in tests). */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const started = performanceNow();
    // One observation the analysis cannot handle must not take the panel down: say so, keep the last result.
    let analysis: Analysis;
    try {
      analysis = this.analyzeFn(this.observations);
    } catch (err) {
      this.lastRunAt = performanceNow();
      const detail = err instanceof Error ? err.message : String(err);
      this.set({ analysisError: `the analysis of the latest update failed (${detail.slice(0, 200)}): showing the previous result`, analyzeMs: this.lastRunAt - started });
      return;
    }
    // The session tokens are in the connection responses' bytes, not in a request.
    for (const c of analysis.connections) for (const a of c.attempts) if (a.response?.token) this.secrets.add(a.response.token);
    const analyzeMs = performanceNow() - started;
    this.lastRunAt = performanceNow();
    this.set({ analysis, analyzeMs, analysisError: null });
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    // A slow analysis (large capture) must not run back to back: wait at least twice its cost.
    const spacing = Math.max(this.throttleMs, this.state.analyzeMs * 2);
    const since = performanceNow() - this.lastRunAt;
    const delay = Math.max(this.throttleMs > 0 ? 16 : 0, spacing - since);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, Math.min(delay, spacing));
  }

  private set(patch: Partial<PanelState>): void {
    this.state = { ...this.state, ...patch, revision: this.state.revision + 1 };
    for (const l of [...this.listeners]) l(this.state);
  }
}

function keyOf(o: Observation): string | null {
  if (o.kind === 'page') return `${o.source}:page:${o.url}:${o.startedAt}`;
  return o.sourceId === undefined ? null : `${o.source}:${o.sourceId}`;
}

function performanceNow(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
