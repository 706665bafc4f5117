// ISOLATED-world content script (document_start, all frames): takes the hook's MessagePort (see
// channel.ts), checks every event the hook posts, labels it with the frame and forwards it to the
// background. The events came from the page's world: they are converted and validated as data,
// never executed, rendered or used as URLs here.
import { HOOK_MESSAGE_TYPE, HOOK_MESSAGE_VERSION, MAX_BODY_LENGTH, type HookMessage } from '../sources/hook/event.ts';
import { fromWire } from '../sources/hook/wire.ts';
import { PORT_EVENT, READY_EVENT } from './channel.ts';

/** Hands one validated message to the background (which validates it again). */
export function forward(message: HookMessage): void {
  try {
    chrome.runtime.sendMessage(message).catch(() => {
      // no background listening (yet): the event is lost, the page is unaffected
    });
  } catch {
    // the extension was reloaded under this page: the context is gone
  }
}

// crypto.randomUUID exists only in secure contexts; getRandomValues works on http:// pages too.
function randomLabel(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const documentLabel = randomLabel();
let port: MessagePort | null = null;
// Blob messages are read asynchronously; the chain keeps events in the order the hook sent them.
let queue: Promise<void> = Promise.resolve();

// Tag checks, not instanceof: in Firefox the message's objects may belong to the page's compartment.
// A view over such a buffer belongs there too, and its subarray() is denied its `constructor`: the
// bytes are cloned into this world first.
async function readBytes(value: unknown): Promise<unknown> {
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object ArrayBuffer]') return new Uint8Array(structuredClone(value as ArrayBuffer));
  if (tag !== '[object Blob]') return value;
  return new Uint8Array(structuredClone(await (value as Blob).slice(0, MAX_BODY_LENGTH + 1).arrayBuffer()));
}

async function relay(raw: unknown): Promise<void> {
  let wire = raw;
  if (typeof raw === 'object' && raw !== null && (raw as { k?: unknown }).k === 'wm') {
    wire = { ...(raw as object), d: await readBytes((raw as { d?: unknown }).d) };
  }
  const checked = fromWire(wire);
  if (!checked.ok) return; // malformed: dropped here, and the background checks again anyway
  forward({ type: HOOK_MESSAGE_TYPE, version: HOOK_MESSAGE_VERSION, frameUrl: location.href, document: documentLabel, event: checked.value });
}

function onPort(event: Event): void {
  if (port || !(event instanceof MessageEvent)) return;
  const offered = event.ports[0];
  if (!offered) return;
  port = offered;
  event.preventDefault(); // tells the hook the port is taken
  event.stopImmediatePropagation();
  removeEventListener(PORT_EVENT, onPort, true);
  port.onmessage = (e: MessageEvent) => {
    queue = queue.then(() => relay(e.data)).catch(() => undefined);
  };
}

addEventListener(PORT_EVENT, onPort, true);
// The hook ran first: ask it to offer its port again, now that someone is listening.
if (!port) dispatchEvent(new Event(READY_EVENT));
