// The hook's messages per tab and document, in storage.session. The hook reports each socket as a
// series of events (construct, open, first frame, close), and observationsFromHook needs the whole
// series of a document to build one observation; a stopped worker must not lose the start of it.
// Bounded: the oldest documents go first, and a document keeps at most `maxMessages` messages.
import type { HookMessage } from '../sources/hook/event.ts';
import type { SessionArea } from './tab-store.ts';

export interface HookLogTab {
  /** Messages per document id, oldest document first. */
  documents: Record<string, HookMessage[]>;
  /** The top frame's current document, to notice navigations. */
  top: string | null;
  preserve: boolean;
}

const KEY = (tabId: number) => `hook:${tabId}`;
const MAX_DOCUMENTS = 20;

export class HookLog {
  constructor(private readonly area: SessionArea, private readonly maxMessages = 2000) {}

  async load(tabId: number): Promise<HookLogTab> {
    const raw = (await this.area.get([KEY(tabId)]))[KEY(tabId)] as Partial<HookLogTab> | undefined;
    return {
      documents: raw?.documents && typeof raw.documents === 'object' ? raw.documents : {},
      top: typeof raw?.top === 'string' ? raw.top : null,
      preserve: raw?.preserve === true,
    };
  }

  async save(tabId: number, tab: HookLogTab): Promise<void> {
    const ids = Object.keys(tab.documents);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_DOCUMENTS))) delete tab.documents[id];
    await this.area.set({ [KEY(tabId)]: tab });
  }

  /** Adds one message; returns its document's messages (false when the document is full). */
  append(tab: HookLogTab, message: HookMessage): HookMessage[] | false {
    const list = (tab.documents[message.document] ??= []);
    if (list.length >= this.maxMessages) return false;
    list.push(message);
    return list;
  }

  async forget(tabId: number): Promise<void> {
    await this.area.remove([KEY(tabId)]);
  }
}
