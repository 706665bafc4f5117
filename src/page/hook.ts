// MAIN-world content script (document_start, all frames): watches the page's Diffusion WebSocket and
// XHR traffic and hands what it sees to the relay over a private MessagePort (see channel.ts).
//
// It must be invisible to the page:
// - Both constructors stay native. On WebSocket.prototype only the setters of binaryType, onopen,
//   onmessage, onerror and onclose become Proxies (apply trap) of the native setters, inside the
//   native accessor descriptors; on XMLHttpRequest.prototype, open and setRequestHeader. So no hook
//   frame is on the stack when a page creates a socket or sends a request: DevTools names the page's
//   code as the initiator and links the console's messages there, in every browser.
// - V8 prints any Proxy as "function () { [native code] }", so Function.prototype.toString becomes
//   a Proxy too, answering the native text for the few functions replaced here (itself included).
// - Every built-in used after start-up is captured now and called through Reflect.apply, so a page
//   that patches prototypes later neither sees nor breaks the hook (the three getters only a
//   Diffusion connection needs are looked up when used, and used only if they are the browser's own). Proxy handlers have a null
//   prototype, so a page defining Object.prototype.get cannot become a trap.
// - Non-Diffusion sockets and XHRs get no listeners: one URL test at construction, one header-name
//   comparison per setRequestHeader. Diffusion sockets stop listening for messages after the first.
// - The hook's own listeners never throw: an exception there would reach the page's onerror.
import { MAX_BODY_BYTES, MAX_UNCLAIMED_EVENTS, PORT_EVENT, READY_EVENT, type WireEvent } from './channel.ts';

