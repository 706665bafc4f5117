// A draggable divider between two regions. It sets the share of its container that the region
// before it takes (0.15–0.85); the container's flex direction says whether it drags across or down,
// so one splitter serves the wide (side by side) and the narrow (stacked) layout. Arrow keys move it
// too, so the layout can be changed without a pointer.
import type { JSX } from 'preact';

export interface SplitterProps {
  label: string;
  value: number;
  onChange(share: number): void;
}

const MIN = 0.15;
const MAX = 0.85;
const clamp = (x: number): number => Math.min(MAX, Math.max(MIN, x));

export function Splitter(p: SplitterProps): JSX.Element {
  function across(el: HTMLElement): boolean {
    const parent = el.parentElement;
    return parent ? getComputedStyle(parent).flexDirection.startsWith('row') : true;
  }

  function onPointerDown(e: PointerEvent): void {
    const el = e.currentTarget as HTMLElement;
    const parent = el.parentElement;
    if (!parent || e.button !== 0) return;
    e.preventDefault();
    el.setPointerCapture?.(e.pointerId);
    const horizontal = across(el);
    const move = (m: PointerEvent): void => {
      const r = parent.getBoundingClientRect();
      p.onChange(clamp(horizontal ? (m.clientX - r.left) / r.width : (m.clientY - r.top) / r.height));
    };
    const up = (): void => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
  }

  function onKeyDown(e: KeyboardEvent): void {
    const horizontal = across(e.currentTarget as HTMLElement);
    const step = e.key === (horizontal ? 'ArrowLeft' : 'ArrowUp') ? -0.05 : e.key === (horizontal ? 'ArrowRight' : 'ArrowDown') ? 0.05 : 0;
    if (step === 0) return;
    e.preventDefault();
    p.onChange(clamp(p.value + step));
  }

  return (
    <div
      class="splitter"
      role="separator"
      aria-label={p.label}
      aria-valuemin={MIN * 100}
      aria-valuemax={MAX * 100}
      aria-valuenow={Math.round(p.value * 100)}
      tabIndex={0}
      data-testid="splitter"
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
