// The hook must be invisible: everything a page can observe about WebSocket (its constructor and the
// accessors whose setters the hook replaces), XMLHttpRequest and Function.prototype.toString is measured in a clean page and in a page with the hook (injected as
// an init script, before any page script), and the two must be equal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright';
import { bundle, closedPort, launchBrowser, startSite, type Site } from './harness.ts';

const NAME_HELPER = "Object.defineProperty(window, '__name', { value: (f) => f, configurable: true })";
let browser: Browser;
let site: Site;
let hook: string;
const contexts: BrowserContext[] = [];

before(async () => {
  hook = await bundle('hook');
  site = await startSite();
  site.pages.set('/blank', '<!doctype html><title>blank</title>');
  browser = await launchBrowser();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await site?.close();
});

/** Two pages on the same URL: one clean, one with the hook. */
async function pair(path = '/blank'): Promise<{ clean: Page; hooked: Page }> {
  const cleanContext = await browser.newContext();
  const hookedContext = await browser.newContext();
  contexts.push(cleanContext, hookedContext);
  // tsx compiles the page functions below with esbuild's keepNames, which calls a __name helper;
  // both pages get the same harmless one, before the hook.
  for (const c of [cleanContext, hookedContext]) await c.addInitScript({ content: NAME_HELPER });
  await hookedContext.addInitScript({ content: hook });
  const clean = await cleanContext.newPage();
  const hooked = await hookedContext.newPage();
  await clean.goto(site.origin + path);
  await hooked.goto(site.origin + path);
  return { clean, hooked };
}

async function same<T>(pages: { clean: Page; hooked: Page }, fn: (arg: string) => T | Promise<T>, arg: string): Promise<T> {
  const clean = await pages.clean.evaluate(fn, arg);
  const hooked = await pages.hooked.evaluate(fn, arg);
  assert.deepEqual(hooked, clean);
  return clean;
}

test('the hook is installed in the hooked page only (so the comparisons compare something)', async () => {
  const pages = await pair();
  // Only the debugger can tell a Proxy from its target.
  const setter = (name: string) => `Object.getOwnPropertyDescriptor(WebSocket.prototype, '${name}').set`;
  const expressions = [
    'WebSocket', 'XMLHttpRequest', 'WebSocket.prototype.constructor', `Object.getOwnPropertyDescriptor(WebSocket.prototype, 'binaryType').get`,
    'XMLHttpRequest.prototype.open', 'XMLHttpRequest.prototype.setRequestHeader', 'Function.prototype.toString',
    ...['binaryType', 'onopen', 'onmessage', 'onerror', 'onclose'].map(setter),
  ];
  const kinds = async (page: Page) => {
    const cdp = await page.context().newCDPSession(page);
    const out: string[] = [];
    for (const expression of expressions) out.push((await cdp.send('Runtime.evaluate', { expression })).result.subtype ?? 'plain');
    await cdp.detach();
    return out;
  };
  assert.deepEqual(await kinds(pages.clean), expressions.map(() => 'plain'));
  // The constructors and the getters stay the browser's own.
  assert.deepEqual(await kinds(pages.hooked), ['plain', 'plain', 'plain', 'plain', 'proxy', 'proxy', 'proxy', 'proxy', 'proxy', 'proxy', 'proxy', 'proxy']);
});

