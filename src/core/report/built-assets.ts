// The HTML report's page script as the build embedded it (scripts/build.ts defines
// __DCI_REPORT_ASSETS__ for dci and for the extension's panel); null in an unbuilt run.
import type { ReportAssets } from './html.ts';

declare const __DCI_REPORT_ASSETS__: ReportAssets | undefined;

export function builtReportAssets(): ReportAssets | null {
  return typeof __DCI_REPORT_ASSETS__ === 'object' && __DCI_REPORT_ASSETS__ !== null ? __DCI_REPORT_ASSETS__ : null;
}
