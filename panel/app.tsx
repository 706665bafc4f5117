// The panel: toolbar and notes on top; connections and timeline on the left; findings and details on
// the right. Holds only view state (filter, selection, folding); everything shown comes from the store.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Finding } from '../src/core/model.ts';
import type { PanelState, PanelStore } from './store.ts';
import { buildIndexes, buildRows, filterConnections, findingMatches, normaliseFilter, rowConnection, type Row } from './view/rows.ts';
import { ConnectionList } from './components/connection-list.tsx';
import { Timeline } from './components/timeline.tsx';
import { Findings } from './components/findings.tsx';
import { Details } from './components/details.tsx';
import { Toolbar, type ExportKind, type Status } from './components/toolbar.tsx';
import { Notes } from './components/notes.tsx';
import { AccessBanner } from './components/access.tsx';
import { SiteNote } from './components/site.tsx';
import { importHarBlob } from './io/import-har.ts';
import { harExport, jsonExport, markdownExport, reportMeta } from './io/exports.ts';
import { copyText } from './io/clipboard.ts';
import { download, stamp } from './io/download.ts';

export type Theme = 'light' | 'dark';

export interface AppProps {
  store: PanelStore;
  /** DevTools' theme; undefined follows prefers-color-scheme. */
  theme?: Theme;
  version: string;
}

interface Selection {
  connection: string;
  attempt: string | null;
  rowKey: string | null;
}

function findingKey(f: Finding): string {
  return `${f.rule}|${f.connection ?? ''}|${f.attempts.join(',')}`;
}

function useStore(store: PanelStore): PanelState {
  const [state, setState] = useState(store.getState());
  useEffect(() => {
    setState(store.getState());
    return store.subscribe(setState);
  }, [store]);
  return state;
}

function usePreferredTheme(explicit: Theme | undefined): Theme {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, []);
  return explicit ?? (dark ? 'dark' : 'light');
}

