// The running lab: the scenarios' emulators and balancers, the index and scenario pages, and a chat
// echo for unrelated traffic. Pages name hosts *.lab.test; the browser maps them to 127.0.0.1.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { startEmulator, type Emulator } from './server/emulator.ts';
import { startBalancer, type Balancer } from './balancer/balancer.ts';
import { freePort } from './proxies/process.ts';
import { proxyDir, startHaproxy, startNginx, nginxConfig, haproxyConfig, type RealProxy } from './proxies/proxies.ts';
import { listen, type Listening, type SiteHandler } from './net.ts';
import { selfSignedCertificate } from './tls.ts';
import { scenarios as catalogue } from './scenarios/catalogue.ts';
import type { LabHost, ProxyEndpoint, Scenario } from './scenarios/types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const DIFFUSION_BUNDLE = require.resolve('diffusion/dist/diffusion.js');
/** The script a SharedWorker session runs, shipped beside the bundle in the npm package. */
export const DIFFUSION_WORKER = require.resolve('diffusion/dist/diffusion-worker.js');
/** Where pages find it (same origin as the page, as SharedWorker requires). */
export const WORKER_PATH = '/lab/diffusion-worker.js';
export const LAB_DOMAIN = 'lab.test';
/** The Chromium switch that makes *.lab.test resolve to loopback. */
export const HOST_RESOLVER_RULES = `MAP *.${LAB_DOMAIN} 127.0.0.1`;

export const labHostName = (h: LabHost) => `${h}.${LAB_DOMAIN}`;

export interface RunningEndpoint {
  name: string;
  kind: 'emulator' | 'balancer' | 'nginx' | 'haproxy';
  /** undefined when a fixed port could not be bound (nothing listens: connections are refused). */
  server?: Emulator | Balancer | RealProxy;
  port: number;
  secure: boolean;
  host: LabHost;
}

export interface RunningScenario {
  scenario: Scenario;
  pageUrl: string;
  endpoints: Map<string, RunningEndpoint>;
  /** Things that differ from the scenario data on this machine (e.g. port 443 unavailable). */
  notes: string[];
  /** The real proxies' configuration files, exactly as they run, for the page to show. */
  configs: Array<{ name: string; kind: 'nginx' | 'haproxy'; text: string }>;
  reset(): void;
}

export interface Lab {
  indexUrl: string;
  scenarios: Map<string, RunningScenario>;
  close(): Promise<void>;
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/lab/app.js': { file: join(here, 'www/app.js'), type: 'text/javascript' },
  '/lab/index.js': { file: join(here, 'www/index.js'), type: 'text/javascript' },
  '/lab/lab.css': { file: join(here, 'www/lab.css'), type: 'text/css' },
  '/lab/api/status.json': { file: join(here, 'www/api/status.json'), type: 'application/json' },
  '/lab/diffusion.js': { file: DIFFUSION_BUNDLE, type: 'text/javascript' },
  [WORKER_PATH]: { file: DIFFUSION_WORKER, type: 'text/javascript' },
};

