// Opening the real DevTools on a tab through CDP and evaluating inside an extension's DevTools page
// (an iframe target chrome-extension://<id>/devtools.html whose parent is the DevTools front-end).
import type { BrowserContext, CDPSession, Page } from 'playwright';

export interface TargetSession {
  evaluate<T>(expression: string): Promise<T>;
}

interface TargetInfo { targetId: string; type: string; url: string; parentFrameId?: string }

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const r = await fn();
      if (r) return r;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class DevTools {
  private seq = 0;
  private pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly browserSession: CDPSession) {
    // Child sessions through Target.sendMessageToTarget: Playwright's CDPSession cannot address flat session ids.
    browserSession.on('Target.receivedMessageFromTarget', ({ sessionId, message }: { sessionId: string; message: string }) => {
      const m = JSON.parse(message) as { id?: number; result?: unknown; error?: { message: string } };
      const key = `${sessionId}:${m.id}`;
      const p = this.pending.get(key);
      if (!p) return;
      this.pending.delete(key);
      if (m.error) p.reject(new Error(m.error.message));
      else p.resolve(m.result);
    });
  }

  static async connect(context: BrowserContext): Promise<DevTools> {
    const browser = context.browser();
    if (!browser) throw new Error('no browser behind the context');
    return new DevTools(await browser.newBrowserCDPSession());
  }

  async targets(): Promise<TargetInfo[]> {
    return ((await this.browserSession.send('Target.getTargets')) as { targetInfos: TargetInfo[] }).targetInfos;
  }

  /** Opens DevTools for the page and returns the DevTools front-end's target id. */
  async open(context: BrowserContext, page: Page): Promise<string> {
    const s = await context.newCDPSession(page);
    const { targetInfo } = (await s.send('Target.getTargetInfo')) as { targetInfo: TargetInfo };
    await s.detach();
    const r = (await this.browserSession.send('Target.openDevTools' as never, { targetId: targetInfo.targetId } as never)) as { targetId: string };
    return r.targetId;
  }

  async attach(targetId: string): Promise<TargetSession> {
    const { sessionId } = (await this.browserSession.send('Target.attachToTarget', { targetId, flatten: false })) as { sessionId: string };
    const send = (method: string, params: Record<string, unknown>) => new Promise<unknown>((resolve, reject) => {
      const id = ++this.seq;
      this.pending.set(`${sessionId}:${id}`, { resolve, reject });
      this.browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
    return {
      async evaluate<T>(expression: string): Promise<T> {
        const r = (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
          result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        return r.result.value;
      },
    };
  }

  /** The extension DevTools page (or panel) iframe `path` inside the DevTools front-end `devtoolsId`. */
  async extensionFrame(devtoolsId: string, path: string, timeoutMs = 15_000): Promise<TargetSession> {
    const t = await waitFor(async () => (await this.targets()).find((x) => x.url.startsWith('chrome-extension://') && x.url.endsWith(path) && x.parentFrameId === devtoolsId), timeoutMs, `${path} in DevTools`);
    return this.attach(t.targetId);
  }

  async detach(): Promise<void> {
    await this.browserSession.detach().catch(() => undefined);
  }
}
