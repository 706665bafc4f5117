// The WebSocket transport puts `username` and `password` in the URL query, so every proxy,
// load balancer and server access log on the way records them (the XHR transport uses headers, and so
// do the native clients that send their parameters as request headers: Java 6.2+, Apple, Python).
import type { Rule } from '../model.ts';
import { attemptLocation, listing } from './format.ts';
import { finding, sentCredentials } from './facts.ts';

export const credentialsInUrl: Rule = {
  id: 'credentials-in-url',
  severity: 'info',
  summary: 'Credentials travel in the WebSocket URL query, where access logs record them.',
  check(connections) {
    return connections.flatMap((c) => {
      const inUrl = c.attempts.filter((a) => {
        if (a.transport !== 'WEBSOCKET' || (a.params.carrier !== undefined && a.params.carrier !== 'query')) return false;
        const sent = sentCredentials(a);
        return sent.principal || sent.password;
      });
      if (inUrl.length === 0) return [];
      const password = inUrl.some((a) => sentCredentials(a).password);
      const params = password ? "'username' and 'password' query parameters" : "'username' query parameter";
      return [finding(credentialsInUrl, {
        message: `The WebSocket URL to ${listing([...new Set(inUrl.map(attemptLocation))])} carries the credentials in its ${params}, so they appear in the access logs of every proxy, load balancer and server that logs request URLs${password ? ' (the password tunnel is base64 and decodes back to the password)' : ''}.`,
        fix: 'Keep query strings of the Diffusion path out of access logs (or mask username and password there), or authenticate with short-lived tokens rather than long-lived passwords.',
        connection: c.id,
        attempts: inUrl,
      })];
    });
  },
};
