// A WebSocket attempt that failed before any connection response: the upgrade was refused,
// stripped by a proxy, or blocked. The message says what the evidence shows, and no more:
// Chromium reports a refused upgrade (404) and a blocked one alike as net::ERR_FAILED with status 0.
import type { Attempt, Connection, Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing } from './format.ts';
import { failedWithoutResponse, finding, isMixedContentBlocked, nonDiffusionAnswer, pageUrlOf } from './facts.ts';
import { intermediaryOf, passUpgradeFix, type Intermediary } from './intermediary.ts';
import { pythonPrefixHint, setPathAdvice } from './clients.ts';

interface Evidence {
  what: string;
  fix: string;
}

// Configuration follows the prose as lines indented by four spaces (see src/core/report/fix.ts),
// named only when the capture shows nginx answered.
const NGINX_UPGRADE = ' In nginx:\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";';

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

// A handshake without any parameters: the server cannot tell it is a Diffusion client.
const STRIPPED = 'the upgrade reached the capture point without any Diffusion parameters (no client type or version in the query or the headers): a proxy on the way rewrote the URL and dropped its query, or dropped the headers';

type ErrorKind = 'blocked' | 'refused' | 'dns' | 'tls' | 'dropped' | 'failed' | null;

// What a browser's error text says, tested in this order. Worked out once per distinct text: a
// retrying client fails 100,000 times with the same few errors.
const ERROR_KINDS: [RegExp, ErrorKind][] = [
  [/ERR_BLOCKED_BY_CLIENT/, 'blocked'],
  [/ERR_CONNECTION_REFUSED|NS_ERROR_CONNECTION_REFUSED/, 'refused'],
  [/ERR_NAME_NOT_RESOLVED|NS_ERROR_UNKNOWN_HOST/, 'dns'],
  [/ERR_CERT_|ERR_SSL_|SEC_ERROR_|SSL_ERROR_/, 'tls'],
  [/ERR_(CONNECTION_)?TIMED_OUT|ERR_CONNECTION_(RESET|CLOSED)|NS_ERROR_NET_(RESET|TIMEOUT|INTERRUPT)/, 'dropped'],
  [/ERR_FAILED/, 'failed'],
];
const errorKinds = new Map<string, ErrorKind>();

function errorKind(err: string): ErrorKind {
  let kind = errorKinds.get(err);
  if (kind !== undefined) return kind;
  kind = ERROR_KINDS.find(([re]) => re.test(err))?.[1] ?? null;
  if (err.length <= 1024) {
    if (errorKinds.size >= 4096) errorKinds.clear();
    errorKinds.set(err, kind);
  }
  return kind;
}

