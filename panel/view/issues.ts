// What the findings area lists: the analysis' verdicts when it has any, else its findings, as one
// shape. Pure data from the model; the component only draws it.
import type { Analysis, Finding, Severity } from '../../src/core/model.ts';
import { findingMatches, type Indexes } from './rows.ts';

export interface Issue {
  /** Stable within one analysis. */
  key: string;
  verdict: boolean;
  rule: string;
  severity: Severity;
  title: string;
  message: string;
  fix: string;
  evidence: string[];
  connections: string[];
  attempts: string[];
  consequences: Finding[];
}

function findingKey(f: Finding): string {
  return `${f.rule}|${f.connection ?? ''}|${f.attempts.join(',')}`;
}

function fromFinding(f: Finding, idx: Indexes): Issue {
  const owners = new Set<string>();
  if (f.connection) owners.add(f.connection);
  const named = f.connection ? idx.connectionById.get(f.connection) : undefined;
  for (const a of f.attempts) {
    const c = idx.connectionOfAttempt.get(a, named);
    if (c) owners.add(c.id);
  }
  return { key: findingKey(f), verdict: false, rule: f.rule, severity: f.severity, title: f.message, message: '', fix: f.fix, evidence: [], connections: [...owners], attempts: f.attempts, consequences: [] };
}

/** The verdicts (or, with none, the findings) that match the filter, in the analysis' order. */
export function issuesOf(analysis: Analysis, needle: string, idx: Indexes): Issue[] {
  const verdicts = analysis.verdicts ?? [];
  if (verdicts.length === 0) return analysis.findings.filter((f) => findingMatches(f, needle, idx)).map((f) => fromFinding(f, idx));
  return verdicts
    .filter((v) => needle === '' || v.rule.includes(needle) || v.severity.includes(needle) || v.title.toLowerCase().includes(needle)
      || v.causes.concat(v.consequences).some((f) => findingMatches(f, needle, idx)))
    .map((v) => ({
      key: `verdict|${v.id}`, verdict: true, rule: v.rule, severity: v.severity, title: v.title, message: v.message, fix: v.fix,
      evidence: v.evidence, connections: v.connections, attempts: v.attempts, consequences: v.consequences,
    }));
}
