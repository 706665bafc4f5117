// Privileged helpers for the real Firefox DevTools: they run in browser.xhtml through BiDi's chrome
// scope (Firefox started with --remote-allow-system-access) and use Firefox-internal modules, so they
// belong to tests only. The tab they act on is the selected one.
import type { Bidi } from './bidi.ts';

async function browserWindow(b: Bidi): Promise<string> {
  const { contexts } = await b.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const win = contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml') ?? contexts[0];
  if (!win) throw new Error('no browser window');
  return win.context;
}

/** Evaluates `expression` in the browser window (privileged); returns its JSON value. */
export async function chromeEval<T>(b: Bidi, expression: string, timeoutMs?: number): Promise<T> {
  return b.evaluate<T>(await browserWindow(b), expression, { chrome: true, ...(timeoutMs ? { timeoutMs } : {}) });
}

const DEVTOOLS = `ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs").require("devtools/client/framework/devtools").gDevTools`;
const sleep = `(ms) => new Promise((r) => setTimeout(r, ms))`;

/** The WebExtension tab id of the selected tab (what devtools.inspectedWindow.tabId says). */
export function selectedTabId(b: Bidi): Promise<number> {
  return chromeEval(b, `ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs").ExtensionParent.apiManager.global.tabTracker.getId(gBrowser.selectedTab)`);
}

/**
 * Opens the toolbox for the selected tab and selects the extension panel titled `title`; resolves
 * once the panel's out-of-process <browser> has loaded its moz-extension page (a frame script loaded
 * before that process switch is silently lost). Returns the toolbox's id for the panel.
 */
export async function openPanel(b: Bidi, title: string): Promise<string> {
  const r = await chromeEval<{ id?: string; error?: string }>(b, `(async () => {
    const sleep = ${sleep};
    const tb = await ${DEVTOOLS}.showToolboxForTab(gBrowser.selectedTab);
    let def;
    for (let i = 0; i < 300 && !(def = tb.getAdditionalTools().find((d) => d.label === ${JSON.stringify(title)})); i++) await sleep(50);
    if (!def) return { error: "no panel " + ${JSON.stringify(title)} + " among " + tb.getAdditionalTools().map((d) => d.label) };
    await tb.selectTool(def.id);
    const frame = tb.doc.getElementById("toolbox-panel-iframe-" + def.id);
    for (let i = 0; i < 300; i++) {
      const br = frame?.contentDocument?.querySelector("browser");
      const wg = br?.browsingContext?.currentWindowGlobal;
      if (br?.isRemoteBrowser && wg?.documentURI?.spec.startsWith("moz-extension:") && !br.webProgress?.isLoadingDocument) return { id: def.id };
      await sleep(50);
    }
    return { error: "the panel page did not load" };
  })()`, 40_000);
  if (!r.id) throw new Error(r.error ?? 'openPanel failed');
  return r.id;
}

/** Opens the selected tab's toolbox on one of Firefox's own tools (e.g. "netmonitor"). */
export function showTool(b: Bidi, toolId: string): Promise<void> {
  return chromeEval(b, `(async () => {
    const tb = await ${DEVTOOLS}.showToolboxForTab(gBrowser.selectedTab, { toolId: ${JSON.stringify(toolId)} });
    await tb.selectTool(${JSON.stringify(toolId)});
    return null;
  })()`, 40_000);
}

/** Closes the selected tab's toolbox. */
export function closeToolbox(b: Bidi): Promise<void> {
  return chromeEval(b, `(async () => { const tb = ${DEVTOOLS}.getToolboxForTab(gBrowser.selectedTab); if (tb) await tb.destroy(); return null; })()`);
}

/**
 * Evaluates `expr` inside the extension panel's document (`doc`, `win`; the page's own objects are
 * behind `win.wrappedJSObject`) through a message-manager frame script, and returns its JSON value
 * (a promise is awaited).
 */