export function App({ store, theme, version }: AppProps): JSX.Element {
  const state = useStore(store);
  const resolvedTheme = usePreferredTheme(theme);
  const [filter, setFilter] = useState('');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [activeRow, setActiveRow] = useState(-1);
  const [activeFinding, setActiveFinding] = useState(-1);
  const [pickedFinding, setPickedFinding] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [reveal, setReveal] = useState(0);
  const [status, setStatus] = useState<Status | null>(null);
  const [dragging, setDragging] = useState(false);

  const analysis = state.analysis;
  const needle = normaliseFilter(filter);
  const idx = useMemo(() => buildIndexes(analysis), [analysis]);
  const connections = useMemo(() => filterConnections(analysis, needle, idx), [analysis, needle, idx]);
  const rows = useMemo(() => buildRows(connections, state.navigations, collapsed), [connections, state.navigations, collapsed]);
  const findings = useMemo(() => analysis.findings.filter((f) => findingMatches(f, needle, idx)), [analysis, needle, idx]);
  const selectedFinding = useMemo(() => (pickedFinding ? analysis.findings.find((f) => findingKey(f) === pickedFinding) ?? null : null), [analysis, pickedFinding]);
  const highlighted = useMemo(() => new Set(selectedFinding?.attempts ?? []), [selectedFinding]);
  const selectedConnection = selection ? idx.connectionById.get(selection.connection) ?? null : null;

  // A cleared or re-analysed capture may no longer hold the selection.
  useEffect(() => {
    if (selection && !idx.connectionById.has(selection.connection)) setSelection(null);
    if (activeRow >= rows.length) setActiveRow(rows.length - 1);
    if (activeFinding >= findings.length) setActiveFinding(findings.length - 1);
  }, [idx, rows, findings]);

  function selectRow(i: number): void {
    const row: Row | undefined = rows[i];
    setActiveRow(i);
    if (!row) return;
    const c = rowConnection(row);
    if (!c) return;
    const attempt = row.kind === 'reconnect' ? row.cascade.attempts[0]!.id : row.kind === 'drop' ? row.drop.attempt.id : null;
    setSelection({ connection: c.id, attempt, rowKey: row.key });
  }

  /** Select a finding: highlight its attempts and bring the first of them into view. */
  function selectFinding(i: number): void {
    const f = findings[i];
    setActiveFinding(i);
    if (!f) return;
    setPickedFinding(findingKey(f));
    const firstAttempt = f.attempts[0];
    const owner = firstAttempt ? idx.connectionOfAttempt.get(firstAttempt) : undefined;
    const connectionId = f.connection ?? owner?.id ?? null;
    if (!connectionId) return;
    if (collapsed.has(connectionId)) {
      const next = new Set(collapsed);
      next.delete(connectionId);
      setCollapsed(next);
    }
    const all = buildRows(connections, state.navigations, collapsed.has(connectionId) ? new Set([...collapsed].filter((x) => x !== connectionId)) : collapsed);
    const target = new Set(f.attempts);
    let at = all.findIndex((r) => r.kind !== 'nav' && r.kind !== 'connection' && r.connection.id === connectionId && (r.kind === 'reconnect' ? r.cascade.attempts.some((a) => target.has(a.id)) : false));
    if (at < 0) at = all.findIndex((r) => r.kind === 'connection' && r.connection.id === connectionId);
    setSelection({ connection: connectionId, attempt: firstAttempt ?? null, rowKey: all[at]?.key ?? connectionId });
    if (at >= 0) setActiveRow(at);
    setReveal((n) => n + 1);
  }

  function toggle(connectionId: string, open: boolean): void {
    const next = new Set(collapsed);
    if (open) next.delete(connectionId);
    else next.add(connectionId);
    setCollapsed(next);
  }

  async function importFile(file: File): Promise<void> {
    setStatus({ text: `Reading ${file.name}…`, kind: 'info' });
    const result = await importHarBlob(file, file.name);
    store.noteImport(result.note);
    if (result.note.error) {
      setStatus({ text: `Import failed: ${result.note.error}`, kind: 'error' });
      return;
    }
    store.add(result.observations);
    store.flush();
    setStatus({ text: `Imported ${file.name}`, kind: 'ok' });
  }

  function exportAs(kind: ExportKind): void {
    const meta = reportMeta(state, version);
    const name = stamp(Date.now());
    try {
      if (kind === 'json') download(`${name}.json`, jsonExport(analysis, meta), 'application/json');
      else if (kind === 'markdown') download(`${name}.md`, markdownExport(analysis, meta), 'text/markdown');
      else download(`${name}.har`, harExport(store.getObservations(), version), 'application/json');
      setStatus({ text: `Exported ${kind === 'json' ? 'JSON report' : kind === 'markdown' ? 'Markdown report' : 'HAR'} (secrets redacted)`, kind: 'ok' });
    } catch (e) {
      setStatus({ text: `Export failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'error' });
    }
  }

  async function copyReport(): Promise<void> {
    const result = await copyText(markdownExport(analysis, reportMeta(state, version)));
    setStatus(result.ok
      ? { text: 'Markdown report copied to the clipboard (secrets redacted)', kind: 'ok' }
      : { text: `Copy failed: ${result.reason}. Use Export → Markdown instead.`, kind: 'error' });
  }

  function clear(): void {
    store.clear();
    setSelection(null);
    setPickedFinding(null);
    setActiveRow(-1);
    setActiveFinding(-1);
    setStatus(null);
  }

  const empty = state.observationCount === 0
    ? 'No Diffusion traffic yet. Reload the page, or import a HAR file (button above, or drop it here).'
    : needle ? 'No connection matches the filter.' : 'No Diffusion connection in what was captured.';

  return (
    <div
      class={`dci theme-${resolvedTheme}${dragging ? ' dragging' : ''}`}
      data-theme={resolvedTheme}
      data-testid="panel"
      onDragOver={(e) => { if (e.dataTransfer?.types.includes('Files')) { e.preventDefault(); setDragging(true); } }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer?.files[0];
        if (file) void importFile(file);
      }}
    >
      <Toolbar
        filter={filter}
        preserveLog={state.preserveLog}
        status={status}
        canExport={state.observationCount > 0}
        onFilter={setFilter}
        onClear={clear}
        onPreserveLog={(on) => store.setPreserveLog(on)}
        onImport={(f) => void importFile(f)}
        onExport={exportAs}
        onCopy={() => void copyReport()}
      />
      <AccessBanner access={state.access} />
      <SiteNote site={state.site} />
      <Notes state={state} shown={connections.length} />
      <div class="main">
        <section class="pane connections-pane" aria-label="Connections">
          <header class="pane-title">Connections <span class="count">{connections.length}</span></header>
          <ConnectionList
            rows={rows}
            active={activeRow}
            selectedKey={selection?.rowKey ?? null}
            highlighted={highlighted}
            collapsed={collapsed}
            revealToken={reveal}
            onActive={setActiveRow}
            onSelect={selectRow}
            onToggle={toggle}
            empty={empty}
          />
        </section>
        <Timeline
          connections={connections}
          selectedConnection={selection?.connection ?? null}
          selectedAttempt={selection?.attempt ?? null}
          highlighted={highlighted}
          onSelect={(connection, attempt) => {
            const i = rows.findIndex((r) => r.kind === 'connection' && r.connection.id === connection);
            if (i >= 0) setActiveRow(i);
            setSelection({ connection, attempt, rowKey: connection });
          }}
        />
        <div class="side">
          <Findings
            findings={findings}
            active={activeFinding}
            selected={selectedFinding}
            revealToken={reveal}
            onActive={setActiveFinding}
            onSelect={selectFinding}
          />
          <Details
            connection={selectedConnection}
            selectedAttempt={selection?.attempt ?? null}
            highlighted={highlighted}
            findings={selectedConnection ? idx.findingsByConnection.get(selectedConnection.id) ?? [] : []}
            onSelectAttempt={(id) => selection && setSelection({ ...selection, attempt: id })}
          />
        </div>
      </div>
      {dragging ? <div class="drop-overlay" aria-hidden="true">Drop a HAR file to import it</div> : null}
    </div>
  );
}
