// Every attempt of a connect() (or, after the session was lost, every reconnect attempt) failed
// before the server answered: the client ran out of transports (close reason 7, or 5 after a
// parse error). The per-transport findings say why each attempt failed.
import type { Attempt, Rule } from '../model.ts';
import { attemptLocation, listing, plural, thousands } from './format.ts';
import { finding } from './facts.ts';

export const transportsExhausted: Rule = {
  id: 'transports-exhausted',
  severity: 'error',
  summary: 'Every attempt of a connection failed without a connection response.',
  check(connections) {
    return connections.flatMap((c) => {
      let lastConnected = c.attempts.length - 1;
      while (lastConnected >= 0 && c.attempts[lastConnected]!.result !== 'connected') lastConnected--;
      const tail = c.attempts.slice(lastConnected + 1);
      if (tail.length === 0) return [];
      // Failed reconnects after a working session count only when the reconstruction saw the client give up.
      if (lastConnected >= 0 && c.outcome !== 'exhausted') return [];
      // One pass over the tail, not one per question: a retrying connection holds 100,000 attempts.
      const counts = new Map<string, number>();
      const locations = new Set<string>();
      let parseErrors = 0;
      let previous: Attempt | undefined;
      for (const a of tail) {
        if (a.result !== 'failed') return [];
        counts.set(a.transport, (counts.get(a.transport) ?? 0) + 1);
        if (a.responseError !== null) parseErrors++;
        // Attempts in a row mostly go to one place.
        if (a.endpoint !== previous?.endpoint || a.transport !== previous.transport) locations.add(attemptLocation(a));
        previous = a;
      }
      const perTransport = [...counts].map(([t, n]) => `${t} ×${thousands(n)}`).join(', ');
      // "its only attempt (XHR)", not "all 1 attempt (XHR ×1)".
      const all = (kind: string): string => (tail.length === 1 ? `its only ${kind} (${tail[0]!.transport})` : `all ${plural(tail.length, kind)} (${perTransport})`);
      const parse = parseErrors > 0 ? ` (${plural(parseErrors, 'response')} could not be decoded)` : '';
      const targets = listing([...locations]);
      const message = lastConnected < 0
        ? `The connection to ${targets} never got a usable connection response: ${all('attempt')} failed${parse}, so the client ran out of transports and the session did not open.`
        : `After the session to ${targets} was lost, ${all('reconnect attempt')} failed${parse} without a connection response, so the session closed.`;
      return [finding(transportsExhausted, {
        message,
        fix: 'Make at least one transport reach the Diffusion server; the other findings for this connection say why each attempt failed.',
        connection: c.id,
        attempts: tail,
      })];
    });
  },
};