test('constructors: descriptors on window, name, length, toString, prototype chain, statics, own properties', async () => {
  const pages = await pair();
  const snapshot = await same(pages, () => {
    const fts = Function.prototype.toString;
    const shape = (d: PropertyDescriptor | undefined) => d && {
      writable: d.writable, enumerable: d.enumerable, configurable: d.configurable,
      value: typeof d.value === 'function' ? `fn ${d.value.name}/${d.value.length} ${fts.call(d.value)}` : typeof d.value === 'object' ? typeof d.value : d.value,
      get: d.get ? `${d.get.name} ${fts.call(d.get)}` : undefined, set: d.set ? `${d.set.name} ${fts.call(d.set)}` : undefined,
    };
    const chain = (o: object | null): string[] => {
      const out: string[] = [];
      for (let p = o; p; p = Object.getPrototypeOf(p)) out.push(Object.prototype.hasOwnProperty.call(p, 'constructor') ? (p as { constructor: { name: string } }).constructor.name : '?');
      return out;
    };
    const all = (o: object) => Object.fromEntries(Reflect.ownKeys(o).map((k) => [String(k), shape(Object.getOwnPropertyDescriptor(o, k))]));
    const describeClass = (name: 'WebSocket' | 'XMLHttpRequest') => {
      const C = window[name] as unknown as { prototype: object; name: string; length: number };
      return {
        onWindow: shape(Object.getOwnPropertyDescriptor(window, name)),
        typeof: typeof C, name: C.name, length: C.length,
        toString: [fts.call(C), String(C), C.toString(), `${C}`],
        ctorChain: chain(C).length, ctorProto: Object.getPrototypeOf(C) === (name === 'WebSocket' ? EventTarget : XMLHttpRequestEventTarget),
        protoChain: chain(C.prototype),
        constructorIsSelf: (C.prototype as { constructor: unknown }).constructor === C,
        statics: all(C), prototype: all(C.prototype),
        objectTag: Object.prototype.toString.call(C),
        extensible: Object.isExtensible(C), frozen: Object.isFrozen(C),
      };
    };
    return {
      WebSocket: describeClass('WebSocket'),
      XMLHttpRequest: describeClass('XMLHttpRequest'),
      toString: {
        self: fts.call(fts), viaItself: fts.toString(), name: fts.name, length: fts.length,
        descriptor: shape(Object.getOwnPropertyDescriptor(Function.prototype, 'toString')),
        ofToStringOfToString: fts.call(fts.call), plain: fts.call(function named(a: number) { return a; }),
        arrow: fts.call((x: number) => x), bound: fts.call(fts.bind(null)), klass: fts.call(class K {}),
        proxy: fts.call(new Proxy(function p() {}, {})),
      },
      functionProto: all(Function.prototype),
    };
  }, '');
  assert.equal(snapshot.WebSocket.toString[0], 'function WebSocket() { [native code] }');
  assert.equal(snapshot.WebSocket.statics['CONNECTING']?.value, 0);
  assert.equal(snapshot.XMLHttpRequest.statics['DONE']?.value, 4);
  assert.match(String(snapshot.XMLHttpRequest.prototype['open']?.value), /^fn open\/2 function open\(\) \{ \[native code\] \}$/);
  assert.equal(snapshot.WebSocket.prototype['binaryType']?.set, 'set binaryType function set binaryType() { [native code] }');
  assert.equal(snapshot.WebSocket.prototype['onmessage']?.set, 'set onmessage function set onmessage() { [native code] }');
});

test('the replaced setters: name, length, toString, descriptor, what they set, calls without a socket or with new', async () => {
  const pages = await pair();
  await same(pages, () => {
    const fts = Function.prototype.toString;
    const out: Record<string, unknown> = {};
    for (const name of ['binaryType', 'onopen', 'onmessage', 'onerror', 'onclose']) {
      const d = Object.getOwnPropertyDescriptor(WebSocket.prototype, name)!;
      const set = d.set!;
      const caught = (f: () => unknown) => {
        try {
          return ['ok', f()];
        } catch (e) {
          return [(e as Error).constructor.name, (e as Error).name, (e as Error).message];
        }
      };
      out[name] = {
        keys: Object.keys(d), enumerable: d.enumerable, configurable: d.configurable, sameGetter: Object.getOwnPropertyDescriptor(WebSocket.prototype, name)!.get === d.get,
        sameSetter: Object.getOwnPropertyDescriptor(WebSocket.prototype, name)!.set === set,
        name: set.name, length: set.length, text: fts.call(set), string: String(set), typeof: typeof set, proto: Object.getPrototypeOf(set) === Function.prototype,
        ownKeys: Reflect.ownKeys(set).map(String), hasPrototype: 'prototype' in set, extensible: Object.isExtensible(set),
        illegal: caught(() => set.call({}, 'blob')), withNew: caught(() => new (set as unknown as new (v: unknown) => unknown)('x')),
        onPrototype: caught(() => { (WebSocket.prototype as unknown as Record<string, unknown>)[name] = null; }),
      };
    }
    const s = new WebSocket('ws://127.0.0.1:9/x?ty=WB&v=29');
    const handler = () => undefined;
    s.binaryType = 'arraybuffer';
    const afterValid = s.binaryType;
    s.binaryType = 'nonsense' as BinaryType;
    const afterInvalid = s.binaryType;
    s.onmessage = handler;
    s.onclose = 'not a function' as unknown as null;
    out['set'] = { afterValid, afterInvalid, handlerKept: s.onmessage === handler, nonFunction: s.onclose };
    s.close();
    return out;
  }, '');
});

