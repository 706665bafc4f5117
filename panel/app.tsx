// The panel: toolbar and notes on top; connections and timeline on the left; verdicts (or findings)
// and details on the right; stacked in one column when the panel is narrow (docked right). Draggable
// splitters between the regions, one scroll area in each. Holds only view state (filter, selection,
// folding, split sizes); everything shown comes from the store.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { PanelStore, type PanelState } from './store.ts';
import { buildIndexes, buildRows, filterConnections, findingMatches, normaliseFilter, rowConnection, type Row } from './view/rows.ts';
import { issuesOf } from './view/issues.ts';
import { Splitter } from './components/splitter.tsx';
import { ConnectionList } from './components/connection-list.tsx';
import { Timeline } from './components/timeline.tsx';
import { Findings } from './components/findings.tsx';
import { Details } from './components/details.tsx';
import { Toolbar, type ExportKind, type Status } from './components/toolbar.tsx';
import { Notes } from './components/notes.tsx';
import { AccessBanner } from './components/access.tsx';
import { SiteNote } from './components/site.tsx';
import { importHarBlob } from './io/import-har.ts';
import { harExport, htmlExport, jsonExport, markdownExport, reportMeta } from './io/exports.ts';
import { copyText } from './io/clipboard.ts';
import { download, stamp } from './io/download.ts';
import { revealer } from '../src/core/report/describe.ts';

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

/** An imported HAR file: its own capture, beside the live one, never merged into it. */
interface Capture {
  id: number;
  name: string;
  store: PanelStore;
}

