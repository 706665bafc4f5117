// The contract between the MAIN-world hook and the ISOLATED-world relay of one frame.
//
// Hand-over: the hook owns a MessageChannel and offers port2 in a cancelable MessageEvent named
// PORT_EVENT dispatched synchronously on window; the relay takes it by calling preventDefault().
// Whichever script runs first, the hand-over finishes before any page script runs (both are
// document_start content scripts): a hook that runs first waits for the relay's READY_EVENT and
// offers again. After that neither side listens on window, so the page has nothing to forge into.
// Every event then travels over the private port, never window.postMessage.

export const PORT_EVENT = 'dci:hook-port';
export const READY_EVENT = 'dci:relay-ready';

/** Most body bytes kept of a first WebSocket message or an XHR handshake response. */
export { MAX_BODY_LENGTH as MAX_BODY_BYTES } from '../sources/hook/event.ts';
/** Events the hook queues while no relay has taken the port (a page without the relay). */
export const MAX_UNCLAIMED_EVENTS = 256;

/**
 * What the hook posts, one object per event, with short keys to keep the hook small.
 * The relay treats every field as untrusted and converts it with `fromWire` (src/sources/hook/wire.ts).
 * Bodies and texts are cut one unit past the limit, so the relay can tell they were cut.
 *   k  kind:  'ws' constructed (seen at its first watched setter) · 'wt' constructor threw (no longer
 *             sent: the hook does not wrap the constructor) · 'wo' open · 'wm' first message · 'we' error ·
 *             'wc' close · 'xs' XHR sent · 'xe' XHR ended · 'cv' client version
 *   i  id of the socket / XHR, unique in the document · t  Date.now()
 */
export type WireEvent =
  | { k: 'ws'; i: number; t: number; u: string }
  | { k: 'wt'; i: number; t: number; u: string; e: string }
  | { k: 'wo' | 'we'; i: number; t: number }
  | { k: 'wm'; i: number; t: number; d: string | ArrayBuffer | Blob }
  | { k: 'wc'; i: number; t: number; c: number; r: string; w: boolean }
  /** m: method, u: URL as passed to open(), h: "name:value\n" lines as passed to setRequestHeader. */
  | { k: 'xs'; i: number; t: number; m: string; u: string; h: string }
  /** o: load/error/abort/timeout, s: status, h: getAllResponseHeaders(), b: responseText (handshake only). */
  | { k: 'xe'; i: number; t: number; o: string; s: number; h: string; b?: string }
  | { k: 'cv'; t: number; v: string };
