// webRequest events (Chrome and Firefox) into RequestObservations. The background feeds the events of
// one tab as they arrive; each request becomes one observation, updated until it completes or fails.
// Pure: the event details are plain objects, so this runs (and is tested) without a browser.
import type { Headers, RequestObservation } from '../../core/model.ts';
import { appendHeader, emptyRecord } from '../../core/records.ts';

export type WebRequestEventName = 'onBeforeRequest' | 'onSendHeaders' | 'onHeadersReceived' | 'onCompleted' | 'onErrorOccurred';

/** The fields of chrome.webRequest / browser.webRequest details we read. */
export interface WebRequestDetails {
  requestId: string;
  url: string;
  method?: string;
  type?: string;
  timeStamp: number;
  frameId?: number;
  tabId?: number;
  initiator?: string;
  documentUrl?: string;
  originUrl?: string;
  statusCode?: number;
  error?: string;
  requestHeaders?: { name: string; value?: string }[];
  responseHeaders?: { name: string; value?: string }[];
}

const TYPES = new Set(['websocket', 'xmlhttprequest']);

export class WebRequestObservations {
  private readonly open = new Map<string, RequestObservation>();

  /** Apply one event; returns the request's observation as it now stands (null for other request types). */
  apply(event: WebRequestEventName, d: WebRequestDetails): RequestObservation | null {
    if (d.type !== undefined && !TYPES.has(d.type)) return null;
    let o = this.open.get(d.requestId);
    if (!o) {
      o = {
        kind: 'request',
        source: 'webRequest',
        sourceId: d.requestId,
        transport: d.type === 'websocket' || /^wss?:/i.test(d.url) ? 'WEBSOCKET' : 'XHR',
        url: d.url,
        startedAt: d.timeStamp,
      };
      if (d.method) o.method = d.method;
      if (o.method?.toUpperCase() === 'OPTIONS') o.preflight = true;
      const page = d.documentUrl ?? d.originUrl ?? d.initiator;
      if (page) o.pageUrl = page;
      if (d.frameId !== undefined) o.frameId = String(d.frameId);
      this.open.set(d.requestId, o);
    }
    switch (event) {
      case 'onSendHeaders':
        if (d.requestHeaders) o.requestHeaders = headersOf(d.requestHeaders);
        break;
      case 'onHeadersReceived':
        if (d.statusCode !== undefined) o.status = d.statusCode;
        if (d.responseHeaders) o.responseHeaders = headersOf(d.responseHeaders);
        break;
      case 'onCompleted':
        if (d.statusCode !== undefined) o.status = d.statusCode;
        o.endedAt = d.timeStamp;
        this.open.delete(d.requestId);
        break;
      case 'onErrorOccurred':
        if (d.error) o.error = d.error;
        if (o.status === undefined) o.status = 0;
        o.endedAt = d.timeStamp;
        this.open.delete(d.requestId);
        break;
      case 'onBeforeRequest':
        break;
    }
    return o;
  }

  /** Requests still in flight (for a snapshot). */
  pending(): RequestObservation[] {
    return [...this.open.values()];
  }
}

function headersOf(list: { name: string; value?: string }[]): Headers {
  const out = emptyRecord<string>();
  for (const { name, value } of list) {
    if (typeof name !== 'string') continue;
    appendHeader(out, name.toLowerCase(), typeof value === 'string' ? value : '');
  }
  return out;
}
