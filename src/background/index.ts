// The background worker: keeps the hook registered on the sites where Diffusion was used (see
// sites.ts), collects the hook's events of every tab (cheap: the hook only reports Diffusion
// traffic, and it is how traffic from before DevTools opened is kept), listens to
// webRequest (Firefox only: see scripts/firefox-manifest.ts) only for tabs whose Diffusion panel is
// open, keeps everything in storage.session (the worker is stopped when idle) and forwards new
// observations to the tab's open panels.
import type { Observation } from '../core/model.ts';
import { toWire, type WireObservation } from '../core/serialize.ts';
import { validateHookMessage } from '../sources/hook/event.ts';
import { observationsFromHook } from '../sources/hook/observations.ts';
import { WebRequestObservations, type WebRequestDetails, type WebRequestEventName } from '../sources/webrequest/index.ts';
import { serveAccess } from './access.ts';
import { HookLog } from './hook-log.ts';
import { isDiffusionRelevant } from './relevant.ts';
import { readSites, siteOf, SITES_KEY, syncRegistration, withSite } from './sites.ts';
import { TabStore } from './tab-store.ts';

serveAccess();

// ---- the sites the hook runs on: storage.local holds the list, the registration follows it
let sitesQueue: Promise<unknown> = Promise.resolve();
function sitesJob<T>(job: () => Promise<T>): Promise<T | undefined> {
  const next = sitesQueue.then(job).catch((e: unknown) => {
    console.error('dci background:', e);
    return undefined;
  });
  sitesQueue = next;
  return next;
}
async function loadSites(): Promise<string[]> {
  return readSites((await chrome.storage.local.get(SITES_KEY))[SITES_KEY]);
}
const resync = () => sitesJob(async () => syncRegistration(chrome.scripting, await loadSites()));
// Every start: the list is what counts (an update, or a registration the browser lost). The
// listeners make the browser start the worker (event page) with the browser and after an update.
void resync();
chrome.runtime.onStartup.addListener(() => void resync());
chrome.runtime.onInstalled.addListener(() => void resync());
chrome.storage.onChanged.addListener((changes, areaName) => {
  if (areaName === 'local' && SITES_KEY in changes) void resync();
});

/** Remembers or forgets a site; resolves once the registration follows. */
function setSite(site: string, known: boolean): Promise<void | undefined> {
  return sitesJob(async () => {
    const sites = await loadSites();
    const next = known ? withSite(sites, site) : sites.filter((s) => s !== site);
    await chrome.storage.local.set({ [SITES_KEY]: next });
    await syncRegistration(chrome.scripting, next);
  });
}

/** The site of the tab's page now (or of `url`, the page DevTools saw it navigate to). */
async function tabSite(tabId: number, url: unknown): Promise<string | null> {
  if (typeof url === 'string') return siteOf(url);
  try {
    return siteOf((await chrome.tabs.get(tabId)).url);
  } catch {
    return null;
  }
}

const area = chrome.storage.session;
const store = new TabStore(area, { flushMs: 20 });
const hookLog = new HookLog(area);

// One queue: storage reads and writes of a tab must not interleave.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(job: () => Promise<T>): Promise<T | undefined> {
  const next = queue.then(job).catch((e: unknown) => {
    console.error('dci background:', e);
    return undefined;
  });
  queue = next;
  return next;
}

interface Watched {
  ports: Set<chrome.runtime.Port>;
  stop: () => void;
}
const watched = new Map<number, Watched>();

function forward(tabId: number, observations: WireObservation[]): void {
  if (observations.length === 0) return;
  for (const port of watched.get(tabId)?.ports ?? []) {
    try {
      port.postMessage({ type: 'observations', observations });
    } catch {
      // the panel went away; onDisconnect tidies up
    }
  }
}

function postNavigation(tabId: number, url: string, at: number): void {
  for (const port of watched.get(tabId)?.ports ?? []) {
    try {
      port.postMessage({ type: 'navigated', url, at });
    } catch { /* see forward */ }
  }
}

chrome.runtime.onMessage.addListener((raw: unknown, sender) => {
  const tabId = sender.tab?.id;
  // Only our own content scripts can reach this listener; the message is still page data.
  if (tabId === undefined || tabId < 0 || sender.id !== chrome.runtime.id) return;
  const checked = validateHookMessage(raw);
  if (!checked.ok) return;
  const message = checked.value;
  void serial(async () => {
    const log = await hookLog.load(tabId);
    if (sender.frameId === 0 && log.top !== message.document) {
      if (log.top !== null) {
        await store.navigate(tabId, message.frameUrl, message.event.at, log.preserve);
        if (!log.preserve) log.documents = {};
        postNavigation(tabId, message.frameUrl, message.event.at);
      }
      log.top = message.document;
    }
    const messages = hookLog.append(log, message);
    await hookLog.save(tabId, log);
    if (!messages) return;
    const { observations } = observationsFromHook(messages);
    const e = message.event;
    const id = e.kind === 'client-version' ? null : `${message.document}:${e.id}`;
    const changed = observations.filter((o) => o.kind === 'page' ? id === null && o.startedAt === e.at : o.sourceId === id);
    const wire = await store.upsert(tabId, changed.map(toWire));
    forward(tabId, wire);
  });
  return false;
});

const FILTER_TYPES: chrome.webRequest.ResourceType[] = ['websocket' as chrome.webRequest.ResourceType, 'xmlhttprequest' as chrome.webRequest.ResourceType];

interface HeaderEvent {
  addListener(callback: (details: never) => void, filter: chrome.webRequest.RequestFilter, extraInfoSpec?: string[]): void;
}

