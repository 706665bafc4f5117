// A page that runs its Diffusion session in a SharedWorker (`diffusion.connect(options, name,
// 'diffusion-worker.js')`): the worker's traffic is in no capture of the page, neither DevTools'
// HAR nor the page hook. The only trace is the worker script the page loaded (Chromium's HAR keeps
// it as a script entry with status 0). Info: say where the session can be inspected.
import type { Rule } from '../model.ts';
import { groupBy } from './facts.ts';
import { pageLocation, plural } from './format.ts';
import { redactUrl } from '../diffusion/redact.ts';

function scriptLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return redactUrl(url).split(/[?#]/)[0] ?? '';
  }
}

export const sessionInWorker: Rule = {
  id: 'session-in-worker',
  severity: 'info',
  clients: ['browser'],
  summary: 'The page runs a Diffusion session in a SharedWorker, whose traffic the page\'s capture cannot show.',
  check(connections, context) {
    const workers = context.workers ?? [];
    return [...groupBy(workers, (w) => `${scriptLocation(w.url)} ${w.pageUrl === null ? '' : pageLocation(w.pageUrl)}`).values()].map((group) => {
      const w = group[0]!;
      const page = w.pageUrl !== null ? ` ${pageLocation(w.pageUrl)}` : '';
      const seen = connections.length === 0
        ? ' This capture holds no Diffusion connection of the page itself.'
        : ` The ${plural(connections.length, 'connection')} in this capture ${connections.length === 1 ? 'is' : 'are'} the page's own; the worker's are not among them.`;
      return {
        rule: sessionInWorker.id,
        severity: sessionInWorker.severity,
        message: `The page${page} loaded the worker script ${scriptLocation(w.url)}${group.length > 1 ? ` (${plural(group.length, 'time')})` : ''}: it runs its Diffusion session in a SharedWorker (diffusion.connect(options, name, workerScript)), and a worker's traffic is not in the page's capture.${seen}`,
        fix: 'Inspect the worker itself: in Chrome open chrome://inspect/#workers, find the shared worker under "Shared workers" and click inspect (its own DevTools has a Network tab to export a HAR from); in Firefox open about:debugging#/runtime/this-firefox and inspect it under "Shared Workers".',
        connection: null,
        attempts: [],
      };
    });
  },
};
