// The connections list as flat rows (so it can be virtualised): navigation markers, one row per
// connection, and under each its reconnects and drops. Plus the filter and the finding indexes the
// list, the timeline and the findings pane share.
import type { Analysis, Attempt, Connection, Finding, Verdict } from '../../src/core/model.ts';
import type { NavigationMarker } from '../store.ts';
import { cascadesOf, dropsOf, endpointText, OUTCOME_LABEL, type Cascade, type Drop } from './describe.ts';

export type Row =
  | { kind: 'nav'; key: string; marker: NavigationMarker }
  | { kind: 'connection'; key: string; connection: Connection; first: Cascade | null; children: number }
  | { kind: 'reconnect'; key: string; connection: Connection; cascade: Cascade; n: number }
  | { kind: 'drop'; key: string; connection: Connection; drop: Drop };

/** Attempt id → the connection holding it. */
export interface AttemptOwners {
  /** `hint`, the connection a finding names, is asked first: most attempts are its own. */
  get(attemptId: string, hint?: Connection): Connection | undefined;
}

export interface Indexes {
  connectionById: Map<string, Connection>;
  connectionOfAttempt: AttemptOwners;
  findingsByConnection: Map<string, Finding[]>;
  /** Connection id → the verdict that explains it (the first, most severe, when several do). */
  verdictByConnection: Map<string, Verdict>;
}

// A connection's own attempts are searched in place up to this many; beyond, through a set of their ids.
const SCAN_ATTEMPTS = 16;

/**
 * Who holds each attempt, without indexing every attempt of every analysis (the indexes are rebuilt
 * for each live update: 50,000 attempts made that the largest part of an update). A finding's
 * attempts are nearly always its own connection's; the full index is built only when one is not.
 */
function attemptOwners(connections: readonly Connection[]): AttemptOwners {
  let all: Map<string, Connection> | null = null;
  const sets = new WeakMap<Connection, Set<string>>();
  const holds = (c: Connection, id: string): boolean => {
    if (c.attempts.length <= SCAN_ATTEMPTS) return c.attempts.some((a) => a.id === id);
    let ids = sets.get(c);
    if (!ids) sets.set(c, (ids = new Set(c.attempts.map((a) => a.id))));
    return ids.has(id);
  };
  return {
    get(attemptId, hint) {
      if (hint && holds(hint, attemptId)) return hint;
      if (!all) {
        all = new Map();
        for (const c of connections) for (const a of c.attempts) all.set(a.id, c);
      }
      return all.get(attemptId);
    },
  };
}

export function buildIndexes(analysis: Analysis): Indexes {
  const connectionById = new Map<string, Connection>();
  const findingsByConnection = new Map<string, Finding[]>();
  for (const c of analysis.connections) connectionById.set(c.id, c);
  const connectionOfAttempt = attemptOwners(analysis.connections);
  const file = (id: string, f: Finding) => {
    const list = findingsByConnection.get(id);
    if (!list) findingsByConnection.set(id, [f]);
    else if (list[list.length - 1] !== f) list.push(f);
  };
  for (const f of analysis.findings) {
    if (f.connection) file(f.connection, f);
    // A finding may point at attempts of other connections too (affinity across reconnects).
    const named = f.connection ? connectionById.get(f.connection) : undefined;
    for (const a of f.attempts) {
      const owner = connectionOfAttempt.get(a, named);
      if (owner && owner.id !== f.connection) file(owner.id, f);
    }
  }
  const verdictByConnection = new Map<string, Verdict>();
  for (const v of analysis.verdicts ?? []) for (const id of v.connections) if (!verdictByConnection.has(id)) verdictByConnection.set(id, v);
  return { connectionById, connectionOfAttempt, findingsByConnection, verdictByConnection };
}

/** Text the filter looks in: host, port, path, prefix, outcome, transports and the rule ids raised on it. */
export function connectionMatches(c: Connection, needle: string, idx: Indexes): boolean {
  if (needle === '') return true;
  if (endpointText(c.endpoint).toLowerCase().includes(needle)) return true;
  if (c.endpoint.prefix.toLowerCase().includes(needle)) return true;
  if (c.outcome.includes(needle) || OUTCOME_LABEL[c.outcome].includes(needle)) return true;
  if (c.attempts.some((a) => a.transport.toLowerCase().includes(needle) || a.result.includes(needle))) return true;
  const v = idx.verdictByConnection.get(c.id);
  if (v && (v.rule.includes(needle) || v.title.toLowerCase().includes(needle))) return true;
  return (idx.findingsByConnection.get(c.id) ?? []).some((f) => f.rule.includes(needle) || f.severity.includes(needle));
}

