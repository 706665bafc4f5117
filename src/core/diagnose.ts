// From findings to verdicts: for every connection, the one root cause that explains how it went, the
// evidence for it and its fix, with the connection's other findings folded beneath it as consequences.
// Which finding explains which is causal knowledge about the Diffusion client, written down below;
// connections with the same cause and the same fix share one verdict (an application retrying into
// the same wall is one story). Linear in the findings and the attempts they point at, plus sorting.
import type { Attempt, Connection, Finding, Severity, Verdict } from './model.ts';
import { attemptLocation, errorLabel, idListing, plural } from './rules/format.ts';
import { intermediaryOfAttempt, productName } from './rules/intermediary.ts';
import { attemptPlaces, homesOfFindings, type AttemptPlaces } from './rules/facts.ts';

const WS = 'websocket-unavailable';
const EXHAUSTED = 'transports-exhausted';
const NO_FALLBACK = 'no-fallback-transport';
const CORS = 'cors-preflight-failed';
/** What every transport failure leads to: the client tries the next transport, then runs out. */
const TRANSPORT_SYMPTOMS = [WS, EXHAUSTED, NO_FALLBACK, CORS];

/**
 * Cause → the findings it explains when they concern the same connection. Most specific causes
 * first: when two causes could explain a finding, the earlier one here takes it. No cycles.
 */
export const EXPLAINS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['session-in-worker', []],
  ['mixed-content-blocked', TRANSPORT_SYMPTOMS],
  ['missing-diffusion-suffix', [...TRANSPORT_SYMPTOMS, 'path-prefix-mismatch', 'missing-path-prefix', 'not-diffusion-endpoint', 'upstream-unreachable']],
  ['duplicated-diffusion-suffix', [...TRANSPORT_SYMPTOMS, 'path-prefix-mismatch', 'missing-path-prefix', 'not-diffusion-endpoint', 'upstream-unreachable']],
  ['scheme-port-mismatch', [...TRANSPORT_SYMPTOMS, 'upstream-unreachable']],
  ['not-diffusion-endpoint', [...TRANSPORT_SYMPTOMS, 'protocol-version-mismatch', 'connection-rejected', 'missing-path-prefix']],
  ['path-prefix-mismatch', [...TRANSPORT_SYMPTOMS, 'missing-path-prefix']],
  ['missing-path-prefix', TRANSPORT_SYMPTOMS],
  ['secure-to-insecure-cascade', TRANSPORT_SYMPTOMS],
  ['upstream-unreachable', TRANSPORT_SYMPTOMS],
  [CORS, [WS, EXHAUSTED, NO_FALLBACK]],
  ['protocol-version-mismatch', [WS, EXHAUSTED, NO_FALLBACK, 'connection-rejected']],
  ['session-lost-on-failover', ['session-affinity-lost', 'upstream-unreachable', 'idle-timeout-disconnect', WS, EXHAUSTED, NO_FALLBACK]],
  ['session-affinity-lost', [WS, EXHAUSTED, NO_FALLBACK]],
  ['idle-timeout-disconnect', [WS, EXHAUSTED]],
  ['connection-rejected', ['retry-after-fatal-rejection', NO_FALLBACK]],
  ['recovered-rejection', ['connection-rejected']],
  ['retry-storm', [WS, EXHAUSTED, NO_FALLBACK]],
  [NO_FALLBACK, [WS, EXHAUSTED]],
  [EXHAUSTED, [WS]],
  ['credentials-over-insecure-transport', ['credentials-in-url']],
];

const RANK = new Map(EXPLAINS.map(([cause], i) => [cause, i]));
/** Explained rule → its possible causes, best first. */
const EXPLAINED_BY = new Map<string, string[]>();
for (const [cause, explained] of EXPLAINS) {
  for (const rule of explained) EXPLAINED_BY.set(rule, [...(EXPLAINED_BY.get(rule) ?? []), cause]);
}

/** The rules that can stand as a root cause (every rule can; these explain others too). */
export function causeRules(): string[] {
  return EXPLAINS.filter(([, explained]) => explained.length > 0).map(([cause]) => cause);
}

/** What one root cause is, in a few words, for a verdict's title. */
const TITLES: Record<string, string> = {
  'missing-diffusion-suffix': 'The path does not end in /diffusion',
  'duplicated-diffusion-suffix': 'The path ends in /diffusion/diffusion',
  'secure-to-insecure-cascade': 'The application fell back from TLS to plain text',
  'mixed-content-blocked': 'The browser blocked ws:// and http:// from an https page (mixed content)',
  'websocket-unavailable': 'The WebSocket upgrade failed',
  'no-fallback-transport': 'WebSocket failed and no other transport was configured',
  'transports-exhausted': 'Every transport failed before the server answered',
  'connection-rejected': 'The server rejected the connection',
  'retry-after-fatal-rejection': 'The application retried after a rejection that retrying cannot fix',
  'session-affinity-lost': 'Requests of one session reached a server that did not know it (no session affinity)',
  'cors-preflight-failed': 'The XHR fallback was blocked by its CORS preflight',
  'credentials-over-insecure-transport': 'The password travels unencrypted',
  'credentials-in-url': 'The password travels in the WebSocket URL',
  'idle-timeout-disconnect': 'An intermediary cuts idle connections before the ping',
  'protocol-version-mismatch': 'Client and server speak different protocol versions',
  'retry-storm': 'The application retries in a tight loop',
  'scheme-port-mismatch': 'TLS and port disagree (secure on port 80, or plain text on 443)',
  'path-prefix-mismatch': 'Parts of the page use different load-balancer prefixes',
  'not-diffusion-endpoint': 'The endpoint is not a Diffusion server',
  'upstream-unreachable': 'The proxy or load balancer could not reach the Diffusion server',
  'missing-path-prefix': 'The client lacks the load balancer\'s path prefix',
  'session-lost-on-failover': 'The session was lost with its server',
  'recovered-rejection': 'A transient rejection, then connected',
  'session-in-worker': 'The session runs in a SharedWorker outside this capture',
};