test('no new globals, enumerable or not', async () => {
  const pages = await pair();
  await same(pages, () => ({ keys: Object.keys(window), names: Object.getOwnPropertyNames(window), symbols: Object.getOwnPropertySymbols(window).map(String) }), '');
});

test('instances: instanceof, prototype, constructor, own keys, statics on instances', async () => {
  const pages = await pair();
  await same(pages, (ws: string) => {
    const probe = (url: string) => {
      const s = new WebSocket(url);
      const r = {
        instanceOf: s instanceof WebSocket, eventTarget: s instanceof EventTarget, proto: Object.getPrototypeOf(s) === WebSocket.prototype,
        constructor: s.constructor === WebSocket, tag: Object.prototype.toString.call(s), keys: Reflect.ownKeys(s).map(String),
        readyState: s.readyState, OPEN: s.OPEN, url: s.url, binaryType: s.binaryType, protocol: s.protocol,
      };
      s.close();
      return r;
    };
    const x = new XMLHttpRequest();
    return {
      plain: probe(ws + '/silent'), diffusion: probe(ws + '/silent?ty=WB&v=29'),
      xhr: { instanceOf: x instanceof XMLHttpRequest, proto: Object.getPrototypeOf(x) === XMLHttpRequest.prototype, constructor: x.constructor === XMLHttpRequest, keys: Reflect.ownKeys(x).map(String) },
    };
  }, site.wsOrigin);
});

test('subclassing, new.target and Reflect.construct', async () => {
  const pages = await pair();
  await same(pages, (ws: string) => {
    class Sub extends WebSocket {
      seen: boolean;
      constructor(url: string) {
        super(url);
        this.seen = new.target === Sub;
      }
      extra(): string { return 'extra'; }
    }
    const s = new Sub(ws + '/silent?ty=WB&v=29');
    function Other() {}
    const r = Reflect.construct(WebSocket, [ws + '/silent?ty=WB&v=29'], Other) as WebSocket;
    const out = {
      sub: { instSub: s instanceof Sub, instWs: s instanceof WebSocket, seen: s.seen, extra: s.extra(), proto: Object.getPrototypeOf(s) === Sub.prototype, OPEN: Sub.OPEN, name: Sub.name, superName: Object.getPrototypeOf(Sub).name, ctor: s.constructor === Sub },
      reflect: { protoIsOther: Object.getPrototypeOf(r) === Other.prototype, instWs: r instanceof WebSocket, readyState: WebSocket.prototype.constructor === WebSocket },
      xhrSub: (() => { class X extends XMLHttpRequest {} const x = new X(); return [x instanceof X, x instanceof XMLHttpRequest, x.readyState]; })(),
    };
    s.close();
    WebSocket.prototype.close.call(r);
    return out;
  }, site.wsOrigin);
});