export function findingMatches(f: Finding, needle: string, idx: Indexes): boolean {
  if (needle === '') return true;
  if (f.rule.includes(needle) || f.severity.includes(needle) || f.message.toLowerCase().includes(needle)) return true;
  const c = f.connection ? idx.connectionById.get(f.connection) : undefined;
  return c !== undefined && connectionMatches(c, needle, idx);
}

export function normaliseFilter(text: string): string {
  return text.trim().toLowerCase();
}

export function filterConnections(analysis: Analysis, needle: string, idx: Indexes): Connection[] {
  return needle === '' ? analysis.connections : analysis.connections.filter((c) => connectionMatches(c, needle, idx));
}

/**
 * Where each marker stands in time. Firefox reports a navigation only once the page has loaded, after
 * its first connections started: a marker moves back to the first connection of its own page that
 * started after the marker before it. (Connections are in start order.)
 */
export function markerTimes(connections: readonly Connection[], markers: readonly NavigationMarker[]): number[] {
  const out: number[] = [];
  let prev = -Infinity;
  for (const m of markers) {
    let lo = 0;
    let hi = connections.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (connections[mid]!.startedAt > prev) hi = mid;
      else lo = mid + 1;
    }
    let at = m.at;
    for (let i = lo; i < connections.length && connections[i]!.startedAt < at; i++) {
      if (connections[i]!.pageUrl === m.url) {
        at = connections[i]!.startedAt;
        break;
      }
    }
    out.push(at);
    prev = at;
  }
  return out;
}

/** Rows in time order; navigation markers sit before the first connection of their page (see markerTimes). */
export function buildRows(connections: readonly Connection[], markers: readonly NavigationMarker[], collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const times = markerTimes(connections, markers);
  let m = 0;
  for (const c of connections) {
    while (m < markers.length && times[m]! <= c.startedAt) pushMarker(rows, markers[m]!, m++);
    const cascades = cascadesOf(c);
    const first = cascades[0] && !cascades[0].reconnect ? cascades[0] : null;
    const reconnects = cascades.filter((x) => x !== first);
    const drops = dropsOf(c);
    rows.push({ kind: 'connection', key: c.id, connection: c, first, children: reconnects.length + drops.length });
    if (collapsed.has(c.id) || reconnects.length + drops.length === 0) continue;
    // Drops and reconnects interleaved by time, so "dropped → reconnected" reads in order.
    const children: { at: number; row: Row }[] = [];
    reconnects.forEach((cascade, i) => {
      children.push({ at: cascade.attempts[0]!.startedAt, row: { kind: 'reconnect', key: `${c.id}/r${i}`, connection: c, cascade, n: i + 1 } });
    });
    drops.forEach((drop, i) => {
      children.push({ at: drop.at ?? drop.attempt.startedAt, row: { kind: 'drop', key: `${c.id}/d${i}`, connection: c, drop } });
    });
    children.sort((a, b) => a.at - b.at);
    for (const ch of children) rows.push(ch.row);
  }
  while (m < markers.length) pushMarker(rows, markers[m]!, m++);
  return rows;
}

function pushMarker(rows: Row[], marker: NavigationMarker, i: number): void {
  rows.push({ kind: 'nav', key: `nav${i}`, marker });
}

/** The connection a row belongs to (null for navigation markers). */
export function rowConnection(row: Row): Connection | null {
  return row.kind === 'nav' ? null : row.connection;
}

/** Attempts a row stands for, for highlighting. */
export function rowAttempts(row: Row): Attempt[] {
  switch (row.kind) {
    case 'nav': return [];
    case 'connection': return row.first?.attempts ?? row.connection.attempts;
    case 'reconnect': return row.cascade.attempts;
    case 'drop': return [row.drop.attempt];
  }
}