/**
 * The fact that makes a title say why, where one attempt shows it: the rejection's code, the
 * upgrade's answer. ": 116 AUTHENTICATION_FAILED", ": answered 200 instead of 101".
 */
function titleDetail(cause: Finding, places: AttemptPlaces): string {
  // The first of the cause's attempts that shows it: looked up one by one, as a finding names up to 100,000.
  const firstOf = (shows: (a: Attempt) => boolean): Attempt | undefined => {
    for (const id of cause.attempts) {
      const a = places.attemptById(id);
      if (a !== undefined && shows(a)) return a;
    }
    return undefined;
  };
  if (cause.rule === 'connection-rejected' || cause.rule === 'recovered-rejection') {
    const r = firstOf((a) => a.response !== null && !a.response.success)?.response;
    return r ? `: ${r.code} ${r.name}` : '';
  }
  if (cause.rule === WS) {
    const ws = firstOf((a) => a.transport === 'WEBSOCKET');
    if (!ws) return '';
    const s = ws.httpStatus;
    if (s !== null && s !== 0 && s !== 101) return `: answered ${s} instead of 101`;
    return ws.error ? `: ${errorLabel(ws.error)}` : '';
  }
  return '';
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
/** Evidence lines per verdict before "and N more". */
const MAX_EVIDENCE = 8;

interface Placed {
  finding: Finding;
  index: number;
  /** Indexes of the connections it concerns, ascending. */
  connections: readonly number[];
}

export function diagnose(connections: readonly Connection[], findings: readonly Finding[]): Verdict[] {
  const connectionIndex = new Map<string, number>();
  connections.forEach((c, i) => connectionIndex.set(c.id, i));
  // The same index runRules used: the first connection of each attempt id, and the attempt by id.
  const places = attemptPlaces(connections);

  const homesOf = homesOfFindings(connections);
  const placed: Placed[] = findings.map((finding, index) => {
    const own = finding.connection === null ? undefined : connectionIndex.get(finding.connection);
    const concerned = homesOf(finding.attempts).connections;
    const withOwn = own === undefined || concerned.includes(own) ? concerned : [...concerned, own].sort((x, y) => x - y);
    return { finding, index, connections: withOwn };
  });

  // Connection → rule → the first finding of that rule about it.
  const byConnection = new Map<number, Map<string, number>>();
  for (const p of placed) {
    for (const ci of p.connections) {
      const rules = byConnection.get(ci) ?? new Map<string, number>();
      if (!rules.has(p.finding.rule)) rules.set(p.finding.rule, p.index);
      byConnection.set(ci, rules);
    }
  }

  // Each finding's best explainer among the findings about the same connections.
  // A client whose only transport is WebSocket (the native clients, or a browser configured so)
  // exhausted its transports by that one failure: the WebSocket failure, which says why, is the cause.
  const websocketOnly = (ci: number): boolean => connections[ci]!.attempts.every((a) => a.transport === 'WEBSOCKET');
  const causesOf = (p: Placed): readonly string[] | undefined => {
    const causes = EXPLAINED_BY.get(p.finding.rule);
    if (!p.connections.every(websocketOnly)) return causes;
    if (p.finding.rule === WS) return causes?.filter((c) => c !== EXHAUSTED);
    if (p.finding.rule === EXHAUSTED) return [...(causes ?? []), WS];
    return causes;
  };
  const explainer = placed.map((p) => {
    const causes = causesOf(p);
    if (!causes) return -1;
    for (const cause of causes) {
      for (const ci of p.connections) {
        const j = byConnection.get(ci)?.get(cause);
        if (j !== undefined && j !== p.index) return j;
      }
    }
    return -1;
  });
  const rootOf = new Array<number>(placed.length).fill(-2);
  const resolve = (i: number): number => {
    // Follow explainers to a finding nothing explains; the table has no cycles, the guard is for safety.
    let at = i;
    for (let step = 0; step <= EXPLAINS.length && explainer[at]! >= 0; step++) {
      if (rootOf[at]! >= 0) return rootOf[at]!;
      at = explainer[at]!;
    }
    return at;
  };
  for (let i = 0; i < placed.length; i++) rootOf[i] = resolve(i);

  // Roots with the same rule and fix are one story.
  const groups = new Map<string, { causes: Placed[]; consequences: Placed[] }>();
  const groupOfRoot = new Map<number, { causes: Placed[]; consequences: Placed[] }>();
  for (const p of placed) {
    if (rootOf[p.index] !== p.index) continue;
    const key = `${p.finding.rule}\n${p.finding.fix}`;
    const g = groups.get(key) ?? { causes: [], consequences: [] };
    g.causes.push(p);
    groups.set(key, g);
    groupOfRoot.set(p.index, g);
  }
  for (const p of placed) {
    const root = rootOf[p.index]!;
    if (root !== p.index) groupOfRoot.get(root)?.consequences.push(p);
  }

  const built = [...groups.values()].map((g) => {
    const involved = new Set<number>();
    // As severe as the worst finding it explains.
    let severity: Severity = 'info';
    for (const list of [g.causes, g.consequences]) {
      for (const p of list) {
        for (const ci of p.connections) involved.add(ci);
        if (SEVERITY_RANK[p.finding.severity] < SEVERITY_RANK[severity]) severity = p.finding.severity;
      }
    }
    const order = [...involved].sort((x, y) => x - y);
    return { g, order, severity, weight: order.length + g.consequences.length, first: order[0] ?? Infinity, at: g.causes[0]!.index };
  });
  built.sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || y.weight - x.weight || x.first - y.first || x.at - y.at);

  const perRule = new Map<string, number>();
  const marks = new Int32Array(places.attempts.length);
  return built.map(({ g, order, severity }, verdict) => {
    const cause = g.causes[0]!.finding;
    const n = (perRule.get(cause.rule) ?? 0) + 1;
    perRule.set(cause.rule, n);
    const ids = order.map((i) => connections[i]!.id);
    const attempts = distinctIds(g.causes, places, marks, verdict + 1);
    const many = ids.length > 1 ? ` (${plural(ids.length, 'connection')})` : '';
    const message = g.causes.length > 1
      ? `${cause.message} The same cause explains ${plural(g.causes.length, 'finding')} over ${plural(ids.length, 'connection')}: ${idListing(ids, (runs) => runs.join(', '))}.`
      : cause.message;
    return {
      id: `${cause.rule}#${n}`,
      rule: cause.rule,
      severity,
      title: `${TITLES[cause.rule] ?? cause.rule}${titleDetail(cause, places)}${many}`,
      message,
      evidence: evidenceLines(attempts, places, connections),
      fix: cause.fix,
      connections: ids,
      attempts,
      causes: g.causes.map((p) => p.finding),
      consequences: g.consequences.sort((x, y) => x.index - y.index).map((p) => p.finding),
    };
  });
}

