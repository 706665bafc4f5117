// The strip along the top, as in DevTools' Network panel: clear, preserve log, filter, import,
// export, copy, and a live status line for what the last action did.
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';

export type ExportKind = 'json' | 'markdown' | 'har' | 'html';

export interface Status {
  text: string;
  kind: 'ok' | 'error' | 'info';
}

export interface ToolbarProps {
  filter: string;
  preserveLog: boolean;
  status: Status | null;
  canExport: boolean;
  onFilter(text: string): void;
  onClear(): void;
  onPreserveLog(on: boolean): void;
  onImport(file: File): void;
  onExport(kind: ExportKind): void;
  onCopy(): void;
}

export function Toolbar(p: ToolbarProps): JSX.Element {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <div class="toolbar" role="toolbar" aria-label="Diffusion panel tools">
      <button type="button" class="tool icon" onClick={p.onClear} title="Clear" aria-label="Clear" data-testid="clear">
        <span aria-hidden="true">⊘</span>
      </button>
      <span class="sep" aria-hidden="true" />
      <label class="tool check" title="Keep the capture across navigations and mark each one">
        <input type="checkbox" checked={p.preserveLog} onChange={(e) => p.onPreserveLog((e.currentTarget as HTMLInputElement).checked)} data-testid="preserve-log" />
        Preserve log
      </label>
      <span class="sep" aria-hidden="true" />
      <input
        type="search"
        class="filter"
        placeholder="Filter host, path, rule, outcome"
        aria-label="Filter connections and findings"
        value={p.filter}
        onInput={(e) => p.onFilter((e.currentTarget as HTMLInputElement).value)}
        data-testid="filter"
        spellcheck={false}
      />
      <span class="sep" aria-hidden="true" />
      <button type="button" class="tool" onClick={() => picker.current?.click()} title="Import a HAR file (or drop one on the panel)" data-testid="import">
        Import HAR…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".har,.json,application/json"
        class="hidden-input"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="import-file"
        onChange={(e) => {
          const input = e.currentTarget as HTMLInputElement;
          const file = input.files?.[0];
          if (file) p.onImport(file);
          input.value = '';
        }}
      />
      <span class="group" role="group" aria-label="Export">
        <span class="group-label" aria-hidden="true">Export</span>
        <button type="button" class="tool" disabled={!p.canExport} onClick={() => p.onExport('json')} title="Download the JSON report (redacted)" data-testid="export-json">JSON</button>
        <button type="button" class="tool" disabled={!p.canExport} onClick={() => p.onExport('markdown')} title="Download the Markdown report for a ticket (redacted)" data-testid="export-markdown">Markdown</button>
        <button type="button" class="tool" disabled={!p.canExport} onClick={() => p.onExport('har')} title="Download a HAR of the Diffusion requests (redacted)" data-testid="export-har">HAR</button>
        <button type="button" class="tool" disabled={!p.canExport} onClick={() => p.onExport('html')} title="Download one HTML file with this view, read-only, to open in any browser (redacted)" data-testid="export-html">HTML</button>
      </span>
      <button type="button" class="tool" disabled={!p.canExport} onClick={p.onCopy} title="Copy the Markdown report to the clipboard" data-testid="copy-report">
        Copy report
      </button>
      <span class={`status status-${p.status?.kind ?? 'info'}`} role="status" aria-live="polite" data-testid="status">{p.status?.text ?? ''}</span>
    </div>
  );
}
