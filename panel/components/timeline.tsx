// Attempts, reconnects and drops on one time axis, one lane per connection (lanes in view only).
// A mirror of the list for the eye: clicking a mark selects it; ↑/↓ walk the lanes from the keyboard.
// Labels carry the date when the capture spans more than one day.
import type { JSX } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Attempt, Connection } from '../../src/core/model.ts';
import { clock, datedClock, OUTCOME_LABEL, stepText } from '../view/describe.ts';
import type { Reveal } from '../../src/core/report/describe.ts';

export interface TimelineProps {
  connections: readonly Connection[];
  selectedConnection: string | null;
  selectedAttempt: string | null;
  highlighted: ReadonlySet<string>;
  /** Removes what the capture taught is secret from every text shown. */
  redact: Reveal;
  onSelect(connectionId: string, attemptId: string | null): void;
}

const LANE = 16;
const MAX_TICKS = 5;
/** Matches --lane-label in panel.css. */
const LABEL_PX = 44;
/** Room one "12:34:56.789" label needs at the axis' font size, alone and with a gap to the next. */
const LABEL_TEXT_PX = 76;
const TICK_PX = 90;

/**
 * How many time labels fit the track without overlapping: the first is left-aligned and the last
 * right-aligned, so two need two labels' room; a narrow docked DevTools shows only the start, and
 * a track too narrow for one label none (the header still gives the span).
 */
export function tickCount(axisWidth: number, dated = false): number {
  const track = axisWidth - LABEL_PX;
  // "01-15 " before the clock: six more characters of about 6 px
  const text = LABEL_TEXT_PX + (dated ? 36 : 0);
  const tick = TICK_PX + (dated ? 36 : 0);
  if (track < text) return 0;
  if (track < 2 * tick) return 1;
  return Math.min(MAX_TICKS, Math.floor(track / tick));
}

interface Range { from: number; to: number }

/** When an established session ended, as far as the capture shows. */
// Called for every attempt of every update (rangeOf): no arrays made here.
function sessionEnd(a: Attempt): number | null {
  const closed = a.closedAt;
  const polled = a.polls?.lastAt ?? null;
  if (closed === null) return polled;
  return polled === null ? closed : Math.max(closed, polled);
}

function rangeOf(connections: readonly Connection[]): Range | null {
  let from = Infinity;
  let to = -Infinity;
  for (const c of connections) {
    for (const a of c.attempts) {
      if (a.startedAt > 0) from = Math.min(from, a.startedAt);
      to = Math.max(to, a.startedAt, a.endedAt ?? 0, sessionEnd(a) ?? 0);
    }
  }
  if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
  if (to - from < 100) to = from + 100;
  return { from, to };
}