test('exceptions: same class, name, message and code; calling without new', async () => {
  const pages = await pair();
  const errors = await same(pages, (ws: string) => {
    const caught = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (e) {
        const err = e as Error & { code?: number };
        return { ctor: err.constructor?.name, name: err.name, message: err.message, code: err.code, isDOMException: e instanceof DOMException, isTypeError: e instanceof TypeError, isError: e instanceof Error };
      }
    };
    const W = WebSocket as unknown as (...a: unknown[]) => unknown;
    const X = XMLHttpRequest as unknown as (...a: unknown[]) => unknown;
    const opened = () => { const x = new XMLHttpRequest(); x.open('POST', '/xhr'); return x; };
    return {
      badUrl: caught(() => new WebSocket('ws://[bad/diffusion?ty=WB&v=29')),
      relativeUrl: caught(() => new WebSocket('/silent?ty=WB&v=29').close()),
      badScheme: caught(() => new WebSocket('ftp://127.0.0.1/diffusion?ty=WB&v=29')),
      fragment: caught(() => new WebSocket(ws + '/diffusion?ty=WB&v=29#frag')),
      badPort: caught(() => new WebSocket('ws://127.0.0.1:25/diffusion?ty=WB&v=29')),
      badProtocol: caught(() => new WebSocket(ws + '/silent?ty=WB&v=29', 'a b')),
      duplicateProtocol: caught(() => new WebSocket(ws + '/silent?ty=WB&v=29', ['x', 'x'])),
      noArguments: caught(() => new (WebSocket as unknown as new () => WebSocket)()),
      withoutNew: caught(() => W(ws + '/silent?ty=WB&v=29')),
      withoutNewCall: caught(() => W.call(null, 'x')),
      xhrWithoutNew: caught(() => X()),
      xhrBadUrl: caught(() => new XMLHttpRequest().open('GET', 'http://[bad')),
      xhrBadMethod: caught(() => new XMLHttpRequest().open('BAD METHOD', '/xhr')),
      xhrForbiddenMethod: caught(() => new XMLHttpRequest().open('CONNECT', '/xhr')),
      xhrOpenTooFew: caught(() => (new XMLHttpRequest().open as unknown as (a: string) => void)('GET')),
      xhrHeaderBeforeOpen: caught(() => new XMLHttpRequest().setRequestHeader('m', '0')),
      xhrBadHeaderName: caught(() => opened().setRequestHeader('bad name', '0')),
      xhrBadHeaderValue: caught(() => opened().setRequestHeader('m', 'a\nb')),
      xhrHeaderAfterSend: caught(() => { const x = opened(); x.setRequestHeader('m', '0'); x.send(); x.setRequestHeader('ty', 'B'); }),
      openIllegal: caught(() => (XMLHttpRequest.prototype.open as (m: string, u: string) => void).call({}, 'GET', '/')),
      setHeaderIllegal: caught(() => XMLHttpRequest.prototype.setRequestHeader.call({} as XMLHttpRequest, 'm', '0')),
      openWithNew: caught(() => new (XMLHttpRequest.prototype.open as unknown as new () => unknown)()),
      toStringIllegal: caught(() => Function.prototype.toString.call({})),
      toStringWithNew: caught(() => new (Function.prototype.toString as unknown as new () => unknown)()),
      protoConstructorWithoutNew: caught(() => (WebSocket.prototype.constructor as unknown as (u: string) => void)('x')),
    };
  }, site.wsOrigin);
  assert.equal(errors.badUrl?.name, 'SyntaxError');
  assert.equal(errors.withoutNew?.isTypeError, true);
  assert.match(String(errors.withoutNew?.message), /new/);
  assert.equal(errors.xhrHeaderBeforeOpen?.name, 'InvalidStateError');
});

test('mixed content: the constructor throws the same SecurityError on an https page', async () => {
  const contexts2: BrowserContext[] = [];
  try {
    const results = [];
    for (const withHook of [false, true]) {
      const context = await browser.newContext();
      contexts2.push(context);
      await context.addInitScript({ content: NAME_HELPER });
      if (withHook) await context.addInitScript({ content: hook });
      // An https page without a TLS server: Playwright answers the navigation itself.
      await context.route('https://secure.test/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>secure</title>' }));
      const page = await context.newPage();
      await page.goto('https://secure.test/page');
      results.push(await page.evaluate(() => {
        try {
          new WebSocket('ws://insecure.test:8080/diffusion?ty=WB&v=29');
          return null;
        } catch (e) {
          const err = e as DOMException;
          return { secure: isSecureContext, ctor: err.constructor.name, name: err.name, message: err.message, code: err.code };
        }
      }));
    }
    assert.deepEqual(results[1], results[0]);
    assert.equal(results[0]?.name, 'SecurityError');
    assert.equal(results[0]?.secure, true);
  } finally {
    for (const c of contexts2) await c.close().catch(() => undefined);
  }
});

