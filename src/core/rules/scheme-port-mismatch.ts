// `secure` defaults to port === 443, so {port: 8443} alone gives ws://, and an explicit secure
// flag can contradict the port: TLS on 80 or plain text on 443 usually meets the wrong listener.
import type { Rule } from '../model.ts';
import { attemptLocation, plural } from './format.ts';
import { finding, groupBy } from './facts.ts';

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

export const schemePortMismatch: Rule = {
  id: 'scheme-port-mismatch',
  severity: 'warning',
  summary: 'A secure transport on port 80, or an insecure one on port 443.',
  check(connections) {
    return connections.flatMap((c) => {
      const odd = c.attempts.filter((a) => (a.endpoint.secure && a.endpoint.port === HTTP_PORT) || (!a.endpoint.secure && a.endpoint.port === HTTPS_PORT));
      if (odd.length === 0) return [];
      return [...groupBy(odd, (a) => `${a.endpoint.host}:${a.endpoint.port}:${a.endpoint.secure}`).values()].flatMap((attempts) => {
        // The listener evidently speaks what was sent; nothing to fix.
        if (attempts.some((a) => a.result === 'connected')) return [];
        const first = attempts[0]!;
        const secure = first.endpoint.secure;
        return [finding(schemePortMismatch, {
          message: secure
            ? `${plural(attempts.length, 'attempt')} used TLS on port 80 (${attemptLocation(first)}); port 80 normally serves plain HTTP, so the TLS handshake meets a listener that does not speak it.`
            : `${plural(attempts.length, 'attempt')} used plain text on port 443 (${attemptLocation(first)}); port 443 normally expects TLS. The client turns secure on for port 443 by default, so secure: false was set explicitly.`,
          fix: secure
            ? 'Use port 443 with secure: true (or port 80 with secure: false if the server really serves plain HTTP there).'
            : 'Set secure: true for port 443, or leave secure unset so the client derives it from the port.',
          connection: c.id,
          attempts,
        })];
      });
    });
  },
};