const PROXY_NAMES = { nginx: 'nginx 1.22', haproxy: 'HAProxy 2.6' } as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script type="application/json">: no "<" may survive, or "</script>" would end it. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<link rel="stylesheet" href="/lab/lab.css">${head}</head>\n<body>${body}</body></html>\n`;
}

export async function startLab(opts: { only?: string[]; scenarios?: Scenario[] } = {}): Promise<Lab> {
  const chosen = (opts.scenarios ?? catalogue).filter((s) => !opts.only || opts.only.includes(s.id));
  if (opts.only) for (const id of opts.only) if (!chosen.some((s) => s.id === id)) throw new Error(`unknown scenario ${id}`);
  const closers: Array<() => Promise<void>> = [];
  const running = new Map<string, RunningScenario>();
  const tls = selfSignedCertificate();
  let indexUrl = '';
  let chatUrl = '';
  let iconUrl = '';

  const site: SiteHandler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = STATIC[path];
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(readFileSync(file.file));
      return true;
    }
    if (path === '/favicon.ico') { res.writeHead(204).end(); return true; }
    if (path === '/' || path === '/index.html') {
      const entries = [...running.values()].map((r) => ({
        id: r.scenario.id, title: r.scenario.title, story: r.scenario.story, raise: r.scenario.expect.raise, verdict: r.scenario.expect.verdict, url: r.pageUrl,
        proxies: r.configs.map((c) => PROXY_NAMES[c.kind]),
      }));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page('Diffusion lab',
        '<h1>Diffusion lab</h1><p>Real Diffusion clients against emulated servers, simulated load balancers and real nginx and HAProxy. Open a scenario with DevTools on the Diffusion panel.</p><ol id="scenarios"></ol>',
        `<script id="lab-index" type="application/json">${scriptJson(entries)}</script><script src="/lab/index.js" defer></script>`));
      return true;
    }
    const m = /^\/s\/([a-z0-9-]+)\/$/.exec(path);
    const r = m && running.get(m[1] as string);
    if (r) {
      r.reset(); // a page load starts the scenario's servers from the beginning
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(scenarioPage(r, chatUrl, iconUrl));
      return true;
    }
    return false;
  };

  try {
    // The index server (http) also carries the chat echo; a second one serves https pages.
    const plainSite = await siteServer(site, undefined);
    closers.push(plainSite.close);
    const secureSite = await siteServer(site, tls);
    closers.push(secureSite.close);
    indexUrl = `http://${labHostName('app')}:${plainSite.port}/`;
    chatUrl = `ws://${labHostName('app')}:${plainSite.port}/chat`;
    iconUrl = `http://${labHostName('app')}:${plainSite.port}/favicon.ico`;

    for (const s of chosen) {
      const endpoints = new Map<string, RunningEndpoint>();
      const notes: string[] = [];
      const entries = Object.entries(s.endpoints);
      for (const [name, ep] of entries) {
        if (ep.kind !== 'emulator') continue;
        const e = await startEmulator({ name, replies: ep.replies, paths: ep.paths, cors: ep.cors, pingPeriodMs: ep.pingPeriodMs, reconnect: ep.reconnect, pollReconnectFrom: ep.pollReconnectFrom, stopAfterMs: ep.stopAfterMs, tls: ep.tls ? tls : undefined, site });
        closers.push(e.close);
        endpoints.set(name, { name, kind: 'emulator', server: e, port: e.port, secure: !!ep.tls, host: ep.host });
      }
      for (const [name, ep] of entries) {
        if (ep.kind !== 'balancer') continue;
        const backends = ep.backends.map((b) => {
          const be = endpoints.get(b);
          const em = be?.kind === 'emulator' ? be.server as Emulator | undefined : undefined;
          if (!be || !em) throw new Error(`${s.id}: backend ${b} is not an emulator of the scenario`);
          return { host: em.host, port: be.port };
        });
        const options = { name, backends, prefix: ep.prefix, stripPrefix: ep.stripPrefix, upgrade: ep.upgrade, refuse: ep.refuse, balance: ep.balance, idleCloseMs: ep.idleCloseMs, cors: ep.cors, tls: ep.tls ? tls : undefined, site, port: ep.port };
        try {
          const b = await startBalancer(options);
          closers.push(b.close);
          endpoints.set(name, { name, kind: 'balancer', server: b, port: b.port, secure: !!ep.tls, host: ep.host });
        } catch (e) {
          if (ep.port === undefined) throw e;
          notes.push(`port ${ep.port} could not be bound (${(e as NodeJS.ErrnoException).code}): nothing listens there, connections are refused`);
          endpoints.set(name, { name, kind: 'balancer', port: ep.port, secure: !!ep.tls, host: ep.host });
        }
      }
      // Real proxies: their ports first (the page and the configurations name them), started last.
      const proxies: Array<[string, ProxyEndpoint]> = [];
      for (const [name, ep] of entries) {
        if (ep.kind !== 'nginx' && ep.kind !== 'haproxy') continue;
        proxies.push([name, ep]);
        endpoints.set(name, { name, kind: ep.kind, port: await freePort(), secure: false, host: ep.host });
      }
      const served = s.page.servedBy ? endpoints.get(s.page.servedBy) : undefined;
      if (s.page.servedBy && !served?.server && !proxies.some(([n]) => n === s.page.servedBy)) throw new Error(`${s.id}: page endpoint ${s.page.servedBy} is not running`);
      const secure = served ? served.secure : !!s.page.secure;
      const pagePort = served ? served.port : secure ? secureSite.port : plainSite.port;
      const pageUrl = `${secure ? 'https' : 'http'}://${labHostName(served?.host ?? 'app')}:${pagePort}${s.page.prefix ?? ''}/s/${s.id}/`;
      const nothing = `127.0.0.1:${await freePort()}`;
      const rendered = proxies.map(([name, ep]) => {
        const part = fillPlaceholders(s.id, ep.config, { listen: `127.0.0.1:${endpoints.get(name)?.port}`, site: `127.0.0.1:${plainSite.port}`, nothing }, endpoints);
        return { name, ep, part, text: ep.kind === 'nginx' ? nginxConfig(part) : haproxyConfig(part) };
      });
      const r: RunningScenario = {
        scenario: s, pageUrl, endpoints, notes,
        configs: rendered.map(({ name, ep, text }) => ({ name, kind: ep.kind, text })),
        reset() { for (const ep of endpoints.values()) ep.server?.reset(); },
      };
      running.set(s.id, r);
      for (const { name, ep, part } of rendered) {
        const dir = proxyDir(ep.kind);
        if (ep.webRoot) writeWebRoot(join(dir, 'www'), scenarioPage(r, chatUrl, iconUrl));
        const port = endpoints.get(name)?.port as number;
        const p = ep.kind === 'nginx' ? await startNginx({ name, port, httpPart: part, dir }) : await startHaproxy({ name, port, part, dir });
        closers.push(p.close);
        endpoints.set(name, { name, kind: ep.kind, server: p, port, secure: false, host: ep.host });
      }
    }
  } catch (e) {
    await Promise.all(closers.map((c) => c()));
    throw e;
  }

  return {
    indexUrl,
    scenarios: running,
    async close() { await Promise.all(closers.map((c) => c())); },
  };
}

