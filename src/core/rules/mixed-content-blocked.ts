// Browsers block ws:// and http:// requests from an https page before they reach the network.
import type { Rule } from '../model.ts';
import { attemptLocation, errorLabel, listing, pageOrigin } from './format.ts';
import { finding, groupBy, isMixedContentBlocked, pageUrlOf } from './facts.ts';

export const mixedContentBlocked: Rule = {
  id: 'mixed-content-blocked',
  severity: 'error',
  summary: 'An insecure Diffusion attempt (ws/http) from an https page was blocked as mixed content.',
  // Only a browser has a page whose security it enforces.
  clients: ['browser'],
  check(connections) {
    return connections.flatMap((c) => {
      if (c.client !== 'browser' && c.client !== 'unknown') return [];
      const blocked = c.attempts.filter((a) => isMixedContentBlocked(a, pageUrlOf(a, c)));
      if (blocked.length === 0) return [];
      const byPage = groupBy(blocked, (a) => pageOrigin(pageUrlOf(a, c) ?? ''));
      return [...byPage.entries()].map(([page, attempts]) => {
        const targets = [...new Set(attempts.map(attemptLocation))];
        const evidence = [...new Set(attempts.map((a) => (a.error !== null ? errorLabel(a.error) : 'no HTTP status')))];
        return finding(mixedContentBlocked, {
          message: `The page ${page} is served over https, so the browser blocked the insecure connection to ${listing(targets)} as mixed content (${listing(evidence)}); it never reached the server.`,
          fix: `Connect with secure: true (wss:// and https://) on port 443, or leave secure and port unset so the client follows the page; make sure the server or load balancer terminates TLS for ${listing([...new Set(attempts.map((a) => a.endpoint.host))])}.`,
          connection: c.id,
          attempts,
        });
      });
    });
  },
};
