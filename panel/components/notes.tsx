// One dense line per thing the user should know about the capture itself: what is capturing and
// since when, what each import read and skipped, what the cap dropped, a session the capture cannot
// see (in a worker), and the totals.
import type { JSX } from 'preact';
import type { PanelState } from '../store.ts';
import { importSummary } from '../io/import-har.ts';
import { clock, count, dateTime, thousands } from '../view/describe.ts';
import type { Reveal } from '../../src/core/report/describe.ts';

/** The rule that says the page's session runs in the Diffusion SharedWorker. */
export const WORKER_RULE = 'session-in-worker';

/** `redact` removes what the capture taught is secret from the texts that come from page data. */
export function Notes({ state, shown, redact }: { state: PanelState; shown: number; redact: Reveal }): JSX.Element {
  const a = state.analysis;
  return (
    <div class="notes" data-testid="notes">
      {state.sources.map((s) => (
        <div key={s.source} class="note" data-testid="source-note">
          <span class="dot live" aria-hidden="true" />Capturing from {s.source} since {dateTime(s.since)}{s.detail ? ` · ${s.detail}` : ''}
        </div>
      ))}
      {state.imports.map((n, i) => (
        <div key={i} class={`note${n.error ? ' note-error' : ''}`} data-testid={n.error ? 'import-error' : 'import-note'} role={n.error ? 'alert' : undefined}>
          {redact.text(importSummary(n))}
          {n.warnings.map((w, k) => <span key={k} class="warning"> {redact.text(w)}.</span>)}
        </div>
      ))}
      {state.analysisError ? (
        <div class="note note-error" data-testid="analysis-error" role="alert">{redact.text(state.analysisError)}</div>
      ) : null}
      {(a.context.notes ?? []).map((n, k) => (
        <div key={`capture-${k}`} class="note note-warn" data-testid="capture-note">The capture cannot show everything: {redact.text(n)}.</div>
      ))}
      {state.dropped ? (
        <div class="note note-warn" data-testid="dropped-note">
          Capture full: {count(state.dropped.count, 'observation')} between {clock(state.dropped.firstAt)} and {clock(state.dropped.lastAt)} were dropped (cap {thousands(state.cap)}). Clear to capture again.
        </div>
      ) : null}
      {state.backgroundDropped ? (
        <div class="note note-warn" data-testid="background-dropped-note">
          The background's capture of this tab was full: its {count(state.backgroundDropped, 'oldest observation')} {state.backgroundDropped === 1 ? 'was' : 'were'} dropped. Clear to capture again.
        </div>
      ) : null}
      {a.findings.some((f) => f.rule === WORKER_RULE) || (a.verdicts ?? []).some((v) => v.rule === WORKER_RULE) ? (
        <div class="note note-worker" data-testid="worker-note" role="note">
          This page runs its Diffusion session in a SharedWorker (diffusion-worker.js): its WebSocket and
          polls are the worker's traffic, which this panel and the page's Network tab do not show; only what
          the page itself sent is here. Inspect the worker from chrome://inspect/#workers (Chrome) or
          about:debugging#workers (Firefox), and its Network tab.
        </div>
      ) : null}
      <div class="note totals" data-testid="totals">
        {shown === a.connections.length ? count(a.connections.length, 'connection') : `${thousands(shown)} of ${count(a.connections.length, 'connection')}`}
        {' · '}{count(a.findings.length, 'finding')}
        {' · '}{count(state.observationCount, 'observation')}
        {state.navigations.length ? ` · ${count(state.navigations.length, 'navigation')}` : ''}
        {state.observationCount ? ` · analysed in ${Math.round(state.analyzeMs)} ms` : ''}
      </div>
    </div>
  );
}