export function evalInPanel<T>(b: Bidi, panelId: string, expr: string): Promise<T> {
  return chromeEval<T>(b, `(async () => {
    const tb = ${DEVTOOLS}.getToolboxForTab(gBrowser.selectedTab);
    const br = tb?.doc.getElementById("toolbox-panel-iframe-" + ${JSON.stringify(panelId)})?.contentDocument?.querySelector("browser");
    if (!br) throw new Error("the panel's <browser> is not there");
    const code = "(" + (function () {
      const done = (value, error) => sendAsyncMessage("dci-e2e:panel-eval", { value, error });
      try {
        const doc = content.document, win = content;
        Promise.resolve((EXPR)).then((v) => done(JSON.stringify(v), undefined), (e) => done(undefined, String(e)));
      } catch (e) { done(undefined, String(e)); }
    }).toString().replace("EXPR", () => ${JSON.stringify(expr)}) + ")()";
    return await new Promise((resolve, reject) => {
      const mm = br.messageManager;
      const t = setTimeout(() => { mm.removeMessageListener("dci-e2e:panel-eval", l); reject(new Error("panel frame script: no answer")); }, 5000);
      function l(m) {
        clearTimeout(t);
        mm.removeMessageListener("dci-e2e:panel-eval", l);
        m.data.error ? reject(new Error(m.data.error)) : resolve(m.data.value === undefined ? undefined : JSON.parse(m.data.value));
      }
      mm.addMessageListener("dci-e2e:panel-eval", l);
      mm.loadFrameScript("data:," + encodeURIComponent(code), false);
    });
  })()`);
}

/**
 * Clicks an element of the panel as the user would: the document gets the user's activation
 * (a privileged call), so what needs a user gesture (window.open, permission requests) accepts it.
 */
export async function clickInPanel(b: Bidi, panelId: string, selector: string): Promise<void> {
  const ok = await evalInPanel<boolean>(b, panelId, `(() => {
    const e = doc.querySelector(${JSON.stringify(selector)});
    if (!e) return false;
    doc.notifyUserGestureActivation();
    e.click();
    return true;
  })()`);
  if (!ok) throw new Error(`no ${selector} in the panel`);
}

/** Grants (or revokes) the extension's <all_urls> host permission as the user would in the add-ons manager. */
export function setHostAccess(b: Bidi, id: string, granted: boolean): Promise<string[]> {
  return chromeEval(b, `(async () => {
    const { ExtensionPermissions } = ChromeUtils.importESModule("resource://gre/modules/ExtensionPermissions.sys.mjs");
    const ext = WebExtensionPolicy.getByID(${JSON.stringify(id)}).extension;
    const perms = { permissions: [], origins: ["<all_urls>"] };
    if (${granted}) await ExtensionPermissions.add(${JSON.stringify(id)}, perms, ext);
    else await ExtensionPermissions.remove(${JSON.stringify(id)}, perms, ext);
    return (await ExtensionPermissions.get(${JSON.stringify(id)})).origins;
  })()`);
}

/** "running", "suspending", "stopped"… : the event page's state. */
export function backgroundState(b: Bidi, id: string): Promise<string> {
  return chromeEval(b, `(() => { const s = WebExtensionPolicy.getByID(${JSON.stringify(id)}).extension.backgroundState; return String(s); })()`);
}

/**
 * Counts the event page's suspensions from now on (Firefox's "background-script-suspend"), so a
 * test can wait for one without racing a quick restart. Returns a reader of the count.
 */
export async function countSuspensions(b: Bidi, id: string): Promise<() => Promise<number>> {
  const key = `__dciSuspensions_${id.replace(/\W/g, '_')}`;
  await chromeEval(b, `(() => {
    if (window.${key} === undefined) {
      window.${key} = 0;
      WebExtensionPolicy.getByID(${JSON.stringify(id)}).extension.on("background-script-suspend", () => { window.${key}++; });
    }
    return null;
  })()`);
  return () => chromeEval<number>(b, `window.${key}`);
}

/** PNG (base64) of the whole window with the docked toolbox. */
export function screenshotWindow(b: Bidi): Promise<string> {
  return chromeEval(b, `(async () => {
    const bmp = await window.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white", true);
    const c = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
    c.width = bmp.width; c.height = bmp.height; c.getContext("2d").drawImage(bmp, 0, 0);
    return c.toDataURL("image/png").split(",")[1];
  })()`);
}
