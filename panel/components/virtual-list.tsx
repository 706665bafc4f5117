// A keyboard-navigable list that renders only the rows in view (fixed row height), so 10k rows cost
// the same DOM as 30. Focus stays on the list element; the active row is announced with
// aria-activedescendant and always scrolled into view, so it is always rendered.
//
// Scrolling is the hot path. The rendered rows are a fixed pool keyed by their place in the window,
// not by item, so a scroll step patches the text of the same elements instead of removing and
// creating rows; the window moves as one block by transform; rows are fixed-height layout and paint
// boundaries (panel.css); and a scroll re-renders only when the first row in view changes.
import { Component, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** Row index that has keyboard focus (-1: none). */
  active: number;
  onActive(index: number): void;
  /** Enter, Space or click on a row. */
  onSelect(index: number): void;
  /** Extra keys (ArrowLeft/ArrowRight for trees); return true when handled. */
  onKey?(key: string, index: number): boolean;
  /** Called for every row in the window on every render: return a `Memo` row so unchanged rows cost nothing. */
  renderRow(index: number, state: { active: boolean; id: string }): ComponentChildren;
  role: 'listbox' | 'tree';
  label: string;
  idPrefix: string;
  testid: string;
  /** Changing this scrolls `active` into view even when it did not change (a finding picked elsewhere). */
  revealToken?: number;
  class?: string;
  empty?: ComponentChildren;
}

// Rows rendered beyond each edge of the view: enough for a wheel notch or an arrow key to land on
// rendered rows, few enough that a long jump patches little more than a screen.
const OVERSCAN = 3;

export function VirtualList(p: VirtualListProps): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  // The first row in view: scrolling within a row changes nothing rendered, so it is not state.
  const [start, setStart] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight || 400);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 400));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // One read of scrollTop per scroll event (Chromium sends at most one a frame), then state;
  // passive since a list never cancels scrolling.
  const rowHeight = useRef(p.rowHeight);
  rowHeight.current = p.rowHeight;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const on = (): void => setStart(Math.floor(el.scrollTop / rowHeight.current));
    el.addEventListener('scroll', on, { passive: true });
    return () => el.removeEventListener('scroll', on);
  }, []);

  // Keep the active row in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || p.active < 0) return;
    const top = p.active * p.rowHeight;
    const bottom = top + p.rowHeight;
    const view = el.clientHeight;
    let scrollTop = el.scrollTop;
    if (top < scrollTop) el.scrollTop = scrollTop = top;
    else if (bottom > scrollTop + view) el.scrollTop = scrollTop = bottom - view;
    setStart(Math.floor(scrollTop / p.rowHeight));
  }, [p.active, p.revealToken, p.count]);

  const first = Math.max(0, Math.min(start, p.count) - OVERSCAN);
  const last = Math.min(p.count, start + Math.ceil(height / p.rowHeight) + 1 + OVERSCAN);
  const page = Math.max(1, Math.floor(height / p.rowHeight) - 1);

  function onKeyDown(e: KeyboardEvent): void {
    if (p.count === 0) return;
    const at = p.active < 0 ? 0 : p.active;
    let next = -1;
    switch (e.key) {
      case 'ArrowDown': next = p.active < 0 ? 0 : Math.min(p.count - 1, at + 1); break;
      case 'ArrowUp': next = Math.max(0, at - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = p.count - 1; break;
      case 'PageDown': next = Math.min(p.count - 1, at + page); break;
      case 'PageUp': next = Math.max(0, at - page); break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        p.onSelect(at);
        return;
      default:
        if (p.onKey?.(e.key, at)) e.preventDefault();
        return;
    }
    e.preventDefault();
    p.onActive(next);
  }

  // One listener for all rows, so a row's handler never changes as its element is reused.
  function onMouseDown(e: MouseEvent): void {
    const row = (e.target as Element).closest<HTMLElement>('.vrow');
    const i = Number(row?.dataset['index']);
    if (!row || !Number.isInteger(i)) return;
    e.preventDefault();
    scroller.current?.focus();
    p.onActive(i);
    p.onSelect(i);
  }

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    // Keyed by slot in the window: the element in slot k shows whichever row is k-th in view.
    rows.push(
      <div key={i - first} role="none" class="vrow" data-index={i}>
        {p.renderRow(i, { active: i === p.active, id: `${p.idPrefix}-${i}` })}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      class={`vlist ${p.class ?? ''}`}
      role={p.role}
      aria-label={p.label}
      aria-activedescendant={p.active >= 0 && p.active < p.count ? `${p.idPrefix}-${p.active}` : undefined}
      tabIndex={0}
      data-testid={p.testid}
      style={{ '--row-h': `${p.rowHeight}px` }}
      onKeyDown={onKeyDown}
    >
      {p.count === 0 && p.empty ? <div class="vlist-empty">{p.empty}</div> : null}
      <div class="vlist-spacer" role="none" style={{ height: `${p.count * p.rowHeight}px` }}>
        <div class="vlist-window" role="none" style={{ transform: `translateY(${first * p.rowHeight}px)` }} onMouseDown={onMouseDown}>{rows}</div>
      </div>
    </div>
  );
}

/**
 * A row component that re-renders only when a prop changes (compared with ===), as preact/compat's
 * memo does without pulling in compat. Give it cheap props: booleans and strings, the item itself,
 * callbacks that stay the same.
 */
export function Memo<P extends object>(render: (props: P) => JSX.Element): (props: P) => JSX.Element {
  class Row extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>;
      const now = next as Record<string, unknown>;
      for (const k in now) if (now[k] !== prev[k]) return true;
      for (const k in prev) if (!(k in now)) return true;
      return false;
    }
    override render(props: P): JSX.Element {
      return render(props);
    }
  }
  return Row as unknown as (props: P) => JSX.Element;
}
