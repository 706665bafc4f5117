// When the only configured transport fails, the client has nothing to cascade to. 5.9 clients and
// 6.12 in Node default to ['WEBSOCKET']; 6.12 in a browser defaults to ['WEBSOCKET', 'XHR'], so
// a browser that only tried one transport had its transports restricted by the application. Only
// clients that have a polling transport can be told to add one: the browser build, Java and Android
// (HTTP_POLLING); Node, Apple, Python, .NET and C have WebSocket only.
import type { Rule } from '../model.ts';
import { attemptLocation, listing, plural } from './format.ts';
import { finding, isMixedContentBlocked, pageUrlOf } from './facts.ts';
import { hasPollingTransport, POLLING_FAMILIES } from './clients.ts';

export const noFallbackTransport: Rule = {
  id: 'no-fallback-transport',
  severity: 'warning',
  summary: 'The transport failed and no other transport was tried.',
  clients: POLLING_FAMILIES,
  check(connections) {
    return connections.flatMap((c) => {
      const first = c.attempts[0];
      if (!first || !hasPollingTransport(c.client)) return [];
      const transport = first.transport;
      if (!c.attempts.every((a) => a.transport === transport && a.result === 'failed' && a.response === null)) return [];
      // Mixed content blocks every insecure transport alike: another one would not help.
      if (c.attempts.every((a) => isMixedContentBlocked(a, pageUrlOf(a, c)))) return [];
      const name = transport === 'WEBSOCKET' ? 'WebSocket' : 'XHR';
      const java = c.client === 'java' || c.client === 'android';
      const fix = java
        ? transport === 'WEBSOCKET'
          ? 'Add HTTP_POLLING after WEBSOCKET in the session factory\'s transports (transports(WEBSOCKET, HTTP_POLLING)) so a network that blocks WebSocket falls back to long polling.'
          : 'Add WEBSOCKET before HTTP_POLLING in the session factory\'s transports (transports(WEBSOCKET, HTTP_POLLING)).'
        : transport === 'WEBSOCKET'
          ? "Add 'XHR' to the transports option (transports: ['WEBSOCKET', 'XHR']) so browsers whose network blocks WebSocket fall back to long polling (Node has no XHR transport)."
          : "Add 'WEBSOCKET' before 'XHR' in the transports option (transports: ['WEBSOCKET', 'XHR']).";
      return [finding(noFallbackTransport, {
        message: `Only the ${name} transport was tried (${plural(c.attempts.length, 'attempt')} to ${listing([...new Set(c.attempts.map(attemptLocation))])}) and every attempt failed before a connection response, so the client had no other transport to fall back to.`,
        fix,
        connection: c.id,
        attempts: c.attempts,
      })];
    });
  },
};
