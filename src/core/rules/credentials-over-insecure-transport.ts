// A principal or password sent over ws:// or http:// is readable by anyone on the path: the
// password tunnel is base64, not encryption. Empty credentials (6.12 sends PLAIN "" when only a
// principal is set) and loopback hosts, whose traffic stays on the machine, do not count.
import type { Rule } from '../model.ts';
import { attemptLocation, listing } from './format.ts';
import { finding, isLoopback, sentCredentials } from './facts.ts';

export const credentialsOverInsecureTransport: Rule = {
  id: 'credentials-over-insecure-transport',
  severity: 'error',
  summary: 'A principal or password was sent over an unencrypted transport (ws:// or http://).',
  check(connections) {
    return connections.flatMap((c) => {
      const exposed = c.attempts.filter((a) => {
        if (a.endpoint.secure || isLoopback(a.endpoint.host)) return false;
        const sent = sentCredentials(a);
        return sent.principal || sent.password;
      });
      if (exposed.length === 0) return [];
      const password = exposed.some((a) => sentCredentials(a).password);
      const principal = exposed.some((a) => sentCredentials(a).principal);
      const what = password && principal ? 'The principal and password were' : password ? 'A password was' : 'The principal was';
      return [finding(credentialsOverInsecureTransport, {
        message: `${what} sent unencrypted to ${listing([...new Set(exposed.map(attemptLocation))])}. The Diffusion password travels as a base64 credential tunnel, which anyone who can see the traffic can decode back to the password.`,
        fix: `Connect with secure: true (wss:// and https://, port 443)${password ? ', and change the password that was exposed' : ''}.`,
        connection: c.id,
        attempts: exposed,
      })];
    });
  },
};
