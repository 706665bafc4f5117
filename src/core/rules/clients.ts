// What differs between client libraries, in the words each one's users know (protocol fact sheet §7):
// which transports it has, and how its application sets the path the handshake goes to.
// - JavaScript: `path` option; the client appends '/diffusion' to a path not ending in it (measured).
// - Java and Android: the session factory's `requestPath(…)`; transports WEBSOCKET and HTTP_POLLING.
// - Apple: the application passes the whole URL, used as given, so it must end in '/diffusion' itself
//   (pushtechnology/diffusion-swift); WebSocket only.
// - Python: the URL is resolved with `urljoin(url, "diffusion")`, which replaces the URL's last path
//   segment: 'ws://lb/prefix' becomes '/diffusion' (the prefix is lost), 'ws://lb/prefix/' keeps it.
// - .NET and C: WebSocket only; their path handling is not public.
import type { ClientFamily, Connection } from '../model.ts';
import { CLIENT_FAMILY_NAMES } from '../diffusion/client-family.ts';
import { quoted } from './format.ts';

/** Families whose client can fall back to a polling transport when WebSocket fails. */
export const POLLING_FAMILIES: readonly ClientFamily[] = ['browser', 'java', 'android'];

export function hasPollingTransport(family: ClientFamily): boolean {
  return POLLING_FAMILIES.includes(family);
}

export function familyName(c: Pick<Connection, 'client'>): string {
  return CLIENT_FAMILY_NAMES[c.client] ?? CLIENT_FAMILY_NAMES.unknown;
}

/** How to make the client's handshakes go to `path` (which ends in /diffusion), in the family's own terms. */
export function setPathAdvice(family: ClientFamily, path: string): string {
  const prefix = path.endsWith('/diffusion') ? path.slice(0, -'/diffusion'.length) : path;
  switch (family) {
    case 'browser':
    case 'node':
      return `set the client's path option to ${quoted(prefix || '/')} (or ${quoted(path)}); the client appends '/diffusion' itself`;
    case 'java':
    case 'android':
      return `set the session factory's request path to ${quoted(path)} (requestPath(${JSON.stringify(path)})): it must end in '/diffusion'`;
    case 'apple':
      return `give the Apple client a URL whose path is ${quoted(path)}: it uses the URL as given, so the URL must end in '/diffusion'`;
    case 'python':
      return `give the Python client the URL with a trailing slash after the prefix (${quoted(`…${prefix}/`)}): it builds the path with urljoin(url, "diffusion"), which replaces the URL's last segment, so '…${prefix}' without the slash becomes '/diffusion'`;
    default:
      return `make the client connect to a URL whose path is ${quoted(path)}`;
  }
}

/**
 * Why a Python client's handshake went to a bare '/diffusion': urljoin dropped the prefix, if the
 * application's URL had one without a trailing slash. Null for other families or other paths.
 */
export function pythonPrefixHint(c: Pick<Connection, 'client'>, path: string): string | null {
  if (c.client !== 'python' || path !== '/diffusion') return null;
  return "The Python client builds the path with urljoin(url, \"diffusion\"), which replaces the URL's last path segment: a URL 'ws://host/prefix' becomes 'ws://host/diffusion', so a load-balancer prefix without a trailing slash is silently lost";
}