function evidenceOf(a: Attempt, c: Connection, proxy: Intermediary | null, notDiffusion: boolean): Evidence {
  const PASS_UPGRADE = passUpgradeFix(proxy);
  const s = a.httpStatus;
  const path = a.endpoint.path;
  const pointAtDiffusion = 'point the client at the Diffusion server (host, port and path), not at the web application\'s server';
  if (a.errorByProxy) {
    return {
      what: `the intercepting proxy that made this capture could not reach the server (${errorLabel(a.error ?? '')}), so the request never got to ${a.endpoint.host}:${a.endpoint.port}`,
      fix: `check that the server or load balancer at ${a.endpoint.host}:${a.endpoint.port} is running and reachable from the proxy (and from the client without it)`,
    };
  }
  if (a.params.carrier === 'none') {
    return { what: `${STRIPPED}${s !== null && s !== 0 ? `; it was answered ${s}` : ''}`, fix: `make every proxy on the path forward the upgrade's query string and headers unchanged to '${path}'` };
  }
  if (s === 200 && notDiffusion) {
    // Its own answer when it shows one ("… with a web page (HTML)"), else what the XHR attempt got.
    const own = nonDiffusionAnswer(a);
    return { what: own ? `${own}, from a server that is not Diffusion` : 'the upgrade was answered 200 by a server that is not Diffusion (another attempt to it got a web page or a 405)', fix: pointAtDiffusion };
  }
  if (s === 404) {
    const python = pythonPrefixHint(c, path);
    if (python) return { what: `the upgrade was answered 404: nothing serves WebSocket on '${path}'. ${python}`, fix: 'if the load balancer serves Diffusion under a prefix, end the Python client\'s URL with a slash after the prefix (ws://host/prefix/), so the path becomes /prefix/diffusion' };
    if (c.client !== 'browser' && c.client !== 'node' && c.client !== 'unknown') {
      return { what: `the upgrade was answered 404: nothing serves WebSocket on '${path}'`, fix: `check the path '${path}': if the load balancer serves Diffusion under a prefix, ${setPathAdvice(c.client, '/<prefix>/diffusion')}` };
    }
  }
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
  // TLS to the plain-HTTP port, or plain HTTP to the TLS port: the listener cannot make sense of it.
  if (a.endpoint.secure && a.endpoint.port === HTTP_PORT) return { what: 'TLS was spoken to port 80, where the listener speaks plain HTTP, so no handshake could complete', fix: 'use port 443 with secure: true, or port 80 with secure: false' };
  if (!a.endpoint.secure && a.endpoint.port === HTTPS_PORT) return { what: 'plain HTTP was spoken to port 443, where the listener expects TLS, so no handshake could complete', fix: 'set secure: true for port 443, or leave secure unset so the client derives it from the port' };
  const kind = errorKind(err);
  if (kind === 'blocked') return { what: 'the browser blocked the request (net::ERR_BLOCKED_BY_CLIENT: usually a content-blocking extension)', fix: 'allow the Diffusion host in content blockers, or test in a profile without extensions' };
  if (kind === 'refused') return { what: `the connection to ${a.endpoint.host}:${a.endpoint.port} was refused: nothing listens there`, fix: 'check the host and port, and that the server or load balancer listens on them' };
  if (kind === 'dns') return { what: `the host name ${a.endpoint.host} did not resolve`, fix: 'check the host name' };
  if (kind === 'tls') return { what: `the TLS handshake failed (${errorLabel(err)})`, fix: `install a certificate valid for ${a.endpoint.host} on the server or load balancer` };
  if (kind === 'dropped') return { what: `the network dropped the connection (${errorLabel(err)})`, fix: 'check firewalls between the browser and the server' };
  if (kind === 'failed') return { what: 'the browser reported net::ERR_FAILED and no HTTP status; Chromium reports a refused upgrade (such as 404) and a blocked connection alike, so the status is hidden', fix: `open the request in DevTools Network (or enable the debugger source) to see the handshake status, then check the path '${path}' and that every proxy passes WebSocket upgrades` };
  if (a.closeCode !== null) return { what: `the socket closed with code ${a.closeCode} before any connection response`, fix: PASS_UPGRADE };
  if (err !== '') return { what: `the browser reported ${errorLabel(err)}`, fix: PASS_UPGRADE };
  // Said after "failed before any connection response:", for one attempt or thousands.
  return { what: 'the socket closed with no HTTP status or error recorded', fix: PASS_UPGRADE };
}

const RECENT_ANSWERS = 8;

/** Everything evidenceOf reads of an attempt is the same in both (a 200's body aside, so never for 200). */
function sameAnswer(a: Attempt, b: Attempt): boolean {
  return a.endpoint === b.endpoint && a.transport === b.transport && a.httpStatus === b.httpStatus && a.httpStatus !== 200
    && a.error === b.error && a.errorByProxy === b.errorByProxy && a.params.carrier === b.params.carrier && a.closeCode === b.closeCode;
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
      const proxy = intermediaryOf(c.attempts);
      const notDiffusion = c.attempts.every((a) => a.response === null) && c.attempts.some((a) => a.transport === 'XHR' && nonDiffusionAnswer(a) !== null);
      const whatSet = new Set<string>();
      const fixSet = new Set<string>();
      const locations = new Set<string>();
      // An attempt answered like one already read has the same evidence: a retrying client fails
      // 100,000 times in a few ways, so the last few distinct answers are kept.
      const answers: Attempt[] = [];
      for (const a of failed) {
        if (answers.some((b) => sameAnswer(a, b))) continue;
        if (answers.length === RECENT_ANSWERS) answers.shift();
        answers.push(a);
        const e = evidenceOf(a, c, proxy, notDiffusion);
        whatSet.add(e.what);
        fixSet.add(e.fix);
        locations.add(attemptLocation(a));
      }
      const whats = [...whatSet];
      const fixes = [...fixSet];
      const targets = listing([...locations]);
      const count = failed.length === 1 ? 'The WebSocket attempt' : `${failed.length} WebSocket attempts`;
      const outcome = fellBack
        ? `The connection fell back to ${fellBack.transport === 'XHR' ? 'XHR long polling' : fellBack.transport}, which works but adds latency and server load.`
        : 'No other transport connected.';
      return [finding(websocketUnavailable, {
        severity: fellBack ? 'warning' : 'error',
        message: `${count} to ${targets} failed before any connection response: ${whats.join('; ')}. ${outcome}`,
        fix: `${fixes.map((f) => f.charAt(0).toUpperCase() + f.slice(1)).join('. ')}.${proxy === 'nginx' && fixes.includes(passUpgradeFix(proxy)) ? NGINX_UPGRADE : ''}`,
        connection: c.id,
        attempts: failed,
      })];
    });
  },
};