/**
 * Chrome hides Cookie, Origin and other headers unless asked for 'extraHeaders'; Firefox shows them
 * anyway and rejects the value as unknown. Trying is the feature test.
 */
function addWithHeaders(event: HeaderEvent, listener: (details: object) => undefined, filter: chrome.webRequest.RequestFilter, headers: string): void {
  try {
    event.addListener(listener, filter, [headers, 'extraHeaders']);
  } catch {
    event.addListener(listener, filter, [headers]);
  }
}

/** webRequest listeners for one tab: four, with the header options the observations need. */
function watchRequests(tabId: number): () => void {
  if (!chrome.webRequest) return () => undefined; // Chrome: the panel reads DevTools' network log instead
  const requests = new WebRequestObservations();
  const relevant = new Set<string>();
  const filter: chrome.webRequest.RequestFilter = { urls: ['<all_urls>'], types: FILTER_TYPES, tabId };
  const on = (event: WebRequestEventName) => (details: object): undefined => {
    const d = details as WebRequestDetails;
    const o = requests.apply(event, d);
    if (!o) return;
    // The hook reports WebSockets as GET: the same method lets core merge the two sources.
    if (o.transport === 'WEBSOCKET' && o.method === undefined) o.method = 'GET';
    if (!relevant.has(d.requestId) && !isDiffusionRelevant(o)) return;
    relevant.add(d.requestId);
    if (event === 'onCompleted' || event === 'onErrorOccurred') relevant.delete(d.requestId);
    const copy: Observation = { ...o };
    void serial(async () => forward(tabId, await store.upsert(tabId, [toWire(copy)])));
  };
  const sendHeaders = on('onSendHeaders');
  const headersReceived = on('onHeadersReceived');
  const completed = on('onCompleted');
  const failed = on('onErrorOccurred');
  addWithHeaders(chrome.webRequest.onSendHeaders, sendHeaders, filter, 'requestHeaders');
  addWithHeaders(chrome.webRequest.onHeadersReceived, headersReceived, filter, 'responseHeaders');
  chrome.webRequest.onCompleted.addListener(completed, filter);
  chrome.webRequest.onErrorOccurred.addListener(failed, filter);
  return () => {
    chrome.webRequest.onSendHeaders.removeListener(sendHeaders);
    chrome.webRequest.onHeadersReceived.removeListener(headersReceived);
    chrome.webRequest.onCompleted.removeListener(completed);
    chrome.webRequest.onErrorOccurred.removeListener(failed);
  };
}

interface PanelMessage { type?: unknown; tabId?: unknown; on?: unknown; url?: unknown }

/**
 * The panel's questions about the inspected site: "site" asks whether it is known; "remember-site"
 * (Diffusion traffic seen) and "capture-from-start" (the user's button, which reloads the page once
 * the hook is registered) add it; "forget-site" removes it. Each is answered with the site's state.
 */
async function answerSite(port: chrome.runtime.Port, tabId: number, m: PanelMessage): Promise<void> {
  const site = await tabSite(tabId, m.url);
  if (site !== null && (m.type === 'remember-site' || m.type === 'capture-from-start')) await setSite(site, true);
  else if (site !== null && m.type === 'forget-site') await setSite(site, false);
  const known = site !== null && (await loadSites()).includes(site);
  try {
    port.postMessage({ type: 'site', site, known, reload: m.type === 'capture-from-start' && known });
  } catch { /* the panel went away */ }
}
const SITE_MESSAGES = new Set(['site', 'remember-site', 'capture-from-start', 'forget-site']);

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'panel' || port.sender?.id !== chrome.runtime.id) return;
  let tabId: number | null = null;
  port.onMessage.addListener((raw: unknown) => {
    const m = (raw ?? {}) as PanelMessage;
    if (m.type === 'init' && typeof m.tabId === 'number' && tabId === null) {
      const id = m.tabId;
      tabId = id;
      let w = watched.get(id);
      if (!w) {
        w = { ports: new Set(), stop: watchRequests(id) };
        watched.set(id, w);
      }
      w.ports.add(port);
      void serial(async () => {
        if (chrome.webRequest) await store.markSource(id, 'webRequest', Date.now());
        const snapshot = await store.snapshot(id);
        port.postMessage({ type: 'snapshot', ...snapshot });
      });
    } else if (SITE_MESSAGES.has(m.type as string) && tabId !== null) {
      void answerSite(port, tabId, m);
    } else if (m.type === 'clear' && tabId !== null) {
      const id = tabId;
      void serial(async () => {
        await store.clear(id);
        const log = await hookLog.load(id);
        // keep the current documents' earlier events: later events of their sockets still need them
        await hookLog.save(id, log);
      });
    } else if (m.type === 'preserve' && tabId !== null && typeof m.on === 'boolean') {
      const id = tabId;
      const on = m.on;
      void serial(async () => {
        const log = await hookLog.load(id);
        log.preserve = on;
        await hookLog.save(id, log);
      });
    }
  });
  port.onDisconnect.addListener(() => {
    if (tabId === null) return;
    const w = watched.get(tabId);
    if (!w) return;
    w.ports.delete(port);
    if (w.ports.size === 0) {
      w.stop();
      watched.delete(tabId);
    }
  });
});

chrome.tabs.onRemoved.addListener((tabId) => {
  watched.get(tabId)?.stop();
  watched.delete(tabId);
  void serial(async () => {
    await store.forget(tabId);
    await hookLog.forget(tabId);
  });
});
