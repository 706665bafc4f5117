// Listening on loopback with an ephemeral port, and closing everything a server holds open
// (long polls and tunnels would otherwise keep `close()` waiting forever).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

export interface TlsMaterial { key: string; cert: string }

/** Serves a static lab file for a GET; returns false when the path is not one of its files. */
export type SiteHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface Listening {
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

export async function listen(
  server: Server | NetServer,
  opts: { scheme: 'http' | 'https' | 'tcp'; host?: string; port?: number; beforeClose?: () => void },
): Promise<Listening> {
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  let closing: Promise<void> | undefined;
  return {
    host,
    port: addr.port,
    origin: `${opts.scheme}://${host}:${addr.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        opts.beforeClose?.();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
