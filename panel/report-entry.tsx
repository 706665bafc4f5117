// The HTML report's page: the panel's own view, read-only, of the analysis embedded in the file.
// Nothing is captured or imported here: the store holds the embedded analysis and never changes;
// the tools that would change it (clear, preserve log, import, export) are hidden by the page's style.
import { mountPanel, PanelStore, type PanelState } from './index.tsx';
import { REPORT_DATA_ID, type ReportData } from '../src/core/report/html-data.ts';
import { inputSummary } from '../src/core/report/describe.ts';

/** A store whose state is fixed: the report's analysis, with the notes a reader needs. */
class ReportStore extends PanelStore {
  private readonly fixed: PanelState;

  constructor(data: ReportData) {
    super({ throttleMs: 0 });
    const base = super.getState();
    const m = data.meta;
    this.fixed = {
      ...base,
      analysis: data.analysis,
      observationCount: data.observations,
      analyzeMs: data.analyzeMs,
      imports: m.entries > 0 || m.file
        ? [{ name: m.file ?? 'capture', at: data.createdAt, read: data.observations, entries: m.entries, skipped: m.skipped, unrelated: m.unrelated ?? 0, warnings: [...(m.warnings ?? [])], error: null }]
        : [],
    };
  }

  override getState(): PanelState {
    return this.fixed;
  }
}

function banner(data: ReportData): HTMLElement {
  const el = document.createElement('header');
  el.className = 'report-banner';
  el.setAttribute('data-testid', 'report-banner');
  const when = new Date(data.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  const source = data.meta.file ?? (data.meta.live ? 'a live capture' : 'a capture');
  el.textContent = `Diffusion connection report of ${source} (${inputSummary(data.meta)}), made by dci ${data.meta.version} on ${when} UTC. Read-only; ${data.includeSecrets ? 'SECRETS INCLUDED: do not share' : 'secrets redacted'}.`;
  return el;
}

const raw = document.getElementById(REPORT_DATA_ID)?.textContent ?? '';
const root = document.getElementById('root')!;
try {
  const data = JSON.parse(raw) as ReportData;
  if (data.schema !== 1) throw new Error(`unknown report schema ${String(data.schema)}`);
  document.body.insertBefore(banner(data), root);
  mountPanel(root, new ReportStore(data), { version: data.meta.version });
} catch (e) {
  root.textContent = `This report could not be read: ${e instanceof Error ? e.message : String(e)}`;
}
