// Everything known about the selected connection and its attempts: redacted URL and headers, the
// decoded connection response (never its token), decoding errors, which sources saw each attempt.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Attempt, Connection, Finding, Headers } from '../../src/core/model.ts';
import { clock, duration, endpointText, OUTCOME_LABEL, prefixText, stepText, thousands } from '../view/describe.ts';
import { clientText, type Reveal } from '../../src/core/report/describe.ts';

export interface DetailsProps {
  connection: Connection | null;
  selectedAttempt: string | null;
  highlighted: ReadonlySet<string>;
  findings: Finding[];
  /** Removes what the capture taught is secret (see PanelStore.getSecrets) from every text shown. */
  redact: Reveal;
  onSelectAttempt(id: string): void;
}

const MAX_ATTEMPTS = 60;
// The connection response carries the session token from byte 19 on: evidence stops before it.
const SAFE_RESPONSE_BYTES = 19;

export function Details(p: DetailsProps): JSX.Element {
  const c = p.connection;
  const r = p.redact;
  if (!c) {
    return (
      <section class="pane details-pane" aria-label="Details" data-testid="details">
        <header class="pane-title">Details</header>
        <p class="placeholder">Select a connection to see its attempts, headers and the server's answer.</p>
      </section>
    );
  }
  // Long retry storms: show the first attempts and keep the selected or highlighted ones in view.
  const shown = c.attempts.length <= MAX_ATTEMPTS
    ? c.attempts
    : c.attempts.filter((a, i) => i < MAX_ATTEMPTS || a.id === p.selectedAttempt || p.highlighted.has(a.id));
  return (
    <section class="pane details-pane" aria-label="Details" data-testid="details">
      <header class="pane-title">Connection {c.id}</header>
      <div class="details-body">
        <dl class="kv">
          <dt>Endpoint</dt><dd class="mono">{r.text(endpointText(c.endpoint))}</dd>
          <dt>Prefix</dt><dd class="mono">{r.text(prefixText(c.endpoint))}</dd>
          <dt>Outcome</dt><dd><span class={`badge outcome-${c.outcome}`}>{OUTCOME_LABEL[c.outcome]}</span></dd>
          <dt>Started</dt><dd>{clock(c.startedAt)}</dd>
          <dt>Client</dt><dd data-testid="client-family">{r.text(clientText(c))}</dd>
          {c.protocolVersion !== null ? <><dt>Protocol</dt><dd>v{c.protocolVersion}</dd></> : null}
          {c.pageUrl ? <><dt>Page</dt><dd class="mono">{r.url(c.pageUrl)}</dd></> : null}
          {p.findings.length ? <><dt>Findings</dt><dd>{p.findings.map((f) => <span key={f.rule + f.message} class={`chip sev-${f.severity}`}>{f.rule}</span>)}</dd></> : null}
        </dl>
        {shown.map((a, i) => (
          <AttemptView
            key={a.id}
            attempt={a}
            n={c.attempts.indexOf(a) + 1}
            selected={a.id === p.selectedAttempt}
            highlighted={p.highlighted.has(a.id)}
            onSelect={p.onSelectAttempt}
            redact={r}
            first={i === 0}
          />
        ))}
        {shown.length < c.attempts.length ? <p class="placeholder">{thousands(c.attempts.length - shown.length)} more attempts not shown.</p> : null}
      </div>
    </section>
  );
}

interface AttemptViewProps {
  attempt: Attempt;
  n: number;
  selected: boolean;
  highlighted: boolean;
  first: boolean;
  redact: Reveal;
  onSelect(id: string): void;
}

