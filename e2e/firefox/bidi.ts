// A small WebDriver BiDi client over `ws`: Firefox speaks BiDi natively, so no driver is needed.
import WebSocket from 'ws';

interface Pending { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }

export interface BidiEvent { method: string; params: Record<string, unknown> }

export class Bidi {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: BidiEvent) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onMessage(JSON.parse(String(data)) as Record<string, unknown>));
    ws.on('close', () => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${p.method}: connection closed`));
      }
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<Bidi> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Bidi(ws);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onEvent(listener: (e: BidiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Evaluates `expression` (may be a promise) in a browsing context and returns its JSON value.
   * `chrome: true` evaluates in a privileged window (needs --remote-allow-system-access).
   */
  async evaluate<T>(context: string, expression: string, opts: { chrome?: boolean; timeoutMs?: number } = {}): Promise<T> {
    const r = await this.send<{ type: string; result?: { value?: string }; exceptionDetails?: { text?: string } }>('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context },
      awaitPromise: true,
      ...(opts.chrome ? { 'moz:scope': 'chrome' } : {}),
    }, opts.timeoutMs);
    if (r.type === 'exception') throw new Error(`evaluate: ${r.exceptionDetails?.text ?? 'exception'}`);
    const v = r.result?.value;
    return (v === undefined ? undefined : JSON.parse(v)) as T;
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(m: Record<string, unknown>): void {
    const id = m['id'];
    if (typeof id === 'number') {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (m['type'] === 'error') p.reject(new Error(`${p.method}: ${String(m['error'])}: ${String(m['message'])}`));
      else p.resolve(m['result']);
      return;
    }
    if (m['type'] === 'event') for (const l of [...this.listeners]) l({ method: String(m['method']), params: (m['params'] ?? {}) as Record<string, unknown> });
  }
}
