// The endpoint answered with something that is not Diffusion: a web page, a JSON API, a static
// server's 405. The client points at the wrong server or port (often the web application's own
// server, whose single-page-app fallback answers every path with index.html). A stripped upgrade
// looks alike on the WebSocket side; the XHR answer tells them apart, so the rule needs it, and
// stays quiet when any attempt of the connection got a Diffusion answer.
import type { Rule } from '../model.ts';
import { attemptLocation, listing } from './format.ts';
import { finding, nonDiffusionAnswer } from './facts.ts';
import { intermediaryOf } from './intermediary.ts';

export const notDiffusionEndpoint: Rule = {
  id: 'not-diffusion-endpoint',
  severity: 'error',
  summary: 'The endpoint answered with something that is not Diffusion (a web page, a JSON API, a static server\'s 405): the client points at the wrong server or port.',
  check(connections) {
    return connections.flatMap((c) => {
      if (c.attempts.some((a) => a.response !== null)) return [];
      const evidence = c.attempts.map((a) => ({ a, what: nonDiffusionAnswer(a) })).filter((x): x is { a: typeof x.a; what: string } => x.what !== null);
      // The WebSocket side alone cannot tell a web page from a proxy that answered the upgrade itself.
      if (!evidence.some((x) => x.a.transport === 'XHR')) return [];
      const attempts = evidence.map((x) => x.a);
      const places = [...new Set(c.attempts.map(attemptLocation))];
      const where = `${listing(places)} ${places.length === 1 ? 'does' : 'do'}`;
      const nginx = intermediaryOf(c.attempts) === 'nginx';
      const route = nginx
        ? " If this nginx should pass Diffusion on, give it a location for the Diffusion path ahead of the catch-all (location /diffusion { proxy_pass http://diffusion; … } before try_files $uri $uri/ /index.html)."
        : ' If this server should pass Diffusion on, route the Diffusion path to the Diffusion server ahead of any catch-all that serves the web application.';
      return [finding(notDiffusionEndpoint, {
        message: `${where} not serve Diffusion: ${listing([...new Set(evidence.map((x) => x.what))])}. No attempt got a Diffusion connection response, so the client is pointed at another server or port (such as the web application's own server, whose single-page-app fallback answers every path with its index.html), not at a Diffusion server.`,
        fix: `Point host, port and path of diffusion.connect() at the Diffusion server or the load-balancer route to it.${route}`,
        connection: c.id,
        attempts,
      })];
    });
  },
};