export function Timeline(p: TimelineProps): JSX.Element {
  const range = useMemo(() => rangeOf(p.connections), [p.connections]);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(120);
  const axis = useRef<HTMLDivElement>(null);
  const [axisWidth, setAxisWidth] = useState(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    const ax = axis.current;
    if (!el || !ax) return;
    setHeight(el.clientHeight || 120);
    setAxisWidth(ax.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      setHeight(el.clientHeight || 120);
      setAxisWidth(ax.clientWidth);
    });
    ro.observe(el);
    ro.observe(ax);
    return () => ro.disconnect();
  }, []);
  const dated = range !== null && new Date(range.from).toDateString() !== new Date(range.to).toDateString();
  const label = dated ? datedClock : clock;
  const ticks = tickCount(axisWidth, dated);

  // Bring the selected connection's lane into view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !p.selectedConnection) return;
    const i = p.connections.findIndex((c) => c.id === p.selectedConnection);
    if (i < 0) return;
    const top = i * LANE;
    if (top < el.scrollTop || top + LANE > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 2);
      setScrollTop(el.scrollTop);
    }
  }, [p.selectedConnection, p.connections]);

  const pos = (t: number): number => (range ? ((t - range.from) / (range.to - range.from)) * 100 : 0);
  const first = Math.max(0, Math.floor(scrollTop / LANE) - 4);
  const last = Math.min(p.connections.length, Math.ceil((scrollTop + height) / LANE) + 4);

  const lanes: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    const c = p.connections[i]!;
    lanes.push(
      <div
        key={c.id}
        id={`dci-lane-${c.id}`}
        role="option"
        aria-selected={c.id === p.selectedConnection}
        aria-label={laneLabel(c)}
        class={`lane${c.id === p.selectedConnection ? ' selected' : ''}`}
        style={{ top: `${i * LANE}px` }}
        data-testid="timeline-lane"
        data-connection-id={c.id}
        onClick={() => p.onSelect(c.id, null)}
      >
        <span class="lane-label">{c.id}</span>
        <div class="track">
          {c.attempts.map((a) => <Marks key={a.id} attempt={a} connection={c} pos={pos} {...p} />)}
        </div>
      </div>,
    );
  }

  return (
    <section class="pane timeline-pane" aria-label="Timeline" data-testid="timeline">
      <header class="pane-title">
        Timeline
        {range ? <span class="axis-span" data-testid="timeline-span">{label(range.from)} – {label(range.to)}</span> : null}
        <span class="legend" aria-hidden="true">
          <span class="mark result-connected" /> connected <span class="mark result-rejected" /> rejected <span class="mark result-failed" /> failed <span class="mark reconnect" /> reconnect <span class="drop-legend">✕</span> drop
        </span>
      </header>
      <div ref={axis} class="axis" aria-hidden="true" data-testid="timeline-axis">
        {range ? Array.from({ length: ticks }, (_, k) => {
          const f = ticks > 1 ? k / (ticks - 1) : 0;
          const t = range.from + (range.to - range.from) * f;
          return <span key={k} class="tick" data-testid="timeline-tick" style={{ left: `calc(var(--lane-label) + (100% - var(--lane-label)) * ${f})` }}>{label(t)}</span>;
        }) : null}
      </div>
      <div
        ref={scroller}
        class="lanes"
        role="listbox"
        aria-label="Timeline: one lane per connection"
        aria-activedescendant={p.selectedConnection && p.connections.some((c) => c.id === p.selectedConnection) ? `dci-lane-${p.selectedConnection}` : undefined}
        tabIndex={0}
        data-testid="timeline-lanes"
        onKeyDown={(e) => {
          // Up and down walk the connections' lanes, selecting each as the connection list does.
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          if (p.connections.length === 0) return;
          const at = p.connections.findIndex((c) => c.id === p.selectedConnection);
          const next = at < 0 ? 0 : Math.max(0, Math.min(p.connections.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
          p.onSelect(p.connections[next]!.id, null);
        }}
        onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
      >
        <div class="lanes-spacer" style={{ height: `${p.connections.length * LANE}px` }}>{lanes}</div>
      </div>
    </section>
  );
}

interface MarksProps extends TimelineProps {
  attempt: Attempt;
  connection: Connection;
  pos(t: number): number;
}

function Marks({ attempt: a, connection: c, pos, selectedAttempt, highlighted, redact, onSelect }: MarksProps): JSX.Element {
  const left = pos(a.startedAt);
  const width = Math.max(0, pos(a.endedAt ?? a.startedAt) - left);
  const hl = highlighted.has(a.id);
  const end = a.result === 'connected' ? sessionEnd(a) : null;
  const cls = `mark result-${a.result}${a.reconnect ? ' reconnect' : ''}${a.id === selectedAttempt ? ' selected' : ''}${hl ? ' hl' : ''}`;
  const pick = (e: MouseEvent) => { e.stopPropagation(); onSelect(c.id, a.id); };
  return (
    <>
      {end !== null && a.endedAt !== null && end > a.endedAt ? (
        <span class="session" style={{ left: `${pos(a.endedAt)}%`, width: `${pos(end) - pos(a.endedAt)}%` }} />
      ) : null}
      <span
        class={cls}
        style={{ left: `${left}%`, width: `${width}%` }}
        title={`${clock(a.startedAt)} ${redact.text(stepText(a))}${a.reconnect ? ' (reconnect)' : ''}`}
        data-testid="timeline-mark"
        data-attempt-id={a.id}
        data-highlighted={hl ? 'true' : undefined}
        onClick={pick}
      />
      {a.result === 'connected' && a.closedAt !== null ? (
        <span class="drop" style={{ left: `${pos(a.closedAt)}%` }} title={`${clock(a.closedAt)} dropped${a.closeCode !== null ? ` (close code ${a.closeCode})` : ''}`} data-testid="timeline-drop">✕</span>
      ) : null}
    </>
  );
}

/** What a screen reader says for a lane: the connection, its outcome, and each attempt with its time. */
function laneLabel(c: Connection): string {
  return `${c.id} ${OUTCOME_LABEL[c.outcome]}: ${c.attempts.map((a) => `${a.transport} ${a.result} at ${clock(a.startedAt)}`).join(', ')}`;
}
