// What the HTML report's page reads from its data block: shared by the writer (html.ts) and the
// page (panel/report-entry.tsx), which must not bundle the writer.
import type { Analysis } from '../model.ts';
import type { ReportMeta } from './describe.ts';

/** What the page reads from its data block. */
export interface ReportData {
  schema: 1;
  meta: ReportMeta;
  analysis: Analysis;
  /** Observations the analysis was made from, and how long it took (shown in the panel's totals). */
  observations: number;
  analyzeMs: number;
  /** When the report was made, epoch ms. */
  createdAt: number;
  includeSecrets: boolean;
}

export const REPORT_DATA_ID = 'dci-report-data';