type Recorded = string[];

test('WebSocket event order: connect, messages, server close; refused; closed before open; blob', async () => {
  const pages = await pair();
  const refused = await closedPort();
  const record = (arg: string): Promise<Recorded[]> => {
    const [wsOrigin, refusedPort] = arg.split(' ');
    const one = (url: string, setup: (ws: WebSocket) => void = () => undefined): Promise<Recorded> => new Promise((resolve) => {
      const log: Recorded = [];
      const ws = new WebSocket(url);
      const summary = (e: Event) => {
        const d = (e as MessageEvent).data;
        return e.type === 'message' ? `${typeof d === 'string' ? 'text ' + d : d instanceof ArrayBuffer ? 'ab ' + new Uint8Array(d).join(',') : 'blob ' + (d as Blob).size}`
          : e.type === 'close' ? `${(e as CloseEvent).code} ${(e as CloseEvent).reason} ${(e as CloseEvent).wasClean}` : '';
      };
      const add = (type: string, tag: string) => ws.addEventListener(type, (e) => log.push(`${tag}:${type}:${ws.readyState}:${summary(e)}`));
      ws.onopen = (e) => log.push(`on:open:${ws.readyState}:${summary(e)}`);
      add('open', 'a1');
      ws.onmessage = (e) => log.push(`on:message:${ws.readyState}:${summary(e)}`);
      add('message', 'a1');
      add('message', 'a2');
      ws.onerror = (e) => log.push(`on:error:${ws.readyState}:${summary(e)}`);
      add('error', 'a1');
      ws.onclose = (e) => { log.push(`on:close:${ws.readyState}:${summary(e)}`); setTimeout(() => resolve(log), 20); };
      add('close', 'a1');
      // a listener that stops the others must stop them the same way with the hook
      ws.addEventListener('message', (e) => { if ((e as MessageEvent).data === 'two') e.stopImmediatePropagation(); });
      add('message', 'a3');
      setup(ws);
      setTimeout(() => resolve([...log, 'timeout']), 5000);
    });
    return Promise.all([
      one(`${wsOrigin}/script?ty=WB&v=29`, (ws) => { ws.binaryType = 'arraybuffer'; }),
      one(`${wsOrigin}/script`, (ws) => { ws.binaryType = 'arraybuffer'; }),
      one(`${wsOrigin}/script?ty=WB&v=29`),
      one(`ws://127.0.0.1:${refusedPort}/diffusion?ty=WB&v=29`),
      one(`${wsOrigin}/silent?ty=WB&v=29`, (ws) => ws.close(4000, 'early')),
      one(`${wsOrigin}/nothing-here?ty=WB&v=29`),
    ]);
  };
  const logs = await same(pages, record, `${site.wsOrigin} ${refused}`);
  assert.deepEqual(logs[0]!.slice(0, 2), ['on:open:1:', 'a1:open:1:']);
  assert.ok(logs[0]!.includes('on:message:1:ab 1,2,3') && logs[0]!.includes('a3:message:1:ab 4'));
  assert.ok(logs[3]!.includes('on:error:3:') && logs[3]!.some((l) => l.startsWith('on:close:3:1006')));
  assert.ok(!logs.some((l) => l.includes('timeout')));
});

