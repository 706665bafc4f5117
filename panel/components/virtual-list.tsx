// A keyboard-navigable list that renders only the rows in view (fixed row height), so 10k rows cost
// the same DOM as 30. Focus stays on the list element; the active row is announced with
// aria-activedescendant and always scrolled into view, so it is always rendered.
import type { ComponentChildren, JSX } from 'preact';
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

const OVERSCAN = 6;

export function VirtualList(p: VirtualListProps): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
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

  // Keep the active row in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || p.active < 0) return;
    const top = p.active * p.rowHeight;
    const bottom = top + p.rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    setScrollTop(el.scrollTop);
  }, [p.active, p.revealToken, p.count]);

  const first = Math.max(0, Math.floor(scrollTop / p.rowHeight) - OVERSCAN);
  const last = Math.min(p.count, Math.ceil((scrollTop + height) / p.rowHeight) + OVERSCAN);
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

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    const id = `${p.idPrefix}-${i}`;
    rows.push(
      <div
        key={i}
        role="none"
        class="vrow"
        style={{ top: `${i * p.rowHeight}px`, height: `${p.rowHeight}px` }}
        onMouseDown={(e) => { e.preventDefault(); scroller.current?.focus(); p.onActive(i); p.onSelect(i); }}
      >
        {p.renderRow(i, { active: i === p.active, id })}
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
      onKeyDown={onKeyDown}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      {p.count === 0 && p.empty ? <div class="vlist-empty">{p.empty}</div> : null}
      <div class="vlist-spacer" role="none" style={{ height: `${p.count * p.rowHeight}px` }}>{rows}</div>
    </div>
  );
}