/**
 * The causes' attempt ids, each once, in order. Marked by place, not kept in a Set: a retry storm
 * names 100,000. `marks` holds each place's last verdict number, so one array serves every verdict.
 */
function distinctIds(causes: readonly Placed[], places: AttemptPlaces, marks: Int32Array, verdict: number): string[] {
  const ids: string[] = [];
  const unplaced = new Set<string>();
  for (const p of causes) {
    for (const id of p.finding.attempts) {
      const place = places.placeOf(id);
      if (place >= 0 ? marks[place] === verdict : unplaced.has(id)) continue;
      if (place >= 0) marks[place] = verdict;
      else unplaced.add(id);
      ids.push(id);
    }
  }
  return ids;
}

// One line per attempt the cause points at: where it went and what came back, redacted (locations
// are rebuilt without the query; error texts go through errorLabel).
function evidenceLines(ids: readonly string[], places: AttemptPlaces, connections: readonly Connection[]): string[] {
  const lines: string[] = [];
  for (const id of ids) {
    const a = places.attemptById(id);
    if (!a) continue;
    if (lines.length === MAX_EVIDENCE) {
      lines.push(`and ${plural(ids.length - MAX_EVIDENCE, 'more attempt')}`);
      break;
    }
    const c = connections[places.connectionOf[places.placeOf(id)]!]!;
    lines.push(`${c.id} ${a.id} ${a.reconnect ? 'reconnect ' : ''}${a.transport} ${attemptLocation(a)}: ${answerOf(a)}`);
  }
  return lines;
}

function answerOf(a: Attempt): string {
  const parts: string[] = [];
  if (a.response) parts.push(`${a.response.code} ${a.response.name}`);
  else if (a.httpStatus !== null && a.httpStatus !== 0) parts.push(`status ${a.httpStatus}`);
  else parts.push('no HTTP status');
  if (a.error) parts.push(errorLabel(a.error));
  if (a.responseError) parts.push('an answer that is not a connection response');
  const proxy = intermediaryOfAttempt(a);
  if (proxy) parts.push(`answered by ${productName(proxy)}`);
  if (a.polls && a.polls.failedStatuses.length > 0) parts.push(`polls answered ${[...new Set(a.polls.failedStatuses)].join(', ')}`);
  if (a.closeCode !== null) parts.push(`closed with code ${a.closeCode}`);
  return parts.join(', ');
}
