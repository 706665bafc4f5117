// The findings area: the verdicts first (what went wrong and why, the fix, the evidence, and the
// other findings it explains folded beneath), or the rules' findings while there is no verdict. One
// scroll area; each item wraps its text. Picking one highlights the attempts it points at everywhere
// (list, timeline, details) and selects its connection.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Finding, Severity } from '../../src/core/model.ts';
import type { Reveal } from '../../src/core/report/describe.ts';
import type { Issue } from '../view/issues.ts';
import { thousands } from '../view/describe.ts';

// Drawn by CSS (a circle or triangle with this glyph), so they look the same without emoji fonts.
const SEVERITY_ICON: Record<Severity, string> = { error: '×', warning: '!', info: 'i' };

/** Items drawn at first, and added by each "show more": a capture with thousands of findings says how many more there are. */
export const MAX_ITEMS = 100;

export interface FindingsProps {
  issues: Issue[];
  /** Findings behind the items (the tally counts these). */
  findings: Finding[];
  selected: string | null;
  filtered: boolean;
  /** Removes what the capture taught is secret from every text shown. */
  redact: Reveal;
  onSelect(index: number): void;
}

export function Findings(p: FindingsProps): JSX.Element {
  const list = useRef<HTMLDivElement>(null);
  // Cards are not virtualised (each folds its consequences, so their heights vary): the first
  // MAX_ITEMS are drawn, and "Show more" draws the next MAX_ITEMS. 10,000 verdicts stay cheap.
  const [limit, setLimit] = useState(MAX_ITEMS);
  const at = p.selected === null ? -1 : p.issues.findIndex((i) => i.key === p.selected);
  const shown = p.issues.length > limit ? p.issues.slice(0, limit) : p.issues;
  const verdicts = p.issues.length > 0 && p.issues[0]!.verdict;

  useEffect(() => {
    if (at >= 0) list.current?.querySelector(`#dci-finding-${at}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [at, p.selected]);

  function onKeyDown(e: KeyboardEvent): void {
    const n = shown.length;
    if (n === 0) return;
    let next = -1;
    if (e.key === 'ArrowDown') next = at < 0 ? 0 : Math.min(n - 1, at + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else return;
    e.preventDefault();
    if (next !== at) p.onSelect(next);
  }

  return (
    <section class="pane findings-pane" aria-label={verdicts ? 'Verdicts' : 'Findings'}>
      <header class="pane-title">
        {verdicts ? 'Verdicts' : 'Findings'} <span class="count">{p.issues.length}</span>
        <SeverityTally findings={p.findings} />
      </header>
      <div
        ref={list}
        class="findings-body"
        role="listbox"
        aria-label={verdicts ? 'Verdicts' : 'Findings'}
        aria-activedescendant={at >= 0 && at < shown.length ? `dci-finding-${at}` : undefined}
        tabIndex={0}
        data-testid="finding-list"
        onKeyDown={onKeyDown}
        onMouseDown={(e) => {
          if ((e.target as Element).closest('summary')) return; // folding, not picking
          const item = (e.target as Element).closest<HTMLElement>('[data-index]');
          const i = Number(item?.dataset['index']);
          if (!item || !Number.isInteger(i)) return;
          list.current?.focus({ preventScroll: true });
          p.onSelect(i);
        }}
      >
        {shown.length === 0
          ? <p class="placeholder">{p.filtered ? 'Nothing matches the filter.' : 'No findings: nothing in this capture looks misconfigured.'}</p>
          : shown.map((issue, i) => <IssueView key={issue.key} issue={issue} index={i} selected={i === at} redact={p.redact} />)}
        {shown.length < p.issues.length ? (
          <p class="placeholder" data-testid="more-findings">
            {thousands(p.issues.length - shown.length)} more not shown: narrow them with the filter, or{' '}
            <button type="button" class="tool" data-testid="show-more-findings" onClick={() => setLimit(limit + MAX_ITEMS)}>
              show {Math.min(MAX_ITEMS, p.issues.length - shown.length)} more
            </button>
          </p>
        ) : null}
      </div>
    </section>
  );
}

function IssueView({ issue, index, selected, redact }: { issue: Issue; index: number; selected: boolean; redact: Reveal }): JSX.Element {
  return (
    <div
      id={`dci-finding-${index}`}
      role="option"
      aria-selected={selected}
      class={`issue finding-${issue.severity}${selected ? ' selected' : ''}`}
      data-index={index}
      data-testid={issue.verdict ? 'verdict' : 'finding'}
      data-rule={issue.rule}
      data-severity={issue.severity}
    >
      <div class="issue-head">
        <span class={`sev-icon sev-${issue.severity}`} data-testid="severity" role="img" aria-label={issue.severity}>{SEVERITY_ICON[issue.severity]}</span>
        <span class="issue-title" data-testid="issue-title">{redact.text(issue.title)}</span>
      </div>
      <div class="issue-meta">
        <span class="rule" data-testid="rule">{issue.rule}</span>
        {issue.connections.length ? <span class="finding-conn">{issue.connections.length > 4 ? `${issue.connections.slice(0, 4).join(' ')} +${issue.connections.length - 4}` : issue.connections.join(' ')}</span> : null}
      </div>
      {issue.message && issue.message !== issue.title ? <p class="issue-text">{redact.text(issue.message)}</p> : null}
      {issue.fix ? <p class="issue-text fix"><span class="fix-label">Fix</span> {redact.text(issue.fix)}</p> : null}
      {selected ? (
        <div class="issue-more" data-testid="finding-detail">
          {issue.evidence.length ? (
            <ul class="evidence" aria-label="Evidence">{issue.evidence.map((e, k) => <li key={k}>{redact.text(e)}</li>)}</ul>
          ) : null}
        </div>
      ) : null}
      {issue.consequences.length ? (
        <details class="consequences">
          <summary>{issue.consequences.length === 1 ? '1 consequence' : `${thousands(issue.consequences.length)} consequences`} it explains</summary>
          {issue.consequences.map((f, k) => (
            <div key={k} class={`consequence finding-${f.severity}`} data-testid="consequence" data-rule={f.rule}>
              <span class={`sev-icon sev-${f.severity}`} role="img" aria-label={f.severity}>{SEVERITY_ICON[f.severity]}</span>
              {' '}<span class="rule" data-testid="rule">{f.rule}</span> {redact.text(f.message)}
            </div>
          ))}
        </details>
      ) : null}
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
