// An append-only list of what a lab server did, with bounded waits on it (tests await events, never sleep).
export class EventLog<T> {
  readonly items: T[] = [];
  private waiters = new Set<() => void>();

  push(item: T): void {
    this.items.push(item);
    for (const w of [...this.waiters]) w();
  }

  clear(): void {
    this.items.length = 0;
  }

  filter(pred: (e: T) => boolean): T[] {
    return this.items.filter(pred);
  }

  /** Resolves with the first event matching `pred` (already logged or yet to come); rejects after `timeoutMs`. */
  waitFor(pred: (e: T) => boolean, timeoutMs = 5000, what = 'event'): Promise<T> {
    return this.waitUntil(() => this.items.find(pred), timeoutMs, what);
  }

  /** Resolves when `check` returns something other than undefined/false, re-checked on every new event. */
  waitUntil<R>(check: () => R | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<R> {
    return new Promise((resolve, reject) => {
      const tryNow = () => {
        const r = check();
        if (r !== undefined && r !== false) {
          this.waiters.delete(tryNow);
          clearTimeout(timer);
          resolve(r);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(tryNow);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(tryNow);
      tryNow();
    });
  }
}
