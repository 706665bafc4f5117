// Which findings a report still lists on their own once the verdicts have told their story.
import type { Analysis, Finding } from '../model.ts';

/** Findings no verdict accounts for (all of them when there are no verdicts). */
export function findingsOutsideVerdicts(analysis: Analysis): Finding[] {
  const told = new Set<Finding>();
  for (const v of analysis.verdicts) for (const f of [...v.causes, ...v.consequences]) told.add(f);
  const key = (f: Finding) => `${f.rule}|${f.connection ?? ''}|${f.attempts.join(',')}`;
  const toldKeys = new Set([...told].map(key));
  return analysis.findings.filter((f) => !told.has(f) && !toldKeys.has(key(f)));
}
