// Who wrote a HAR (`log.creator`), and what that says about its entries. Browsers write their own
// errors as `net::ERR_…` (Chromium) or `NS_…` (Firefox); an intercepting proxy that could not reach
// the server writes its own error instead, e.g. mitmproxy ≥ 10.1 `status: 0` with
// `_error: "[Errno 111] Connect call failed ('127.0.0.1', 9)"`: that request never reached the server.

export interface CaptureTool {
  /** "mitmproxy har_dump 0.1 (mitmproxy version 8.1.1)", "WebInspector 537.36". */
  text: string;
  /** An intercepting proxy (mitmproxy, HTTP Toolkit, Proxyman, Charles, Fiddler), not a browser. */
  proxy: boolean;
}

const PROXIES = /mitmproxy|http ?toolkit|proxyman|charles|fiddler/i;
const TEXT_MAX = 120;

export function captureTool(creator: unknown): CaptureTool | null {
  if (typeof creator !== 'object' || creator === null || Array.isArray(creator)) return null;
  const { name, version, comment } = creator as { name?: unknown; version?: unknown; comment?: unknown };
  const parts = [name, version].filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
  if (parts.length === 0) return null;
  let text = parts.join(' ');
  if (typeof comment === 'string' && comment.trim() !== '') text += ` (${comment.trim()})`;
  text = text.replace(/\s+/g, ' ');
  if (text.length > TEXT_MAX) text = `${text.slice(0, TEXT_MAX - 3)}...`;
  return { text, proxy: PROXIES.test(text) };
}

const BROWSER_ERROR = /^(net::|NS_|Error during WebSocket|WebSocket error)/;
// What proxies write when they cannot connect upstream: Python's OSError text (mitmproxy), Node's codes.
const PROXY_ERROR = /\[Errno -?\d+\]|Connect call failed|\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|Name or service not known/;

/** An entry's error (with no HTTP answer) that is the proxy's own: it could not reach the server. */
export function isProxyError(error: string, status: number | undefined, tool: CaptureTool | null): boolean {
  if (status !== undefined && status !== 0) return false;
  if (BROWSER_ERROR.test(error)) return false;
  return PROXY_ERROR.test(error) || tool?.proxy === true;
}
