// A proxy or load balancer answered for the Diffusion server because it could not reach it: 502, 503
// or 504 to a handshake, or the proxy's own connection error. A WebSocket-only 5xx without any sign
// of the proxy is left to the transport rules: some gateways answer 502 to any upgrade they refuse.
import type { Attempt, Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing, plural } from './format.ts';
import { finding, PROXY_ERROR_STATUSES } from './facts.ts';
import { intermediaryOf, intermediaryOfAttempt, productName, type Intermediary } from './intermediary.ts';

// What intercepting proxies write when they cannot reach the server (mitmproxy: "[Errno 111] Connect call failed").
const PROXY_CONNECT_ERROR = /connect call failed|bad gateway|upstream|no server is available|502|503/i;

function proxyAnswer(a: Attempt): string | null {
  const s = a.httpStatus;
  if (s !== null && PROXY_ERROR_STATUSES.has(s)) return String(s);
  if ((s === null || s === 0) && a.error !== null) return proxyError(a.error);
  return null;
}

// Worked out once per distinct error text: a retrying client fails 100,000 times with the same few.
const proxyErrors = new Map<string, string | null>();

function proxyError(error: string): string | null {
  let answer = proxyErrors.get(error);
  if (answer === undefined) {
    answer = PROXY_CONNECT_ERROR.test(error) && !/ERR_|NS_ERROR/.test(error) ? `the proxy's own error (${errorLabel(error)})` : null;
    if (proxyErrors.size >= 4096) proxyErrors.clear();
    proxyErrors.set(error, answer);
  }
  return answer;
}

const MEANING: Record<string, string> = {
  '502': '502 Bad Gateway: the proxy got no valid answer from the server',
  '503': '503 Service Unavailable: the proxy has no server to send the request to',
  '504': '504 Gateway Timeout: the server did not answer the proxy in time',
};

function fixFor(i: Intermediary | null, path: string): string {
  if (i === 'nginx') return `Check the servers nginx proxies '${path}' to (proxy_pass, the upstream block): that they run and listen on the address and port given there. nginx's error log names the upstream it could not reach ("connect() failed (111: Connection refused) while connecting to upstream" or "upstream timed out").`;
  if (i === 'haproxy') return `Check the HAProxy backend for '${path}': "No server is available to handle this request" (503) means every server line is DOWN; the stats page or "show stat" on the runtime socket says which health check fails, and each server line must name the address and port the Diffusion server listens on.`;
  return `Check that the Diffusion servers behind the proxy or load balancer for '${path}' run, and that its backend configuration names the address and port they listen on; its error log says which backend it could not reach.`;
}

export const upstreamUnreachable: Rule = {
  id: 'upstream-unreachable',
  severity: 'error',
  summary: 'A proxy or load balancer could not reach the Diffusion server: 502/503/504 from the proxy, or the proxy\'s own connection error.',
  check(connections) {
    return connections.flatMap((c) => {
      // After the last attempt that connected: a working session's later failures are about that session.
      let from = 0;
      c.attempts.forEach((a, i) => { if (a.result === 'connected') from = i + 1; });
      const tail = c.attempts.slice(from);
      const hits = tail.map((a) => ({ a, what: proxyAnswer(a) })).filter((x): x is { a: Attempt; what: string } => x.what !== null);
      if (hits.length === 0) return [];
      const attempts = hits.map((x) => x.a);
      const proxy = intermediaryOf(attempts);
      const beyondWebSocket = attempts.some((a) => a.transport === 'XHR') || proxy !== null || hits.some((x) => !/^\d+$/.test(x.what));
      if (!beyondWebSocket) return [];
      const statuses = [...new Set(hits.map((x) => x.what))];
      const named = proxy ? `${productName(proxy)} (its own error page)` : 'The proxy or load balancer';
      const explained = statuses.map((s) => MEANING[s] ?? s);
      return [finding(upstreamUnreachable, {
        message: `${named} answered ${plural(attempts.length, 'attempt')} to ${listing([...new Set(attempts.map(attemptLocation))])} itself: ${listing(explained)}. It could not reach a Diffusion server, so no transport could connect.`,
        fix: fixFor(proxy ?? (attempts.map(intermediaryOfAttempt).find((x) => x !== null) ?? null), attempts[0]!.endpoint.path),
        connection: c.id,
        attempts,
      })];
    });
  },
};