function AttemptView({ attempt: a, n, selected, highlighted, redact: r, onSelect }: AttemptViewProps): JSX.Element {
  const step = r.text(stepText(a));
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);
  return (
    <article
      ref={ref}
      class={`attempt result-${a.result}${selected ? ' selected' : ''}${highlighted ? ' hl' : ''}`}
      data-testid="attempt-detail"
      data-attempt-id={a.id}
      data-highlighted={highlighted ? 'true' : undefined}
      aria-label={`Attempt ${n}: ${step}`}
    >
      <h3 onClick={() => onSelect(a.id)}>
        <span class="attempt-n">#{n}</span> {a.reconnect ? <span class="chip">reconnect</span> : null} <span class={`result result-${a.result}`}>{step}</span>
        <span class="time">{clock(a.startedAt)}{a.endedAt !== null ? ` · ${duration(a.endedAt - a.startedAt)}` : ''}</span>
      </h3>
      <dl class="kv">
        <dt>URL</dt><dd class="mono wrap" data-testid="attempt-url">{r.url(a.url)}</dd>
        <dt>Status</dt><dd>{a.httpStatus === null ? 'none received' : String(a.httpStatus)}</dd>
        {a.error ? <><dt>Error</dt><dd class="mono wrap">{r.text(a.error)}</dd></> : null}
        <dt>Seen by</dt><dd data-testid="sources">{a.sources.join(', ') || '—'}</dd>
        {a.closeCode !== null || a.closedAt !== null ? <><dt>Closed</dt><dd>{a.closeCode !== null ? `code ${a.closeCode}` : 'no code seen'}{a.closedAt !== null ? ` at ${clock(a.closedAt)}` : ''}</dd></> : null}
      </dl>
      <ResponseView attempt={a} redact={r} />
      {a.polls ? <PollsView attempt={a} /> : null}
      <HeaderTable title="Request headers" headers={a.requestHeaders} redact={r} />
      <HeaderTable title="Response headers" headers={a.responseHeaders} redact={r} />
      {Object.keys(a.cookies).length ? (
        <p class="cookies">Cookies: {r.text(Object.entries(a.cookies).map(([k, v]) => `${k} (${v.length} ${v.length === 1 ? 'value' : 'values'})`).join(', '))}</p>
      ) : null}
    </article>
  );
}

function ResponseView({ attempt: a, redact }: { attempt: Attempt; redact: Reveal }): JSX.Element | null {
  const r = a.response;
  if (r) {
    return (
      <div class="response" data-testid="response">
        <h4>Connection response</h4>
        <dl class="kv">
          <dt>Code</dt><dd class={r.success ? 'ok' : 'bad'}>{r.code} {r.name}</dd>
          <dt>Version</dt><dd>{r.version}</dd>
          {r.sessionId ? <><dt>Session</dt><dd class="mono">{r.sessionId}</dd></> : null}
          {r.pingPeriodMs !== null ? <><dt>Ping period</dt><dd>{duration(r.pingPeriodMs)}</dd></> : null}
          {r.trailer !== null ? <><dt>{r.code === 105 ? 'Recovery seq.' : 'Max message'}</dt><dd>{thousands(r.trailer)}{r.code === 105 ? '' : ' bytes'}</dd></> : null}
          <dt>Length</dt><dd>{r.length} bytes</dd>
        </dl>
      </div>
    );
  }
  const e = a.responseError;
  if (!e) return null;
  const hex = e.hex.slice(0, SAFE_RESPONSE_BYTES * 2);
  const hidden = e.hex.length / 2 - hex.length / 2;
  return (
    <div class="response response-error" data-testid="response-error">
      <h4>Response could not be decoded</h4>
      <p class="mono wrap">{redact.text(e.error)}</p>
      {hex ? <p class="mono wrap evidence">{hex.replace(/(..)/g, '$1 ').trim()}{hidden > 0 ? ` … (${hidden} more bytes hidden: they may hold the session token)` : ''}</p> : null}
    </div>
  );
}

function PollsView({ attempt: a }: { attempt: Attempt }): JSX.Element | null {
  const p = a.polls;
  if (!p || (p.polls === 0 && p.sends === 0)) return null;
  return (
    <p class="polls" data-testid="polls">
      Polling: {p.polls} polls, {p.sends} sends
      {p.failedStatuses.length ? `, failed with ${p.failedStatuses.join(', ')}` : ''}
      {p.reconnectSignals ? `, ${p.reconnectSignals} reconnect requests` : ''}
      {p.firstAt !== null && p.lastAt !== null ? ` · ${clock(p.firstAt)} – ${clock(p.lastAt)}` : ''}
    </p>
  );
}

function HeaderTable({ title, headers, redact: r }: { title: string; headers: Headers; redact: Reveal }): JSX.Element | null {
  const entries = Object.entries(r.headers(headers));
  if (entries.length === 0) return null;
  return (
    <details class="headers" open>
      <summary>{title} <span class="count">{entries.length}</span></summary>
      <table>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}><th scope="row">{r.text(k)}</th><td class="mono wrap">{r.text(v)}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
