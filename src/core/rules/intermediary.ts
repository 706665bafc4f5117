// What answered in front of the Diffusion server, when the capture shows it: nginx names itself in its
// Server header and at the foot of its own error pages; HAProxy sends no Server header but its own error
// pages have fixed texts (measured with nginx 1.22 and HAProxy 2.6, see docs/real-load-balancers.md).
// Fixes name that product's directive; with no such evidence they stay generic.
import type { Attempt } from '../model.ts';

export type Intermediary = 'nginx' | 'haproxy';

const NGINX_PAGE = /<center>nginx(?:\/[\d.]+)?<\/center>/i;
const HAPROXY_PAGE = /No server is available to handle this request|The server didn't respond in time|The server returned an invalid or incomplete response|Your browser sent an invalid request/i;

/** The intermediary one attempt's answer names, or null. */
export function intermediaryOfAttempt(a: Attempt): Intermediary | null {
  // Asked for every attempt by several rules: most have neither a Server header nor an answer text.
  const server = a.responseHeaders['server'];
  if (server) {
    if (/\bnginx\b/i.test(server)) return 'nginx';
    if (/\bhaproxy\b/i.test(server)) return 'haproxy';
  }
  const text = a.answerText;
  if (text) {
    if (NGINX_PAGE.test(text)) return 'nginx';
    if (HAPROXY_PAGE.test(text)) return 'haproxy';
  }
  return null;
}

/** The first intermediary any of the attempts names, or null. */
export function intermediaryOf(attempts: readonly Attempt[]): Intermediary | null {
  for (const a of attempts) {
    const i = intermediaryOfAttempt(a);
    if (i) return i;
  }
  return null;
}

/** "nginx" / "HAProxy", for messages. */
export function productName(i: Intermediary): string {
  return i === 'nginx' ? 'nginx' : 'HAProxy';
}

/** How to pass WebSocket upgrades through the intermediary. */
export function passUpgradeFix(i: Intermediary | null): string {
  // websocket-unavailable adds the directives as a configuration block after this prose.
  if (i === 'nginx') return 'in the nginx location that proxies to Diffusion, forward the upgrade over HTTP/1.1 with its Upgrade and Connection headers: without them nginx forwards the upgrade as a plain HTTP/1.0 GET';
  if (i === 'haproxy') return 'make the HAProxy frontend and backend for Diffusion run in mode http (or tcp) without http-request rules that drop the Connection or Upgrade headers; HAProxy passes upgrades on its own and then applies timeout tunnel';
  return 'make every proxy and load balancer on the path pass WebSocket upgrades: forward the Upgrade and Connection headers over HTTP/1.1 to the Diffusion server';
}

/** How to raise the idle timeout that cuts established connections. */
export function idleTimeoutFix(i: Intermediary | null, above: string, host: string): string {
  if (i === 'nginx') return `Raise proxy_read_timeout (and proxy_send_timeout) in the nginx location that proxies to Diffusion above ${above}: nginx closes an upgraded connection, and answers a long poll 504, when the upstream stays silent that long`;
  if (i === 'haproxy') return `Set timeout tunnel above ${above} in the HAProxy backend for Diffusion: once a connection is upgraded, timeout tunnel governs it, and without it timeout client and timeout server cut the idle WebSocket`;
  return `Raise the idle timeout of the proxy or load balancer in front of ${host} above ${above}`;
}

/** How to keep one session's requests on one server. */
export function affinityFix(i: Intermediary | null, paths: string): string {
  if (i === 'haproxy') return `Give the HAProxy backend for ${paths} session affinity: cookie SERVERID insert indirect nocache with a cookie value on each server line (the browser then sends it on every poll), or balance source; HAProxy in mode http balances every request, even on one keep-alive connection`;
  if (i === 'nginx') return `Give the nginx upstream for ${paths} session affinity (ip_hash; or hash $remote_addr consistent;) so the WebSocket upgrade, the XHR handshake and every poll reach the same server`;
  return `Give the load balancer session affinity for ${paths}: a sticky cookie or source-IP affinity that covers the WebSocket upgrade, the XHR handshake and every poll`;
}
