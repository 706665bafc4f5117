// Analyses for the report tests: real ones from the HAR fixtures, and one carrying a verdict built
// by hand from its findings (the shape `diagnose` produces), so each format's verdict rendering is
// tested before and after diagnose lands.
import { analyze } from '../analyze.ts';
import type { Analysis, Verdict } from '../model.ts';
import { readHarText } from '../../sources/har/read.ts';
import { har, wsFailed } from '../../sources/har/test-fixtures.ts';
import type { ReportMeta } from './describe.ts';

export const META: ReportMeta = { version: '9.9.9', file: 'capture.har', entries: 7, skipped: 0, unrelated: 1, warnings: [] };

export function analysisOf(h: unknown): Analysis {
  return analyze(readHarText(JSON.stringify(h)).observations);
}

export const VERDICT_TITLE = 'WebSocket blocked and no fallback: the client ran out of transports';
export const VERDICT_EVIDENCE = 'a1 WEBSOCKET wss://push.example.com:443/lb/diffusion: WebSocket error, no HTTP status';

/** A failed WebSocket with no fallback, explained by one verdict whose cause is websocket-unavailable. */
export function analysisWithVerdict(): Analysis {
  const a = analysisOf(har([wsFailed()]));
  const cause = a.findings.find((f) => f.rule === 'websocket-unavailable')!;
  const verdict: Verdict = {
    id: 'websocket-unavailable#1',
    rule: cause.rule,
    severity: 'error',
    title: VERDICT_TITLE,
    message: cause.message,
    evidence: [VERDICT_EVIDENCE],
    fix: cause.fix,
    connections: ['c1'],
    attempts: ['a1'],
    causes: [cause],
    // Everything but no-fallback-transport: that one stays outside, as a finding of its own.
    consequences: a.findings.filter((f) => f !== cause && f.rule !== 'no-fallback-transport'),
  };
  return { ...a, verdicts: [verdict] };
}