/** A scenario page: its story, the exact configuration of its real proxies (as text), and the application code. */
function scenarioPage(r: RunningScenario, chatUrl: string, iconUrl: string): string {
  const s = r.scenario;
  const config = { id: s.id, title: s.title, boundMs: s.boundMs, unrelatedTraffic: !!s.unrelatedTraffic, chatUrl, workerUrl: WORKER_PATH, steps: s.steps.map((step) => resolveStep(r, step)) };
  const configs = r.configs.map((c) => `<h2>${escapeHtml(PROXY_NAMES[c.kind])} configuration (${escapeHtml(c.name)})</h2><pre class="config">${escapeHtml(c.text)}</pre>`).join('');
  // Behind a real proxy the favicon comes from the lab's page server: through a round-robin balancer its
  // request would take a turn at an unpredictable moment.
  const icon = r.configs.length ? `<link rel="icon" href="${escapeHtml(iconUrl)}">` : '';
  // Scripts by relative URL (the page is always /s/<id>/), so a page behind a prefix loads them through it.
  return page(s.title,
    `<h1>${escapeHtml(s.title)}</h1><p class="story">${escapeHtml(s.story)}</p><p>State: <b id="state">running</b></p><pre id="log"></pre>${configs}`,
    `${icon}<script id="lab-config" type="application/json">${scriptJson(config)}</script><script src="../../lab/diffusion.js"></script><script src="../../lab/app.js" defer></script>`)
    .replace('<body>', '<body data-state="running">')
    .replace('href="/lab/lab.css"', 'href="../../lab/lab.css"');
}

/** Replaces {{name}} in a proxy configuration: the given values, or an endpoint's loopback address. */
function fillPlaceholders(id: string, template: string, values: Record<string, string>, endpoints: Map<string, RunningEndpoint>): string {
  return template.replace(/\{\{([a-z0-9-]+)\}\}/gi, (_m, key: string) => {
    const v = values[key] ?? (endpoints.get(key) ? `127.0.0.1:${endpoints.get(key)?.port}` : undefined);
    if (v === undefined) throw new Error(`${id}: unknown placeholder {{${key}}} in a proxy configuration`);
    return v;
  });
}

/** A static single-page app: the scenario page as index.html and the lab's scripts beside it. */
function writeWebRoot(root: string, indexHtml: string): void {
  writeFileSync((mkdirSync(root, { recursive: true }), join(root, 'index.html')), indexHtml);
  for (const [path, { file }] of Object.entries(STATIC)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(file, join(root, path));
  }
}

/** The options the page passes to diffusion.connect for one step: host/port/secure of the target endpoint plus the step's own. */
function resolveStep(r: RunningScenario, step: Scenario['steps'][number]) {
  const at = (name: string) => {
    const ep = r.endpoints.get(name);
    if (!ep) throw new Error(`${r.scenario.id}: no endpoint ${name}`);
    return { host: labHostName(ep.host), port: ep.port, secure: ep.secure };
  };
  const base = { ...at(step.target), ...(step.port !== undefined ? { port: step.port } : {}), ...step.options };
  const onFailure = step.onFailure && {
    retries: step.onFailure.retries,
    delayMs: step.onFailure.delayMs,
    options: { ...(step.onFailure.target ? at(step.onFailure.target) : {}), ...step.onFailure.options },
  };
  return { label: step.label, options: base, reconnectDelayMs: step.reconnectDelayMs, holdMs: step.holdMs, parallel: step.parallel, worker: step.worker, onFailure };
}

/** A plain web server for pages, with a WebSocket echo at /chat (the unrelated traffic). */
async function siteServer(site: SiteHandler, tls: { key: string; cert: string } | undefined): Promise<Listening> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (!site(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createHttpServer(onRequest);
  const wss = new WebSocketServer({ server, path: '/chat' });
  wss.on('connection', (ws) => {
    ws.on('message', (m) => ws.send(`echo: ${m.toString()}`));
    ws.on('error', () => { /* a closing page */ });
  });
  return listen(server, { scheme: tls ? 'https' : 'http', beforeClose: () => { for (const c of wss.clients) c.terminate(); wss.close(); } });
}
