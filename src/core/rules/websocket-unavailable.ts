// A WebSocket attempt that failed before any connection response: the upgrade was refused,
// stripped by a proxy, or blocked. The message says what the evidence shows, and no more:
// Chromium reports a refused upgrade (404) and a blocked one alike as net::ERR_FAILED with status 0.
import type { Attempt, Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing } from './format.ts';
import { failedWithoutResponse, finding, isMixedContentBlocked, pageUrlOf } from './facts.ts';

interface Evidence {
  what: string;
  fix: string;
}

const PASS_UPGRADE = 'make every proxy and load balancer on the path pass WebSocket upgrades by forwarding the Upgrade and Connection headers';
// Configuration follows the prose as lines indented by four spaces (see src/core/report/fix.ts).
const NGINX_UPGRADE = ' In nginx:\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";';

function evidenceOf(a: Attempt): Evidence {
  const s = a.httpStatus;
  const path = a.endpoint.path;
  if (s === 200) return { what: 'the upgrade was answered 200 instead of 101: a proxy stripped the Upgrade header (or served the path as plain HTTP)', fix: PASS_UPGRADE };
  if (s === 404) return { what: `the upgrade was answered 404: nothing serves WebSocket on '${path}'`, fix: `check the path and load-balancer prefix ('${path}') and route it to the Diffusion server's WebSocket connector` };
  if (s === 401 || s === 403) return { what: `the upgrade was answered ${s}: a proxy, firewall or the server refused it`, fix: `allow WebSocket upgrades to '${path}' in the proxy, firewall or web application firewall` };
  if (s === 400 || s === 426 || s === 405) return { what: `the upgrade was answered ${s}: the server or a proxy did not accept the WebSocket upgrade`, fix: PASS_UPGRADE };
  if (s === 502 || s === 503 || s === 504) return { what: `the upgrade was answered ${s} by a proxy or load balancer: the backend was unreachable or refused WebSocket`, fix: `make the load balancer's backend for '${path}' healthy and able to take WebSocket connections` };
  if (s === 101) {
    const close = a.closeCode !== null ? ` and the socket closed with code ${a.closeCode}` : '';
    return { what: `the upgrade succeeded (101)${close} before any connection response arrived`, fix: 'check that the socket reaches a Diffusion server (not another WebSocket service) and that no proxy closes it right after the upgrade' };
  }
  if (s !== null && s !== 0) return { what: `the upgrade was answered ${s} instead of 101`, fix: PASS_UPGRADE };
  const err = a.error ?? '';
  if (/ERR_BLOCKED_BY_CLIENT/.test(err)) return { what: 'the browser blocked the request (net::ERR_BLOCKED_BY_CLIENT: usually a content-blocking extension)', fix: 'allow the Diffusion host in content blockers, or test in a profile without extensions' };
  if (/ERR_CONNECTION_REFUSED|NS_ERROR_CONNECTION_REFUSED/.test(err)) return { what: `the connection to ${a.endpoint.host}:${a.endpoint.port} was refused: nothing listens there`, fix: 'check the host and port, and that the server or load balancer listens on them' };
  if (/ERR_NAME_NOT_RESOLVED|NS_ERROR_UNKNOWN_HOST/.test(err)) return { what: `the host name ${a.endpoint.host} did not resolve`, fix: 'check the host name' };
  if (/ERR_CERT_|ERR_SSL_|SEC_ERROR_|SSL_ERROR_/.test(err)) return { what: `the TLS handshake failed (${errorLabel(err)})`, fix: `install a certificate valid for ${a.endpoint.host} on the server or load balancer` };
  if (/ERR_(CONNECTION_)?TIMED_OUT|ERR_CONNECTION_(RESET|CLOSED)|NS_ERROR_NET_(RESET|TIMEOUT|INTERRUPT)/.test(err)) return { what: `the network dropped the connection (${errorLabel(err)})`, fix: 'check firewalls between the browser and the server' };
  if (/ERR_FAILED/.test(err)) return { what: 'it failed with net::ERR_FAILED and no HTTP status; Chromium reports a refused upgrade (such as 404) and a blocked connection alike, so the status is hidden', fix: `open the request in DevTools Network (or enable the debugger source) to see the handshake status, then check the path '${path}' and that every proxy passes WebSocket upgrades` };
  if (a.closeCode !== null) return { what: `the socket closed with code ${a.closeCode} before any connection response`, fix: PASS_UPGRADE };
  if (err !== '') return { what: `it failed with ${errorLabel(err)}`, fix: PASS_UPGRADE };
  return { what: 'it closed before any connection response, with no status or error recorded', fix: PASS_UPGRADE };
}

export const websocketUnavailable: Rule = {
  id: 'websocket-unavailable',
  severity: 'error',
  summary: 'The WebSocket attempt failed before any connection response (upgrade refused, stripped or blocked).',
  check(connections) {
    return connections.flatMap((c) => {
      // Mixed-content blocks are their own finding; they are not about WebSocket.
      const failed = c.attempts.filter((a) => a.transport === 'WEBSOCKET' && failedWithoutResponse(a) && !isMixedContentBlocked(a, pageUrlOf(a, c)));
      if (failed.length === 0) return [];
      const last = c.attempts.indexOf(failed[failed.length - 1]!);
      const fellBack = c.attempts.slice(last + 1).find((a) => a.transport !== 'WEBSOCKET' && a.result === 'connected');
      const evidence = failed.map(evidenceOf);
      const whats = [...new Set(evidence.map((e) => e.what))];
      const fixes = [...new Set(evidence.map((e) => e.fix))];
      const targets = listing([...new Set(failed.map(attemptLocation))]);
      const count = failed.length === 1 ? 'The WebSocket attempt' : `${failed.length} WebSocket attempts`;
      const outcome = fellBack
        ? `The connection fell back to ${fellBack.transport === 'XHR' ? 'XHR long polling' : fellBack.transport}, which works but adds latency and server load.`
        : 'No other transport connected.';
      return [finding(websocketUnavailable, {
        severity: fellBack ? 'warning' : 'error',
        message: `${count} to ${targets} failed before any connection response: ${whats.join('; ')}. ${outcome}`,
        fix: `${fixes.map((f) => f.charAt(0).toUpperCase() + f.slice(1)).join('. ')}.${fixes.includes(PASS_UPGRADE) ? NGINX_UPGRADE : ''}`,
        connection: c.id,
        attempts: failed,
      })];
    });
  },
};
