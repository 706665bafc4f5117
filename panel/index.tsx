// The entry the DevTools panel page (and the shell) use: mount the panel UI on an element.
import { render } from 'preact';
import { App, type Theme } from './app.tsx';
import type { PanelStore } from './store.ts';
import css from './panel.css';

export { PanelStore } from './store.ts';
export type { PanelState, StoreOptions, ImportNote, SourceNote, NavigationMarker, DroppedNote } from './store.ts';
export type { Theme } from './app.tsx';

declare const __DCI_VERSION__: string | undefined;

export interface MountOptions {
  /** chrome.devtools.panels.themeName in DevTools; leave out to follow prefers-color-scheme. */
  theme?: Theme;
  /** Shown in reports; defaults to the build's version. */
  version?: string;
}

export interface MountedPanel {
  /** DevTools switched theme. */
  setTheme(theme: Theme | undefined): void;
  unmount(): void;
}

const STYLE_ID = 'dci-panel-style';

function injectStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = css;
  doc.head.appendChild(style);
}

export function mountPanel(element: HTMLElement, store: PanelStore, options: MountOptions = {}): MountedPanel {
  injectStyle(element.ownerDocument);
  const version = options.version ?? (typeof __DCI_VERSION__ === 'string' ? __DCI_VERSION__ : 'dev');
  let theme = options.theme;
  const draw = () => render(<App store={store} theme={theme} version={version} />, element);
  draw();
  return {
    setTheme(next) {
      theme = next;
      draw();
    },
    unmount() {
      render(null, element);
    },
  };
}
