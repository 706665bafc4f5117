// The live connections list: one row per diffusion.connect() with its cascade and outcome, its
// reconnects and drops indented beneath it, navigation markers between. A tree: ←/→ fold a connection.
import type { JSX } from 'preact';
import type { Attempt } from '../../src/core/model.ts';
import { redactUrl } from '../../src/core/diffusion/redact.ts';
import { clock, endpointText, OUTCOME_LABEL, stepDetail } from '../view/describe.ts';
import { rowAttempts, type Row } from '../view/rows.ts';
import { VirtualList } from './virtual-list.tsx';

export const ROW_HEIGHT = 22;

export interface ConnectionListProps {
  rows: Row[];
  active: number;
  selectedKey: string | null;
  highlighted: ReadonlySet<string>;
  collapsed: ReadonlySet<string>;
  revealToken: number;
  onActive(index: number): void;
  onSelect(index: number): void;
  onToggle(connectionId: string, open: boolean): void;
  empty: string;
}

export function ConnectionList(p: ConnectionListProps): JSX.Element {
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
        const hl = rowAttempts(row).some((a) => p.highlighted.has(a.id));
        return <RowView row={row} id={s.id} active={s.active} selected={row.key === p.selectedKey} highlighted={hl} collapsed={p.collapsed} onToggle={p.onToggle} />;
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
  collapsed: ReadonlySet<string>;
  onToggle(connectionId: string, open: boolean): void;
}

function RowView({ row, id, active, selected, highlighted, collapsed, onToggle }: RowViewProps): JSX.Element {
  const cls = `row row-${row.kind}${active ? ' active' : ''}${selected ? ' selected' : ''}${highlighted ? ' hl' : ''}`;
  const common = { id, role: 'treeitem' as const, class: cls, 'aria-selected': selected, 'data-highlighted': highlighted ? 'true' : undefined };
  switch (row.kind) {
    case 'nav':
      return (
        <div {...common} aria-level={1} data-testid="nav-row">
          <span class="nav-line" aria-hidden="true" />
          <span class="nav-text">Navigated to {redactUrl(row.marker.url)}</span>
          <span class="time">{clock(row.marker.at)}</span>
        </div>
      );
    case 'connection': {
      const c = row.connection;
      const open = !collapsed.has(c.id);
      const steps = row.first?.attempts ?? [];
      return (
        <div {...common} aria-level={1} aria-expanded={row.children > 0 ? open : undefined} data-testid="connection-row" data-connection-id={c.id} data-outcome={c.outcome}>
          <span
            class={`twisty${row.children > 0 ? '' : ' none'}`}
            aria-hidden="true"
            onMouseDown={(e) => { if (row.children > 0) { e.stopPropagation(); e.preventDefault(); onToggle(c.id, !open); } }}
          >{row.children > 0 ? (open ? '▾' : '▸') : ''}</span>
          <span class="time">{clock(c.startedAt)}</span>
          <span class={`badge outcome-${c.outcome}`} data-testid="outcome-badge">{OUTCOME_LABEL[c.outcome]}</span>
          <span class="endpoint" title={endpointText(c.endpoint)}>
            <span class="host">{c.endpoint.host ? `${c.endpoint.host}:${c.endpoint.port}` : '(unknown)'}</span>
            {c.endpoint.prefix ? <span class="prefix" data-testid="prefix">{c.endpoint.prefix}</span> : null}
            <span class="path">{c.endpoint.prefix ? c.endpoint.path.slice(c.endpoint.prefix.length) : c.endpoint.path}</span>
          </span>
          <Steps attempts={steps.length ? steps : c.attempts} />
          {row.children > 0 ? <span class="children-count" title="reconnects and drops">{row.children}</span> : null}
        </div>
      );
    }
    case 'reconnect':
      return (
        <div {...common} aria-level={2} data-testid="reconnect-row">
          <span class="indent" aria-hidden="true">↻</span>
          <span class="time">{clock(row.cascade.attempts[0]!.startedAt)}</span>
          <span class="child-label">reconnect {row.n}</span>
          <Steps attempts={row.cascade.attempts} />
        </div>
      );
    case 'drop':
      return (
        <div {...common} aria-level={2} data-testid="drop-row">
          <span class="indent drop-mark" aria-hidden="true">✕</span>
          <span class="time">{clock(row.drop.at ?? row.drop.attempt.startedAt)}</span>
          <span class="child-label">dropped</span>
          <span class="cascade">{row.drop.text}</span>
        </div>
      );
  }
}

/** "WEBSOCKET failed (status 0, net::ERR_FAILED) → XHR connected (100 OK)", each step coloured by its result. */
function Steps({ attempts }: { attempts: readonly Attempt[] }): JSX.Element {
  // A retry storm can hold hundreds of attempts: the row shows the first few, the details show all.
  const shown = attempts.length > MAX_STEPS ? attempts.slice(0, MAX_STEPS) : attempts;
  return (
    <span class="cascade" data-testid="cascade">
      {shown.map((a, i) => (
        <span key={a.id} class={`step result-${a.result}`} data-testid="step" data-attempt-id={a.id}>
          {i > 0 ? <span class="arrow"> → </span> : null}
          <span class="transport">{a.transport}</span> <span class="result">{a.result}</span> <span class="detail">({stepDetail(a)})</span>
        </span>
      ))}
      {shown.length < attempts.length ? <span class="more"> → … {attempts.length - shown.length} more</span> : null}
    </span>
  );
}

const MAX_STEPS = 8;
