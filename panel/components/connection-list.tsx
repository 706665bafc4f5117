// The live connections list: one row per diffusion.connect() with its cascade and outcome, its
// reconnects and drops indented beneath it, navigation markers between. A tree: ←/→ fold a connection.
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import type { Attempt } from '../../src/core/model.ts';
import type { Reveal } from '../../src/core/report/describe.ts';
import type { Verdict } from '../../src/core/model.ts';
import { clock, endpointText, headline, OUTCOME_LABEL, stepDetail, thousands } from '../view/describe.ts';
import { rowAttempts, type Row } from '../view/rows.ts';
import { Memo, VirtualList } from './virtual-list.tsx';

// Two lines a row: what happened and why, then when, where and the cascade.
export const ROW_HEIGHT = 38;

export interface ConnectionListProps {
  rows: Row[];
  active: number;
  selectedKey: string | null;
  highlighted: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  verdicts: ReadonlyMap<string, Verdict>;
  revealToken: number;
  /** Removes what the capture taught is secret (see PanelStore.getSecrets) from every text shown. */
  redact: Reveal;
  onActive(index: number): void;
  onSelect(index: number): void;
  onToggle(connectionId: string, open: boolean): void;
  empty: string;
}

export function ConnectionList(p: ConnectionListProps): JSX.Element {
  // The same function on every render, so memoised rows do not re-render for a new callback.
  const toggleTo = useRef(p.onToggle);
  toggleTo.current = p.onToggle;
  const onToggle = useRef((id: string, open: boolean) => toggleTo.current(id, open)).current;

  function onKey(key: string, index: number): boolean {
    const row = p.rows[index];
    if (!row) return false;
    if (key === 'ArrowRight' && row.kind === 'connection' && row.children > 0 && p.collapsed.has(row.connection.id)) {
      p.onToggle(row.connection.id, true);
      return true;
    }
    if (key === 'ArrowLeft') {
      if (row.kind === 'connection' && row.children > 0 && !p.collapsed.has(row.connection.id)) {
        p.onToggle(row.connection.id, false);
        return true;
      }
      if (row.kind === 'reconnect' || row.kind === 'drop') {
        const parent = p.rows.findIndex((r) => r.kind === 'connection' && r.connection === row.connection);
        if (parent >= 0) p.onActive(parent);
        return true;
      }
    }
    return false;
  }

  return (
    <VirtualList
      count={p.rows.length}
      rowHeight={ROW_HEIGHT}
      active={p.active}
      onActive={p.onActive}
      onSelect={p.onSelect}
      onKey={onKey}
      role="tree"
      label="Diffusion connections"
      idPrefix="dci-conn"
      testid="connection-list"
      class="connections"
      revealToken={p.revealToken}
      empty={p.empty}
      renderRow={(i, s) => {
        const row = p.rows[i]!;
        const hl = p.highlighted.size > 0 && rowAttempts(row).some((a) => p.highlighted.has(a.id));
        const open = row.kind === 'connection' && !p.collapsed.has(row.connection.id);
        const verdict = row.kind === 'connection' ? p.verdicts.get(row.connection.id) : undefined;
        return <RowView row={row} id={s.id} active={s.active} selected={row.key === p.selectedKey} highlighted={hl} open={open} verdict={verdict} redact={p.redact} onToggle={onToggle} />;
      }}
    />
  );
}

interface RowViewProps {
  row: Row;
  id: string;
  active: boolean;
  selected: boolean;
  highlighted: boolean;
  /** A connection's reconnects and drops are shown beneath it. */
  open: boolean;
  verdict: Verdict | undefined;
  redact: Reveal;
  onToggle(connectionId: string, open: boolean): void;
}

