// The core's one entry point: observations in, connections and findings out. Pure: no browser, no Node.
import type { Analysis, Observation } from './model.ts';
import { reconstruct } from './reconstruct.ts';
import { runRules } from './rules/index.ts';

export function analyze(observations: readonly Observation[]): Analysis {
  const { connections, context } = reconstruct(observations);
  return { connections, findings: runRules(connections, context), context };
}
