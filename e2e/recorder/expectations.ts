// What a recorded capture must show, from the scenario's data (and, for Firefox, where its HAR honestly
// shows less): the fields both recorders write into <id>.expect.json, and a refresh of those fields in
// files already recorded (`npm run record -- --expect-only`), so a changed expectation needs no new capture.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../lab/scenarios/types.ts';
import { FIREFOX_DIFFERENCES, firefoxVerdict } from '../firefox/expectations.ts';

export type Browser = 'chromium' | 'firefox';

export interface ExpectedFields {
  scenario: string;
  title: string;
  story: string;
  raise: string[];
  notRaise: string[];
  /** The root cause's rule id for the scenario's main connection, null when healthy (or when this browser's HAR cannot show it). */
  verdict: string | null;
  /** `worker`: the step's session runs in a SharedWorker, whose traffic is not in the page's capture. */
  steps: Array<{ label: string; outcome: Scenario['steps'][number]['outcome']; worker?: string }>;
}

export function expectedFields(s: Scenario, browser: Browser): ExpectedFields {
  const diff = browser === 'firefox' ? FIREFOX_DIFFERENCES[s.id] : undefined;
  return {
    scenario: s.id, title: s.title, story: s.story,
    raise: s.expect.raise.filter((x) => !diff?.notRaised?.includes(x)),
    notRaise: s.expect.notRaise.filter((x) => !diff?.falseAlarms?.includes(x)),
    verdict: browser === 'firefox' ? firefoxVerdict(s.id, s.expect.verdict) : s.expect.verdict,
    steps: s.steps.map((st) => ({ label: st.label, outcome: st.outcome, ...(st.worker ? { worker: st.worker } : {}) })),
  };
}

/** Rewrites the expectation fields of recorded scenarios in `dir`, keeping what the recording measured (page state, notes, versions). */
export function refreshExpectations(dir: string, browser: Browser, chosen: Scenario[]): { updated: string[]; missing: string[] } {
  const updated: string[] = [];
  const missing: string[] = [];
  for (const s of chosen) {
    const file = join(dir, `${s.id}.expect.json`);
    if (!existsSync(file)) { missing.push(s.id); continue; }
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const fields = expectedFields(s, browser);
    const next: Record<string, unknown> = { ...fields, ...Object.fromEntries(Object.entries(recorded).filter(([k]) => !(k in fields))), ...(s.observed ? { observed: s.observed } : {}) };
    if (browser === 'firefox') {
      // The lab's notes stay; the note on Firefox's difference is the current one.
      const known = new Set(Object.values(FIREFOX_DIFFERENCES).map((d) => d.note));
      const diff = FIREFOX_DIFFERENCES[s.id];
      next.notes = [...((recorded.notes as string[] | undefined) ?? []).filter((n) => !known.has(n)), ...(diff ? [diff.note] : [])];
    }
    const text = JSON.stringify(next, null, 2) + '\n';
    if (text !== readFileSync(file, 'utf8')) { writeFileSync(file, text); updated.push(s.id); }
  }
  return { updated, missing };
}
