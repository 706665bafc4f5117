// The exports, all redacted: the JSON contract, the Markdown ticket report and the HTML report (core's
// report formatters), and a HAR holding only the Diffusion requests the panel kept, secrets removed.
import type { Analysis, Headers, Observation, PageObservation, RequestObservation } from '../../src/core/model.ts';
import { KnownSecrets, secretsOfRequests } from '../../src/core/diffusion/secrets.ts';
import { decodeConnectionResponse } from '../../src/core/diffusion/connection-response.ts';
import { mergeRequests, type MergedRequest } from '../../src/core/merge.ts';
import { redactHeaders, redactText, redactUrl } from '../../src/core/diffusion/redact.ts';
import { bytesToBase64 } from '../../src/core/diffusion/bytes.ts';
import { toJsonPieces, toMarkdown, type ReportMeta } from '../../src/core/report/index.ts';
import { toHtmlPieces } from '../../src/core/report/html.ts';
import { thousands } from '../../src/core/rules/format.ts';
import { builtReportAssets } from '../../src/core/report/built-assets.ts';
import type { PanelState } from '../store.ts';

/**
 * What the report says about its input: the imports and the live capture the panel holds. Live
 * requests are counted once however many sources saw them (the observations are needed for that).
 */
export function reportMeta(state: PanelState, version: string, observations: readonly Observation[] = []): ReportMeta {
  const imports = state.imports.filter((n) => !n.error);
  const warnings = imports.flatMap((n) => n.warnings);
  if (state.dropped) warnings.push(`${thousands(state.dropped.count)} observations beyond the panel's cap of ${thousands(state.cap)} were not kept`);
  const liveRequests = observations.filter((o): o is RequestObservation => o.kind === 'request' && o.source !== 'har');
  const live = liveRequests.length > 0 || state.sources.length > 0
    ? { requests: mergeRequests(liveRequests).length, sources: [...new Set([...state.sources.map((s) => s.source), ...liveRequests.map((o) => o.source)])] }
    : undefined;
  return {
    ...(live ? { live } : {}),
    version,
    file: imports.length === 1 && state.sources.length === 0 ? imports[0]!.name : null,
    entries: imports.reduce((n, i) => n + i.entries, 0),
    skipped: imports.reduce((n, i) => n + i.skipped, 0),
    unrelated: imports.reduce((n, i) => n + i.unrelated, 0),
    warnings,
  };
}

/** Secrets of every request held (polls and sends included), removed from the reports too. */
function secretsHeld(observations: readonly Observation[]): KnownSecrets {
  return secretsOfRequests(observations.filter((o): o is RequestObservation => o.kind === 'request'));
}

/** The JSON report in pieces (a connection each), for a Blob: a big capture is never one string. */
export function jsonExport(analysis: Analysis, meta: ReportMeta, observations: readonly Observation[] = []): string[] {
  return toJsonPieces(analysis, meta, { secrets: secretsHeld(observations) });
}

export function markdownExport(analysis: Analysis, meta: ReportMeta, observations: readonly Observation[] = []): string {
  return toMarkdown(analysis, meta, { secrets: secretsHeld(observations) });
}

/** One HTML file with the panel's view of this analysis, read-only and redacted (see core's html.ts), in pieces. */
export function htmlExport(analysis: Analysis, meta: ReportMeta, state: Pick<PanelState, 'observationCount' | 'analyzeMs'>, observations: readonly Observation[] = []): string[] {
  const assets = builtReportAssets();
  if (!assets) throw new Error('this build has no HTML report page (npm run build makes one)');
  return toHtmlPieces({ analysis, meta, observations: state.observationCount, analyzeMs: state.analyzeMs }, assets, { secrets: secretsHeld(observations) });
}

// The connection response: [35, version, code, 16 bytes session id, 24 bytes token, …]. The token
// resumes the session, so the export keeps the layout (it still decodes) and overwrites the token.
const TOKEN_START = 19;
const TOKEN_END = 43;
const TOKEN_FILL = 0x2a; // '*'

