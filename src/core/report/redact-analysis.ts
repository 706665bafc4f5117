// An Analysis with its secrets removed, for outputs that carry the analysis itself (the HTML report
// embeds it for the panel's view): URLs, headers, free text and cookie values redacted as in every
// other output, the session token dropped, and the undecodable response's bytes cut before it.
import type { Analysis, Attempt, Connection, Endpoint, Finding, HandshakeParams, Verdict } from '../model.ts';
import { emptyRecord } from '../records.ts';
import { REDACTED } from '../diffusion/redact.ts';
import { revealer, type ReportOptions, type Reveal } from './describe.ts';

// Bytes 0–18 of a connection response are protocol byte, version, code and session id; the token follows.
const SAFE_RESPONSE_HEX_CHARS = 19 * 2;

// Everything else of an attempt that is text from the page (the path of a URL the client built, the
// principal, session properties, the start of a non-Diffusion answer): redacted by knowledge as free text.
function endpoint(e: Endpoint, r: Reveal): Endpoint {
  return { ...e, host: r.text(e.host), path: r.text(e.path), prefix: r.text(e.prefix) };
}

/** Session properties hold any JSON the page sent: every string, key or value, redacted; nesting bounded. */
function redactValue(v: unknown, r: Reveal, depth = 0): unknown {
  if (typeof v === 'string') return r.text(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(v)) return v.map((x) => redactValue(x, r, depth + 1));
  const out = emptyRecord<unknown>();
  for (const [k, x] of Object.entries(v)) out[r.text(k)] = redactValue(x, r, depth + 1);
  return out;
}

const MAX_DEPTH = 32;

function params(p: HandshakeParams, r: Reveal): HandshakeParams {
  return {
    ...p,
    principal: p.principal === null ? null : r.text(p.principal),
    sessionProperties: redactValue(p.sessionProperties, r) as HandshakeParams['sessionProperties'],
    ...(p.clientType != null ? { clientType: r.text(p.clientType) } : {}),
  };
}

function attempt(a: Attempt, r: Reveal, secrets: boolean): Attempt {
  return {
    ...a,
    ...(a.answerText !== undefined ? { answerText: r.text(a.answerText) } : {}),
    url: r.url(a.url),
    requestHeaders: r.headers(a.requestHeaders),
    responseHeaders: r.headers(a.responseHeaders),
    error: a.error === null ? null : r.text(a.error),
    response: a.response && !secrets ? { ...a.response, token: null } : a.response,
    responseError: a.responseError
      ? { error: r.text(a.responseError.error), hex: secrets ? a.responseError.hex : a.responseError.hex.slice(0, SAFE_RESPONSE_HEX_CHARS) }
      : null,
    pageUrl: a.pageUrl === null ? null : r.url(a.pageUrl),
    cookies: secrets ? a.cookies : Object.fromEntries(Object.entries(a.cookies).map(([name, values]) => [name, values.map(() => REDACTED)])),
    endpoint: endpoint(a.endpoint, r),
    params: secrets ? { ...a.params } : params(a.params, r),
    sources: [...a.sources],
    polls: a.polls ? { ...a.polls, failedStatuses: [...a.polls.failedStatuses] } : null,
  };
}

function finding(f: Finding, r: Reveal): Finding {
  return { ...f, message: r.text(f.message), fix: r.text(f.fix), attempts: [...f.attempts] };
}

function verdict(v: Verdict, r: Reveal): Verdict {
  return {
    ...v,
    title: r.text(v.title),
    message: r.text(v.message),
    evidence: v.evidence.map((e) => r.text(e)),
    fix: r.text(v.fix),
    connections: [...v.connections],
    attempts: [...v.attempts],
    causes: v.causes.map((f) => finding(f, r)),
    consequences: v.consequences.map((f) => finding(f, r)),
  };
}

function connection(c: Connection, r: Reveal, secrets: boolean): Connection {
  return {
    ...c,
    endpoint: endpoint(c.endpoint, r),
    clientVersion: c.clientVersion === null ? null : r.text(c.clientVersion),
    attempts: c.attempts.map((a) => attempt(a, r, secrets)),
    pageUrl: c.pageUrl === null ? null : r.url(c.pageUrl),
  };
}

export function redactAnalysis(analysis: Analysis, opts: ReportOptions = {}): Analysis {
  const { rest, connection: redacted } = analysisRedactor(analysis, opts);
  return { ...rest, connections: analysis.connections.map(redacted) };
}

/**
 * The same in parts: the analysis redacted but for its connections (an empty list in their place),
 * how to redact one connection, so a writer can hold one redacted connection at a time, and the
 * revealer that learnt the analysis's secrets, for the writer's own text.
 */
export function analysisRedactor(analysis: Analysis, opts: ReportOptions = {}): { rest: Analysis; connection: (c: Connection) => Connection; reveal: Reveal } {
  // Learns from the analysis too (response tokens, cookies), as the text and JSON reports do.
  const r = revealer(opts, analysis);
  const secrets = opts.includeSecrets ?? false;
  const rest: Analysis = {
    connections: [],
    findings: analysis.findings.map((f) => finding(f, r)),
    verdicts: analysis.verdicts.map((v) => verdict(v, r)),
    context: {
      pages: analysis.context.pages.map((p) => ({ ...p, url: r.url(p.url), ...(p.clientVersion !== undefined ? { clientVersion: r.text(p.clientVersion) } : {}) })),
      preflights: analysis.context.preflights.map((p) => ({
        ...p,
        url: r.url(p.url),
        error: p.error === null ? null : r.text(p.error),
        requestedHeaders: p.requestedHeaders === null ? null : r.text(p.requestedHeaders),
        allowHeaders: p.allowHeaders === null ? null : r.text(p.allowHeaders),
        allowOrigin: p.allowOrigin === null ? null : r.text(p.allowOrigin),
        pageUrl: p.pageUrl === null ? null : r.url(p.pageUrl),
      })),
    },
  };
  return { rest, connection: (c) => connection(c, r, secrets), reveal: r };
}
