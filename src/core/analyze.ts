// The core's one entry point: observations in, connections, findings and verdicts out. Pure: no browser, no Node.
import type { Analysis, Observation } from './model.ts';
import { reconstruct } from './reconstruct.ts';
import { runRules } from './rules/index.ts';
import { diagnose } from './diagnose.ts';

export function analyze(observations: readonly Observation[]): Analysis {
  const { connections, context } = reconstruct(observations);
  const findings = runRules(connections, context);
  return { connections, findings, verdicts: diagnose(connections, findings), context };
}