function withoutToken(body: Uint8Array): Uint8Array {
  if (body.length < TOKEN_END || body[0] !== 35) return body;
  const copy = body.slice();
  copy.fill(TOKEN_FILL, TOKEN_START, TOKEN_END);
  return copy;
}

function harHeaders(h: Headers | undefined, secrets: KnownSecrets): { name: string; value: string }[] {
  if (!h) return [];
  return Object.entries(redactHeaders(h)).flatMap(([name, value]) => value.split('\n').map((v) => ({ name, value: secrets.redact(redactText(v)) })));
}

function iso(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

function isHandshake(r: MergedRequest): boolean {
  return r.transport === 'WEBSOCKET' || (r.requestHeaders?.['m'] ?? '').trim() === '0';
}

function harEntry(r: MergedRequest, pageIds: Map<string, string>, secrets: KnownSecrets): Record<string, unknown> {
  const time = r.endedAt !== undefined ? Math.max(0, r.endedAt - r.startedAt) : 0;
  const response: Record<string, unknown> = {
    status: r.status ?? 0,
    statusText: '',
    httpVersion: '',
    headers: harHeaders(r.responseHeaders, secrets),
    cookies: [],
    content: { size: 0, mimeType: '' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
  };
  if (r.error) response['_error'] = secrets.redact(redactText(r.error));
  const entry: Record<string, unknown> = {
    startedDateTime: iso(r.startedAt),
    time,
    request: {
      method: r.method ?? (r.transport === 'WEBSOCKET' ? 'GET' : 'POST'),
      url: secrets.redact(redactUrl(r.url)),
      httpVersion: '',
      headers: harHeaders(r.requestHeaders, secrets),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: -1,
    },
    response,
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    _resourceType: r.transport === 'WEBSOCKET' ? 'websocket' : r.preflight ? 'preflight' : 'xhr',
    _sources: r.sources,
  };
  const page = r.pageUrl ? pageIds.get(r.pageUrl) : undefined;
  if (page) entry['pageref'] = page;
  // Only handshake answers are kept: poll and send bodies are application data.
  if (r.body && isHandshake(r)) {
    if (r.transport === 'WEBSOCKET') {
      const at = (r.endedAt ?? r.startedAt) / 1000;
      entry['_webSocketMessages'] = r.bodyIsText
        ? [{ type: 'receive', time: at, opcode: 1, data: secrets.redact(redactText(new TextDecoder().decode(r.body))) }]
        : [{ type: 'receive', time: at, opcode: 2, data: bytesToBase64(secrets.maskBytes(withoutToken(r.body))) }];
    } else {
      response['content'] = { size: r.body.length, mimeType: 'text/plain', text: bytesToBase64(secrets.maskBytes(withoutToken(r.body))), encoding: 'base64' };
    }
  }
  return entry;
}

/** A HAR 1.2 of the Diffusion requests held (one entry per request, sources merged), redacted. */
export function harExport(observations: readonly Observation[], version: string): string {
  const pages = observations.filter((o): o is PageObservation => o.kind === 'page');
  const requests = mergeRequests(observations.filter((o) => o.kind === 'request'));
  const secrets = secretsOfRequests(requests);
  // The session token is in the handshake's answer; it also travels in referers and later URLs.
  for (const r of requests) {
    if (r.body && r.body[0] === 35 && isHandshake(r)) secrets.add(decodeConnectionResponse(r.body, null).response?.token);
  }
  const pageIds = new Map<string, string>();
  const harPages = [];
  for (const p of pages) {
    if (pageIds.has(p.url)) continue;
    const id = `page_${pageIds.size + 1}`;
    pageIds.set(p.url, id);
    harPages.push({ startedDateTime: iso(p.startedAt), id, title: secrets.redact(redactUrl(p.url)), pageTimings: {} });
  }
  const log = {
    log: {
      version: '1.2',
      creator: { name: 'Diffusion Connection Inspector', version },
      pages: harPages,
      entries: requests.map((r) => harEntry(r, pageIds, secrets)),
    },
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
