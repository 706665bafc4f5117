// The rules' findings: severity, rule id, explanation and fix. Picking one highlights the attempts it
// points at everywhere (list, timeline, details) and reveals its connection.
import type { JSX } from 'preact';
import type { Finding, Severity } from '../../src/core/model.ts';
import { redactText } from '../../src/core/diffusion/redact.ts';
import { Memo, VirtualList } from './virtual-list.tsx';

export const FINDING_ROW_HEIGHT = 40;

// Drawn by CSS (a circle or triangle with this glyph), so they look the same without emoji fonts.
const SEVERITY_ICON: Record<Severity, string> = { error: '×', warning: '!', info: 'i' };

export interface FindingsProps {
  findings: Finding[];
  active: number;
  selected: Finding | null;
  revealToken: number;
  onActive(index: number): void;
  onSelect(index: number): void;
}

export function Findings(p: FindingsProps): JSX.Element {
  return (
    <section class="pane findings-pane" aria-label="Findings">
      <header class="pane-title">
        Findings <span class="count">{p.findings.length}</span>
        <SeverityTally findings={p.findings} />
      </header>
      <VirtualList
        count={p.findings.length}
        rowHeight={FINDING_ROW_HEIGHT}
        active={p.active}
        onActive={p.onActive}
        onSelect={p.onSelect}
        role="listbox"
        label="Findings"
        idPrefix="dci-finding"
        testid="finding-list"
        class="findings"
        revealToken={p.revealToken}
        empty="No findings: nothing in this capture looks misconfigured."
        renderRow={(i, s) => {
          const f = p.findings[i]!;
          return <FindingRow finding={f} id={s.id} active={s.active} selected={f === p.selected} />;
        }}
      />
      {p.selected ? <FindingDetail finding={p.selected} /> : null}
    </section>
  );
}

/** One row of the list; memoised, so moving the active row re-renders two rows, not a screen. */
const FindingRow = Memo(({ finding: f, id, active, selected }: { finding: Finding; id: string; active: boolean; selected: boolean }): JSX.Element => (
  <div
    id={id}
    role="option"
    aria-selected={selected}
    class={`row finding finding-${f.severity}${active ? ' active' : ''}${selected ? ' selected' : ''}`}
    data-testid="finding"
    data-rule={f.rule}
    data-severity={f.severity}
  >
    <div class="finding-head">
      <span class={`sev-icon sev-${f.severity}`} data-testid="severity" role="img" aria-label={f.severity}>{SEVERITY_ICON[f.severity]}</span>
      <span class="rule" data-testid="rule">{f.rule}</span>
      {f.connection ? <span class="finding-conn">{f.connection}</span> : null}
      <span class="message">{redactText(f.message)}</span>
    </div>
    {f.fix ? <div class="fix"><span class="fix-label">Fix</span> {redactText(f.fix)}</div> : null}
  </div>
));

/** The whole text of the selected finding (the rows clip it). */
function FindingDetail({ finding }: { finding: Finding }): JSX.Element {
  return (
    <div class={`finding-detail finding-${finding.severity}`} data-testid="finding-detail" aria-live="polite">
      <div><span class={`sev sev-${finding.severity}`}>{finding.severity}</span> <span class="rule">{finding.rule}</span></div>
      <p>{redactText(finding.message)}</p>
      {finding.fix ? <p><span class="fix-label">Fix</span> {redactText(finding.fix)}</p> : null}
    </div>
  );
}

function SeverityTally({ findings }: { findings: Finding[] }): JSX.Element {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) n[f.severity]++;
  return (
    <span class="tally">
      {(['error', 'warning', 'info'] as const).filter((s) => n[s] > 0).map((s) => (
        <span key={s} class={`sev sev-${s}`} title={`${n[s]} ${s}`}><span class={`sev-icon sev-${s}`} aria-hidden="true">{SEVERITY_ICON[s]}</span> {n[s]}</span>
      ))}
    </span>
  );
}