test('XHR event order and response for a Diffusion XHR: load, error, abort, timeout', async () => {
  const pages = await pair();
  const refused = await closedPort();
  const record = (arg: string) => {
    const [origin, refusedPort] = arg.split(' ');
    const one = (url: string, setup: (x: XMLHttpRequest) => void = () => undefined): Promise<string[]> => new Promise((resolve) => {
      const log: string[] = [];
      const x = new XMLHttpRequest();
      x.onreadystatechange = () => log.push(`rsc:${x.readyState}:${x.status}`);
      for (const type of ['loadstart', 'load', 'error', 'abort', 'timeout', 'loadend']) {
        x.addEventListener(type, () => log.push(`${type}:${x.readyState}:${x.status}`));
      }
      x.onload = () => {
        const text = x.responseText;
        log.push(`onload:${Array.from(text, (c) => c.charCodeAt(0).toString(16)).join(',')}:${x.getAllResponseHeaders().includes('x-test: 1')}:${x.responseURL === url}`);
      };
      x.onloadend = () => setTimeout(() => resolve(log), 20);
      x.open('POST', url);
      x.overrideMimeType('text/plain; charset=x-user-defined');
      x.setRequestHeader('m', '0');
      x.setRequestHeader('ty', 'B');
      x.setRequestHeader('v', '29');
      setup(x);
      x.send(null);
      if (url.includes('abort')) x.abort();
      setTimeout(() => resolve([...log, 'no loadend']), 5000);
    });
    return Promise.all([
      one(`${origin}/xhr`),
      one(`http://127.0.0.1:${refusedPort}/xhr`),
      one(`${origin}/xhr?slow&abort`),
      one(`${origin}/xhr?slow`, (x) => { x.timeout = 100; }),
    ]);
  };
  const logs = await same(pages, record, `${site.origin} ${refused}`);
  assert.ok(logs[0]!.some((l) => l === 'onload:23,0,f780,f7ff,6f,6b:true:true'), logs[0]!.join(' '));
  assert.ok(logs[1]!.includes('error:4:0'));
  assert.ok(logs[2]!.includes('abort:4:0'));
  assert.ok(logs[3]!.includes('timeout:4:0'));
});

test('non-Diffusion sockets and XHRs get no listeners; a Diffusion socket gets them when the page sets binaryType or a handler, and drops its message listener after the first', async () => {
  const pages = await pair();
  const counts = async (page: Page) => {
    await page.evaluate((ws: string) => new Promise<void>((resolve) => {
      const w = window as unknown as Record<string, unknown>;
      w['plainSocket'] = new WebSocket(ws + '/script');
      const x = new XMLHttpRequest();
      x.open('POST', '/xhr');
      x.setRequestHeader('x-other', '1');
      w['plainXhr'] = x;
      const d = new WebSocket(ws + '/silent?ty=WB&v=29');
      d.binaryType = 'arraybuffer';
      w['diffusionSocket'] = d;
      // a Diffusion URL on which the page sets nothing the hook watches: not seen
      w['untouchedSocket'] = new WebSocket(ws + '/silent?ty=WB&v=29');
      const m = new WebSocket(ws + '/script?ty=WB&v=29');
      w['messagedSocket'] = m;
      m.onclose = () => resolve();
    }), site.wsOrigin);
    const cdp = await page.context().newCDPSession(page);
    const listeners = async (name: string) => {
      const { result } = await cdp.send('Runtime.evaluate', { expression: `window.${name}` });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      return listeners.map((l) => l.type).sort();
    };
    const out = { plainSocket: await listeners('plainSocket'), plainXhr: await listeners('plainXhr'), diffusionSocket: await listeners('diffusionSocket'), untouchedSocket: await listeners('untouchedSocket'), messagedSocket: await listeners('messagedSocket') };
    await cdp.detach();
    return out;
  };
  const clean = await counts(pages.clean);
  const hooked = await counts(pages.hooked);
  // messagedSocket has the page's own onclose
  assert.deepEqual(clean, { plainSocket: [], plainXhr: [], diffusionSocket: [], untouchedSocket: [], messagedSocket: ['close'] });
  assert.deepEqual(hooked, { plainSocket: [], plainXhr: [], diffusionSocket: ['close', 'error', 'message', 'open'], untouchedSocket: [], messagedSocket: ['close', 'close', 'error', 'open'] });
});

test('the real diffusion client connects the same over WebSocket and XHR with the hook', async () => {
  site.pages.set('/client', '<!doctype html><script src="/diffusion.js"></script>');
  const pages = await pair('/client');
  await same(pages, async (port: string) => {
    const d = (window as unknown as { diffusion: { connect(o: object): Promise<{ sessionId: { toString(): string }; close(): void }> } }).diffusion;
    const out: string[] = [];
    for (const transports of [['WS'], ['XHR']]) {
      const session = await d.connect({ host: '127.0.0.1', port: Number(port), secure: false, transports, reconnect: false });
      out.push(`${transports[0]} ${String(session.sessionId)}`);
      session.close();
    }
    return out;
  }, String(site.port));
});
