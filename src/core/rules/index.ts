// The rule catalogue. A rule is one file exporting a Rule; registering it is one import and one
// entry in `rules`. Rule ids are a public contract: each equals its file name.
import type { AnalysisContext, Connection, Finding, Rule, Severity } from '../model.ts';
import { connectionRejected } from './connection-rejected.ts';
import { corsPreflightFailed } from './cors-preflight-failed.ts';
import { credentialsInUrl } from './credentials-in-url.ts';
import { credentialsOverInsecureTransport } from './credentials-over-insecure-transport.ts';
import { duplicatedDiffusionSuffix } from './duplicated-diffusion-suffix.ts';
import { idleTimeoutDisconnect } from './idle-timeout-disconnect.ts';
import { missingDiffusionSuffix } from './missing-diffusion-suffix.ts';
import { mixedContentBlocked } from './mixed-content-blocked.ts';
import { noFallbackTransport } from './no-fallback-transport.ts';
import { pathPrefixMismatch } from './path-prefix-mismatch.ts';
import { protocolVersionMismatch } from './protocol-version-mismatch.ts';
import { retryAfterFatalRejection } from './retry-after-fatal-rejection.ts';
import { retryStorm } from './retry-storm.ts';
import { schemePortMismatch } from './scheme-port-mismatch.ts';
import { secureToInsecureCascade } from './secure-to-insecure-cascade.ts';
import { sessionAffinityLost } from './session-affinity-lost.ts';
import { transportsExhausted } from './transports-exhausted.ts';
import { websocketUnavailable } from './websocket-unavailable.ts';
import { notDiffusionEndpoint } from './not-diffusion-endpoint.ts';
import { upstreamUnreachable } from './upstream-unreachable.ts';
import { missingPathPrefix } from './missing-path-prefix.ts';
import { sessionLostOnFailover } from './session-lost-on-failover.ts';
import { recoveredRejection } from './recovered-rejection.ts';
import { homesOfFindings } from './facts.ts';
import { sessionInWorker } from './session-in-worker.ts';

export const rules: readonly Rule[] = [
  missingDiffusionSuffix,
  duplicatedDiffusionSuffix,
  secureToInsecureCascade,
  mixedContentBlocked,
  websocketUnavailable,
  noFallbackTransport,
  transportsExhausted,
  connectionRejected,
  retryAfterFatalRejection,
  sessionAffinityLost,
  corsPreflightFailed,
  credentialsOverInsecureTransport,
  credentialsInUrl,
  idleTimeoutDisconnect,
  protocolVersionMismatch,
  retryStorm,
  schemePortMismatch,
  pathPrefixMismatch,
  notDiffusionEndpoint,
  upstreamUnreachable,
  missingPathPrefix,
  sessionLostOnFailover,
  recoveredRejection,
  sessionInWorker,
];

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Where a finding sits in the capture: the earliest (connection, attempt) it points at, else its
 * connection, else after everything.
 */
function positions(connections: readonly Connection[]): (f: Finding) => readonly [number, number] {
  const homesOf = homesOfFindings(connections);
  const ofConnection = new Map<string, number>();
  connections.forEach((c, connectionIndex) => ofConnection.set(c.id, connectionIndex));
  return (f) => {
    const first = homesOf(f.attempts).first;
    if (first) return first;
    const ci = f.connection === null ? undefined : ofConnection.get(f.connection);
    return ci === undefined ? [Infinity, Infinity] : [ci, -1];
  };
}

/** Run every rule; findings sorted by severity (error, warning, info), then by connection and attempt order. */
export function runRules(connections: readonly Connection[], context: AnalysisContext, catalogue: readonly Rule[] = rules): Finding[] {
  const findings = catalogue.flatMap((rule) => rule.check(connections, context));
  const position = positions(connections);
  const keyed = findings.map((f, i) => ({ f, i, rank: SEVERITY_RANK[f.severity], pos: position(f) }));
  keyed.sort((x, y) => x.rank - y.rank || x.pos[0] - y.pos[0] || x.pos[1] - y.pos[1] || x.i - y.i);
  return keyed.map((k) => k.f);
}