export function App({ store: live, theme, version }: AppProps): JSX.Element {
  const [captures, setCaptures] = useState<Capture[]>([]);
  const [current, setCurrent] = useState<number | null>(null);
  const store = (current !== null ? captures.find((c) => c.id === current)?.store : undefined) ?? live;
  const liveState = useStore(live);
  const state = useStore(store);
  const resolvedTheme = usePreferredTheme(theme);
  const [filter, setFilter] = useState('');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [activeRow, setActiveRow] = useState(-1);
  const [pickedFinding, setPickedFinding] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [reveal, setReveal] = useState(0);
  const [status, setStatus] = useState<Status | null>(null);
  const [dragging, setDragging] = useState(false);
  // Shares of the splits: left column (wide) or top half (narrow), connections over timeline, verdicts over details.
  const [split, setSplit] = useState({ cols: 0.58, left: 0.72, right: 0.45 });

  const analysis = state.analysis;
  // Everything shown goes through what the capture taught is secret, as the exports do: the
  // knowledge grows with the observations, each of which also brings a new analysis.
  const redact = useMemo(() => revealer({ secrets: store.getSecrets() }), [store, analysis, state.navigations]);
  const needle = normaliseFilter(filter);
  const idx = useMemo(() => buildIndexes(analysis), [analysis]);
  const connections = useMemo(() => filterConnections(analysis, needle, idx), [analysis, needle, idx]);
  const rows = useMemo(() => buildRows(connections, state.navigations, collapsed), [connections, state.navigations, collapsed]);
  const findings = useMemo(() => analysis.findings.filter((f) => findingMatches(f, needle, idx)), [analysis, needle, idx]);
  const issues = useMemo(() => issuesOf(analysis, needle, idx), [analysis, needle, idx]);
  const selectedIssue = useMemo(() => (pickedFinding ? issues.find((i) => i.key === pickedFinding) ?? null : null), [issues, pickedFinding]);
  const highlighted = useMemo(() => new Set(selectedIssue?.attempts ?? []), [selectedIssue]);
  // What the filter hides is not shown in the details either.
  const shownIds = useMemo(() => new Set(connections.map((c) => c.id)), [connections]);
  const selectedConnection = selection && shownIds.has(selection.connection) ? idx.connectionById.get(selection.connection) ?? null : null;

  // A cleared or re-analysed capture may no longer hold the selection.
  useEffect(() => {
    if (selection && !idx.connectionById.has(selection.connection)) setSelection(null);
    if (activeRow >= rows.length) setActiveRow(rows.length - 1);
  }, [idx, rows]);

  function selectRow(i: number): void {
    const row: Row | undefined = rows[i];
    setActiveRow(i);
    if (!row) return;
    const c = rowConnection(row);
    if (!c) return;
    const attempt = row.kind === 'reconnect' ? row.cascade.attempts[0]!.id : row.kind === 'drop' ? row.drop.attempt.id : null;
    setSelection({ connection: c.id, attempt, rowKey: row.key });
    // One selection at a time: a verdict stays picked only while its own connection is selected.
    if (selectedIssue && !selectedIssue.connections.includes(c.id)) setPickedFinding(null);
  }

  /** Select a verdict or finding: highlight its attempts and bring the first of them into view. */
  function selectFinding(i: number): void {
    const f = issues[i];
    if (!f) return;
    setPickedFinding(f.key);
    const firstAttempt = f.attempts[0];
    const owner = firstAttempt ? idx.connectionOfAttempt.get(firstAttempt) : undefined;
    const connectionId = f.connections[0] ?? owner?.id ?? null;
    if (!connectionId) {
      setSelection(null);
      return;
    }
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
    if (result.note.error) {
      // Nothing to show: the note goes where the user is, and nothing there changes.
      store.noteImport(result.note);
      setStatus({ text: `Import failed: ${result.note.error}`, kind: 'error' });
      return;
    }
    const capture: Capture = { id: (captures[captures.length - 1]?.id ?? 0) + 1, name: file.name, store: new PanelStore() };
    capture.store.noteImport(result.note);
    capture.store.add(result.observations);
    capture.store.flush();
    setCaptures([...captures, capture]);
    switchTo(capture.id);
    setStatus({ text: `Imported ${file.name}`, kind: 'ok' });
  }

  /** Show another capture (null: the live one); the selection belongs to the capture left. */
  function switchTo(id: number | null): void {
    setCurrent(id);
    setSelection(null);
    setPickedFinding(null);
    setActiveRow(-1);
    setCollapsed(new Set());
    setStatus(null);
  }

  function closeCapture(id: number): void {
    setCaptures(captures.filter((c) => c.id !== id));
    if (current === id) switchTo(null);
  }

  function exportAs(kind: ExportKind): void {
    const meta = reportMeta(state, version, store.getObservations());
    const name = stamp(Date.now());
    try {
      if (kind === 'json') download(`${name}.json`, jsonExport(analysis, meta, store.getObservations()), 'application/json');
      else if (kind === 'markdown') download(`${name}.md`, markdownExport(analysis, meta, store.getObservations()), 'text/markdown');
      else if (kind === 'html') download(`${name}.html`, htmlExport(analysis, meta, state, store.getObservations()), 'text/html');
      else download(`${name}.har`, harExport(store.getObservations(), version), 'application/json');
      setStatus({ text: `Exported ${kind === 'json' ? 'JSON report' : kind === 'markdown' ? 'Markdown report' : kind === 'html' ? 'HTML report' : 'HAR'} (secrets redacted)`, kind: 'ok' });
    } catch (e) {
      setStatus({ text: `Export failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'error' });
    }
  }

  async function copyReport(): Promise<void> {
    const result = await copyText(markdownExport(analysis, reportMeta(state, version, store.getObservations()), store.getObservations()));
    setStatus(result.ok
      ? { text: 'Markdown report copied to the clipboard (secrets redacted)', kind: 'ok' }
      : { text: `Copy failed: ${result.reason}. Use Export → Markdown instead.`, kind: 'error' });
  }

  function clear(): void {
    store.clear();
    setSelection(null);
    setPickedFinding(null);
    setActiveRow(-1);
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
        preserveLog={liveState.preserveLog}
        status={status}
        canExport={state.observationCount > 0}
        onFilter={setFilter}
        onClear={clear}
        onPreserveLog={(on) => live.setPreserveLog(on)}
        onImport={(f) => void importFile(f)}
        onExport={exportAs}
        onCopy={() => void copyReport()}
      />
      {captures.length ? (
        <div class="captures" role="tablist" aria-label="Captures" data-testid="captures">
          <button type="button" role="tab" class="capture-tab" aria-selected={current === null} data-testid="capture-tab" onClick={() => switchTo(null)}>
            Live <span class="count">{liveState.analysis.connections.length}</span>
          </button>
          {captures.map((c) => (
            <span key={c.id} class="capture">
              <button type="button" role="tab" class="capture-tab" aria-selected={current === c.id} data-testid="capture-tab" title={`Imported ${c.name}`} onClick={() => switchTo(c.id)}>
                {c.name}
              </button>
              <button type="button" class="capture-close" aria-label={`Close ${c.name}`} data-testid="capture-close" onClick={() => closeCapture(c.id)}>×</button>
            </span>
          ))}
        </div>
      ) : null}
      <AccessBanner access={liveState.access} />
      <SiteNote site={liveState.site} />
      <Notes state={state} shown={connections.length} redact={redact} />
      <div class="main" style={{ '--split-cols': `${split.cols * 100}%`, '--split-left': `${split.left * 100}%`, '--split-right': `${split.right * 100}%` }}>
        <div class="column column-left">
          <section class="pane connections-pane" aria-label="Connections">
            <header class="pane-title">Connections <span class="count">{connections.length}</span></header>
            <ConnectionList
              rows={rows}
              active={activeRow}
              selectedKey={selection?.rowKey ?? null}
              highlighted={highlighted}
              collapsed={collapsed}
              verdicts={idx.verdictByConnection}
              redact={redact}
              revealToken={reveal}
              onActive={selectRow}
              onSelect={selectRow}
              onToggle={toggle}
              empty={empty}
            />
          </section>
          <Splitter label="Resize the connections and the timeline" value={split.left} onChange={(left) => setSplit({ ...split, left })} />
          <Timeline
            connections={connections}
            selectedConnection={selection?.connection ?? null}
            selectedAttempt={selection?.attempt ?? null}
            highlighted={highlighted}
            redact={redact}
            onSelect={(connection, attempt) => {
              const i = rows.findIndex((r) => r.kind === 'connection' && r.connection.id === connection);
              if (i >= 0) setActiveRow(i);
              setSelection({ connection, attempt, rowKey: connection });
              if (selectedIssue && !selectedIssue.connections.includes(connection)) setPickedFinding(null);
            }}
          />
        </div>
        <Splitter label="Resize the two halves" value={split.cols} onChange={(cols) => setSplit({ ...split, cols })} />
        <div class="column column-right side">
          <Findings
            issues={issues}
            findings={findings}
            selected={selectedIssue?.key ?? null}
            filtered={needle !== ''}
            redact={redact}
            onSelect={selectFinding}
          />
          <Splitter label="Resize the verdicts and the details" value={split.right} onChange={(right) => setSplit({ ...split, right })} />
          <Details
            connection={selectedConnection}
            selectedAttempt={selection?.attempt ?? null}
            highlighted={highlighted}
            findings={selectedConnection ? idx.findingsByConnection.get(selectedConnection.id) ?? [] : []}
            redact={redact}
            onSelectAttempt={(id) => selection && setSelection({ ...selection, attempt: id })}
          />
        </div>
      </div>
      {dragging ? <div class="drop-overlay" aria-hidden="true">Drop a HAR file to import it</div> : null}
    </div>
  );
}
