// The core's one entry point: observations in, connections and findings out. Pure: no browser, no Node.
import type { Analysis, Observation } from './model.ts';
import { reconstruct } from './reconstruct.ts';
import { runRules } from './rules/index.ts';

export function analyze(observations: readonly Observation[]): Analysis {
  const { connections, context } = reconstruct(observations);
  // Verdicts come from the diagnosis step, which groups findings by root cause.
  return { connections, findings: runRules(connections, context), verdicts: [], context };
}
