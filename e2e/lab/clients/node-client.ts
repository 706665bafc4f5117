// The real `diffusion` client in Node (6.12.1 and 5.9.24 packages), reduced to one settled outcome.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type ClientVersion = '6.12.1' | '5.9.24';

interface CloseReasonLike { id?: number; message?: string }
export interface NodeSession {
  sessionId: unknown;
  close(): unknown;
  on(event: string, fn: (arg?: unknown) => void): unknown;
}
interface DiffusionModule { version: string; connect(options: Record<string, unknown>): Promise<NodeSession> }

export function loadClient(version: ClientVersion): DiffusionModule {
  const mod = require(version === '6.12.1' ? 'diffusion' : 'diffusion-5.9') as DiffusionModule;
  if (mod.version !== version) throw new Error(`expected diffusion ${version}, loaded ${mod.version}`);
  return mod;
}

export type Outcome =
  | { kind: 'connected'; session: NodeSession }
  | { kind: 'failed'; id: number | undefined; message: string }
  | { kind: 'pending' };

/** Connect and wait at most `boundMs` for the promise to settle ('pending' when it does not, as for 105 on a first connect). */
export async function connectOnce(version: ClientVersion, options: Record<string, unknown>, boundMs = 5000): Promise<Outcome> {
  const client = loadClient(version);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve({ kind: 'pending' }), boundMs); });
  const attempt = client.connect(options).then(
    (session): Outcome => ({ kind: 'connected', session }),
    (e: CloseReasonLike | undefined): Outcome => ({ kind: 'failed', id: e?.id, message: String(e?.message ?? e) }),
  );
  try {
    return await Promise.race([attempt, bound]);
  } finally {
    clearTimeout(timer);
  }
}