(() => {
  const win = window;
  const { apply } = Reflect;
  const { getOwnPropertyDescriptor: describe, defineProperty } = Object;
  const getter = (proto: object, name: string): Function => describe(proto, name)!.get!;
  const call = (fn: Function, self: unknown, args: unknown[] = []): any => apply(fn, self, args);

  const NativeWebSocket = win.WebSocket;
  const wsProto = NativeWebSocket.prototype;
  const xhrProto = win.XMLHttpRequest.prototype;
  const nativeToString = Function.prototype.toString;
  const nativeOpen = xhrProto.open;
  const nativeSetRequestHeader = xhrProto.setRequestHeader;
  const getAllResponseHeaders = xhrProto.getAllResponseHeaders;
  const wsUrl = getter(wsProto, 'url');
  const xhrStatus = getter(xhrProto, 'status');
  const xhrResponseType = getter(xhrProto, 'responseType');
  const xhrResponseText = getter(xhrProto, 'responseText');
  const eventType = getter(Event.prototype, 'type');
  const messageData = getter(MessageEvent.prototype, 'data');
  const { addEventListener, removeEventListener, dispatchEvent } = EventTarget.prototype;
  const postMessage = MessagePort.prototype.postMessage;
  const sliceBuffer = ArrayBuffer.prototype.slice;
  const sliceString = String.prototype.slice;
  const regexExec = RegExp.prototype.exec;
  const { get: mapGet, set: mapSet } = WeakMap.prototype;
  const now = Date.now;
  const NativeArrayBuffer = ArrayBuffer;
  const NativeMessageEvent = MessageEvent;
  const NativeProxy = Proxy;

  // ---- channel to the relay
  const channel = new MessageChannel();
  const port = channel.port1;
  let claimed = false;
  let unclaimed = 0;
  const send = (event: WireEvent): void => {
    if (!claimed && ++unclaimed > MAX_UNCLAIMED_EVENTS) return;
    try {
      call(postMessage, port, [event]);
    } catch {
      // a value that cannot be cloned: drop the event, never disturb the page
    }
  };
  // dispatchEvent returns false when a listener (the relay) called preventDefault: the port is taken.
  const offer = (): boolean =>
    (claimed = !call(dispatchEvent, win, [new NativeMessageEvent(PORT_EVENT, { cancelable: true, ports: [channel.port2] })]));
  if (!offer()) {
    const onReady = (): void => {
      if (offer()) call(removeEventListener, win, [READY_EVENT, onReady, true]);
    };
    call(addEventListener, win, [READY_EVENT, onReady, true]);
  }

  // ---- helpers
  let lastId = 0;
  let versionSeen = false;
  const diffusionUrl = /[?&]ty=WB(?:&|$)/;
  const hasVersion = /[?&]v=/;
  const isDiffusionSocketUrl = (url: string): boolean => call(regexExec, diffusionUrl, [url]) !== null && call(regexExec, hasVersion, [url]) !== null;
  // CloseEvent and URL are read only once a Diffusion connection exists, so they are looked up
  // then: in a fresh page, touching one builds its whole interface, which took a quarter of the
  // install time. Only the browser's own getter is used (its native text names it), so a page that
  // replaced one meanwhile gets no call; the read then throws and the caller's catch leaves the
  // field out. V8 prints "function get code() { [native code] }", SpiderMonkey
  // "function code() {\n    [native code]\n}".
  const isNative = (f: unknown, v8Name: string, name: string): boolean => {
    const text: string = call(nativeToString, f);
    return text === 'function ' + v8Name + '() { [native code] }' || text === 'function ' + name + '() {\n    [native code]\n}';
  };
  const lateGetter = (ctor: string, name: string): Function | undefined => {
    const c = describe(win, ctor)?.value as unknown;
    if (typeof c !== 'function' || !isNative(c, ctor, ctor)) return;
    const g = describe(c.prototype as object, name)?.get;
    return g && isNative(g, 'get ' + name, name) ? g : undefined;
  };
  const read = (ctor: string, name: string, self: unknown): any => call(lateGetter(ctor, name)!, self);
  const replace = (target: object, key: string, value: unknown): void => {
    const d = describe(target, key)!;
    d.value = value;
    defineProperty(target, key, d);
  };
  // One unit more than the relay keeps, so the relay can tell that it was cut.
  const capText = (s: string): string => (s.length > MAX_BODY_BYTES ? call(sliceString, s, [0, MAX_BODY_BYTES + 1]) : s);
  // Reads window.diffusion.version through descriptors only, so no page getter runs.
  const readClientVersion = (): void => {
    if (versionSeen) return;
    const lib = describe(win, 'diffusion')?.value as unknown;
    if ((typeof lib !== 'object' && typeof lib !== 'function') || lib === null) return;
    const v = describe(lib, 'version')?.value as unknown;
    if (typeof v === 'string') {
      versionSeen = true;
      send({ k: 'cv', t: now(), v: capText(v) });
    }
  };
  // ---- WebSocket
  const watchSocket = (ws: WebSocket, url: string): void => {
    const id = ++lastId;
    send({ k: 'ws', i: id, t: now(), u: url });
    readClientVersion();
    const onEvent = (e: Event): void => {
      try {
        const t = now();
        const type: string = call(eventType, e);
        if (type === 'message') {
          call(removeEventListener, ws, ['message', onEvent]);
          const data: unknown = call(messageData, e);
          // Copies, never transfers: the page's ArrayBuffer stays attached.
          const d =
            typeof data === 'string' ? capText(data) : data instanceof NativeArrayBuffer ? (call(sliceBuffer, data, [0, MAX_BODY_BYTES + 1]) as ArrayBuffer) : (data as Blob);
          send({ k: 'wm', i: id, t, d });
        } else if (type === 'close') {
          send({ k: 'wc', i: id, t, c: read('CloseEvent', 'code', e), r: read('CloseEvent', 'reason', e), w: read('CloseEvent', 'wasClean', e) });
        } else {
          send({ k: type === 'open' ? 'wo' : 'we', i: id, t });
        }
      } catch {
        // never let the page see an error of the hook
      }
    };
    const types = ['open', 'message', 'error', 'close'];
    for (let n = 0; n < 4; n++) call(addEventListener, ws, [types[n], onEvent]);
  };

  // The hook never wraps the constructor: whatever function calls the native WebSocket constructor is
  // the top frame of the socket's stack, which DevTools names as its initiator and links the console's
  // "connection failed" message to. It learns of a socket from the setters a Diffusion client calls
  // right after constructing it (binaryType, then onmessage, onclose, onerror), in the same task:
  // events are dispatched later, so its listeners miss nothing.
  const seen = new WeakMap<WebSocket, boolean>();
  const setterProxy = (name: string): [Function, Function] => {
    const d = describe(wsProto, name)!;
    const nativeSet: Function = d.set!;
    const setProxy = new NativeProxy(nativeSet, {
      __proto__: null,
      apply(target: Function, ws: WebSocket, args: unknown[]): unknown {
        const result = apply(target, ws, args);
        try {
          if (!call(mapGet, seen, [ws])) {
            call(mapSet, seen, [ws, true]);
            const url: string = call(wsUrl, ws);
            if (isDiffusionSocketUrl(url)) watchSocket(ws, url);
          }
        } catch {
          // the socket works whatever happened here
        }
        return result;
      },
    } as ProxyHandler<Function>);
    d.set = setProxy as (v: unknown) => void;
    defineProperty(wsProto, name, d);
    return [setProxy, nativeSet];
  };

  // ---- XMLHttpRequest
  interface XhrRecord {
    id: number;
    m: string;
    h: string;
    sent: boolean;
  }
  const openArgs = new WeakMap<XMLHttpRequest, unknown[]>();
  const records = new WeakMap<XMLHttpRequest, XhrRecord | undefined>();
  const primitive = (v: unknown): string => (typeof v === 'object' || typeof v === 'function' ? '' : '' + (v as string));

  const reportSent = (xhr: XMLHttpRequest, rec: XhrRecord, t: number): void => {
    rec.sent = true;
    const args: unknown[] = call(mapGet, openArgs, [xhr]) ?? [];
    const method = args[0];
    const url = args[1];
    let href = '';
    try {
      href = typeof url === 'string' ? capText(url) : read('URL', 'href', url);
    } catch {
      // neither a string nor a URL
    }
    send({
      k: 'xs',
      i: rec.id,
      t,
      m: typeof method === 'string' ? method : '',
      u: href,
      h: rec.h,
    });
    readClientVersion();
  };

  const watchXhr = (xhr: XMLHttpRequest): void => {
    const onEvent = (e: Event): void => {
      try {
        const rec: XhrRecord | undefined = call(mapGet, records, [xhr]);
        if (!rec) return; // reopened without the `m` header: not Diffusion any more
        const t = now();
        const type: string = call(eventType, e);
        if (type === 'loadstart') return reportSent(xhr, rec, t);
        if (!rec.sent) reportSent(xhr, rec, t); // synchronous XHRs fire no loadstart
        const end: Extract<WireEvent, { k: 'xe' }> = { k: 'xe', i: rec.id, t, o: type, s: call(xhrStatus, xhr), h: call(getAllResponseHeaders, xhr) };
        // The handshake response is raw bytes read as x-user-defined text; responseText is
        // idempotent for text response types, so reading it changes nothing the page sees.
        const responseType: string = call(xhrResponseType, xhr);
        if (type === 'load' && rec.m === '0' && (responseType === '' || responseType === 'text')) end.b = capText(call(xhrResponseText, xhr));
        send(end);
      } catch {
        // never let the page see an error of the hook
      }
    };
    const types = ['loadstart', 'load', 'error', 'abort', 'timeout'];
    for (let n = 0; n < 5; n++) call(addEventListener, xhr, [types[n], onEvent]);
  };

  const openProxy = new NativeProxy(nativeOpen, {
    __proto__: null,
    apply(target: Function, xhr: XMLHttpRequest, args: unknown[]): unknown {
      const result = apply(target, xhr, args);
      call(mapSet, openArgs, [xhr, args]);
      if (call(mapGet, records, [xhr])) call(mapSet, records, [xhr, undefined]);
      return result;
    },
  } as ProxyHandler<Function>);

  const watched = new WeakMap<XMLHttpRequest, boolean>();
  const setRequestHeaderProxy = new NativeProxy(nativeSetRequestHeader, {
    __proto__: null,
    apply(target: Function, xhr: XMLHttpRequest, args: unknown[]): unknown {
      const result = apply(target, xhr, args);
      const name = args[0];
      try {
        let rec: XhrRecord | undefined = call(mapGet, records, [xhr]);
        if (!rec && (name === 'm' || name === 'M')) {
          rec = { id: ++lastId, m: primitive(args[1]), h: '', sent: false };
          call(mapSet, records, [xhr, rec]);
          if (!call(mapGet, watched, [xhr])) {
            call(mapSet, watched, [xhr, true]);
            watchXhr(xhr);
          }
        }
        if (rec) rec.h += primitive(name) + ':' + primitive(args[1]) + '\n';
      } catch {
        // the header is set whatever happened here
      }
      return result;
    },
  } as ProxyHandler<Function>);

  // ---- Function.prototype.toString answers the native text for every replaced function
  const nativeText = new WeakMap<object, string>();
  const toStringProxy = new NativeProxy(nativeToString, {
    __proto__: null,
    apply(target: Function, self: unknown, args: unknown[]): unknown {
      const text: string | undefined = call(mapGet, nativeText, [self]);
      return text !== undefined ? text : apply(target, self, args);
    },
  } as ProxyHandler<Function>);
  const masks: [object, Function][] = [
    [toStringProxy, nativeToString],
    [openProxy, nativeOpen],
    [setRequestHeaderProxy, nativeSetRequestHeader],
  ];
  const setters = ['binaryType', 'onopen', 'onmessage', 'onerror', 'onclose'];
  for (let n = 0; n < 5; n++) masks.push(setterProxy(setters[n]!));
  for (let n = 0; n < masks.length; n++) call(mapSet, nativeText, [masks[n]![0], call(nativeToString, masks[n]![1])]);

  // Same descriptors (writable, enumerable, configurable) as the natives they replace.
  replace(Function.prototype, 'toString', toStringProxy);
  replace(xhrProto, 'open', openProxy);
  replace(xhrProto, 'setRequestHeader', setRequestHeaderProxy);
})();