const RowView = Memo(({ row, id, active, selected, highlighted, open, verdict, redact, onToggle }: RowViewProps): JSX.Element => {
  const cls = `row row-${row.kind}${active ? ' active' : ''}${selected ? ' selected' : ''}${highlighted ? ' hl' : ''}`;
  const common = { id, role: 'treeitem' as const, class: cls, 'aria-selected': selected, 'data-highlighted': highlighted ? 'true' : undefined };
  if (row.kind === 'nav') {
    return (
      <div {...common} aria-level={1} data-testid="nav-row">
        <span class="nav-line" aria-hidden="true" />
        <span class="nav-text">Navigated to {redact.url(row.marker.url)}</span>
        <span class="time">{clock(row.marker.at)}</span>
      </div>
    );
  }
  // Connections, reconnects and drops share one shape (the parts a kind lacks are empty and not
  // displayed), so when a scroll puts a reconnect where a connection was, its elements are patched,
  // not replaced.
  const c = row.connection;
  const conn = row.kind === 'connection';
  const parent = conn && row.children > 0;
  const e = c.endpoint;
  let lead: string, glyph: string, time: number, label: string, labelClass: string;
  switch (row.kind) {
    case 'connection':
      lead = parent ? 'twisty' : 'twisty none';
      glyph = parent ? (open ? '▾' : '▸') : '';
      time = c.startedAt;
      label = OUTCOME_LABEL[c.outcome];
      labelClass = `badge outcome-${c.outcome}`;
      break;
    case 'reconnect':
      lead = 'indent';
      glyph = '↻';
      time = row.cascade.attempts[0]!.startedAt;
      label = `reconnect ${row.n}`;
      labelClass = 'child-label';
      break;
    case 'drop':
      lead = 'indent drop-mark';
      glyph = '✕';
      time = row.drop.at ?? row.drop.attempt.startedAt;
      label = 'dropped';
      labelClass = 'child-label';
      break;
  }
  const why = redact.text(conn ? headline(c, verdict) : row.kind === 'drop' ? row.drop.text : '');
  const where = conn ? redact.text(endpointText(e)) : undefined;
  return (
    <div
      {...common}
      aria-level={conn ? 1 : 2}
      aria-expanded={parent ? open : undefined}
      data-testid={`${row.kind}-row`}
      data-connection-id={conn ? c.id : undefined}
      data-outcome={conn ? c.outcome : undefined}
    >
      <div class="row-line">
        <span
          class={lead}
          aria-hidden="true"
          onMouseDown={(ev) => { if (parent) { ev.stopPropagation(); ev.preventDefault(); onToggle(c.id, !open); } }}
        >{glyph}</span>
        <span class={labelClass} data-testid={conn ? 'outcome-badge' : undefined}>{label}</span>
        <span class={why ? 'headline' : 'headline gone'} data-testid={conn ? 'headline' : undefined} title={why || undefined}>{why}</span>
        <span class={parent ? 'children-count' : 'children-count gone'} title={parent ? 'reconnects and drops' : undefined}>{parent ? row.children : ''}</span>
      </div>
      <div class="row-line sub">
        <span class="time">{clock(time)}</span>
        <span class={conn ? 'endpoint' : 'endpoint gone'} title={where}>
          <span class="host">{conn ? (e.host ? redact.text(`${e.host}:${e.port}`) : '(unknown)') : ''}</span>
          <span class={conn && e.prefix ? 'prefix' : 'prefix gone'} data-testid={conn && e.prefix ? 'prefix' : undefined}>{conn ? redact.text(e.prefix) : ''}</span>
          <span class="path">{conn ? redact.text(e.prefix ? e.path.slice(e.prefix.length) : e.path) : ''}</span>
        </span>
        {row.kind === 'drop'
          ? <span class="cascade gone" />
          : <Steps redact={redact} attempts={row.kind === 'reconnect' ? row.cascade.attempts : row.first?.attempts.length ? row.first.attempts : c.attempts} />}
      </div>
    </div>
  );
});

/** "WEBSOCKET failed (status 0, net::ERR_FAILED) → XHR connected (100 OK)", each step coloured by its result. */
function Steps({ attempts, redact }: { attempts: readonly Attempt[]; redact: Reveal }): JSX.Element {
  // A retry storm can hold hundreds of attempts: the row shows the first few, the details show all.
  const shown = attempts.length > MAX_STEPS ? attempts.slice(0, MAX_STEPS) : attempts;
  return (
    <span class="cascade" data-testid="cascade">
      {shown.map((a, i) => (
        // Unkeyed: a reused row patches its steps in place. Each step's detail and the arrow after it
        // are one text node (in the step's muted colour): 7 nodes a step instead of 13.
        <span class={`step result-${a.result}`} data-testid="step" data-attempt-id={a.id}>
          <span class="transport">{a.transport}</span> <span class="result">{a.result}</span>{` (${redact.text(stepDetail(a))})${i < shown.length - 1 ? ' → ' : ''}`}
        </span>
      ))}
      {shown.length < attempts.length ? <span class="more"> → … {thousands(attempts.length - shown.length)} more</span> : null}
    </span>
  );
}

const MAX_STEPS = 8;
