import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { analyze } from '../analyze.ts';
import type { Analysis } from '../model.ts';
import { readHarText } from '../../sources/har/read.ts';
import { PASSWORD, PASSWORD_TUNNEL, TOKEN, har, secretsHar, wsFailed, xhrHandshake } from '../../sources/har/test-fixtures.ts';
import { codeSpan, terminalSafe, toJson, toJsonReport, toMarkdown, toText } from './index.ts';
import type { ReportMeta } from './index.ts';

const META: ReportMeta = { version: '9.9.9', file: 'capture.har', entries: 7, skipped: 0, unrelated: 1, warnings: [] };

function analysisOf(h: unknown): Analysis {
  return analyze(readHarText(JSON.stringify(h)).observations);
}

function allFormats(a: Analysis, includeSecrets: boolean): Record<string, string> {
  return {
    json: toJson(a, META, { includeSecrets }),
    markdown: toMarkdown(a, META, { includeSecrets }),
    text: toText(a, META, { includeSecrets }),
    color: toText(a, META, { includeSecrets, color: true }),
  };
}

test('JSON report follows the schema 1 contract', () => {
  const a = analysisOf(secretsHar());
  const report = JSON.parse(toJson(a, META)) as Record<string, any>;
  assert.deepEqual(Object.keys(report).slice(0, 4), ['schema', 'tool', 'version', 'input']);
  assert.equal(report['schema'], 1);
  assert.equal(report['tool'], 'dci');
  assert.equal(report['version'], '9.9.9');
  for (const k of ['file', 'entries', 'skipped']) assert.ok(k in report['input'], `input.${k}`);
  assert.deepEqual([report['input'].file, report['input'].entries, report['input'].skipped], ['capture.har', 7, 0]);
  assert.ok(Array.isArray(report['connections']) && report['connections'].length > 0);
  assert.ok(Array.isArray(report['findings']));
  for (const c of report['connections']) {
    for (const k of ['id', 'endpoint', 'clientVersion', 'protocolVersion', 'outcome', 'attempts']) assert.ok(k in c, `connection.${k}`);
    for (const k of ['host', 'port', 'secure', 'path', 'prefix']) assert.ok(k in c.endpoint, `endpoint.${k}`);
    assert.match(c.id, /^c\d+$/);
    assert.ok(['connected', 'lost', 'closed', 'rejected', 'exhausted', 'timeout', 'unknown'].includes(c.outcome));
    for (const at of c.attempts) {
      for (const k of ['id', 'transport', 'url', 'startedAt', 'durationMs', 'reconnect', 'httpStatus', 'error', 'response', 'result']) assert.ok(k in at, `attempt.${k}`);
      assert.ok(['WEBSOCKET', 'XHR'].includes(at.transport));
      assert.ok(['connected', 'rejected', 'failed', 'unknown'].includes(at.result));
      assert.match(at.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      if (at.response !== null) assert.deepEqual(Object.keys(at.response), ['code', 'name', 'sessionId', 'pingPeriodMs']);
    }
  }
  const [c1] = report['connections'];
  assert.deepEqual(c1.endpoint, { host: 'push.example.com', port: 443, secure: true, path: '/lb/diffusion', prefix: '/lb' });
  assert.equal(c1.protocolVersion, 29);
  const xhr = c1.attempts.find((at: any) => at.transport === 'XHR');
  assert.deepEqual(xhr.response, { code: 100, name: 'OK', sessionId: '4f3c2a1b00000001-9e8d7c6b00000002', pingPeriodMs: 3600000 });
  assert.equal(xhr.result, 'connected');
  for (const f of report['findings']) {
    assert.deepEqual(Object.keys(f), ['rule', 'severity', 'message', 'fix', 'connection', 'attempts']);
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
  }
  assert.deepEqual(toJsonReport(a, META), report);
});

test('no format shows the password, its encodings or the session token unless asked', () => {
  const a = analysisOf(secretsHar());
  const secrets = [PASSWORD, PASSWORD_TUNNEL, encodeURIComponent(PASSWORD_TUNNEL), TOKEN, encodeURIComponent(TOKEN)];
  // Markdown escapes punctuation with backslashes: look at the text as rendered.
  const unescape = (t: string) => t.replace(/\\(.)/g, '$1');
  for (const [name, out] of Object.entries(allFormats(a, false))) {
    for (const s of secrets) assert.ok(!unescape(out).includes(s), `${name} shows ${s}`);
    assert.ok(unescape(out).includes('[redacted]'), `${name} says what it hid`);
  }
  for (const [name, raw] of Object.entries(allFormats(a, true))) {
    const out = unescape(raw);
    assert.ok(out.includes(encodeURIComponent(PASSWORD_TUNNEL)), `${name} shows the password as sent in the URL`);
    assert.ok(out.includes(TOKEN), `${name} shows the token`);
  }
  // The XHR header carries the raw tunnel: in JSON only with secrets.
  assert.ok(toJson(a, META, { includeSecrets: true }).includes(`"password": "${PASSWORD_TUNNEL}"`));
});

test('the client version the page reported is page text too: a learnt secret in it is redacted in every format', () => {
  const a = analysisOf(secretsHar());
  a.connections[0]!.clientVersion = `6.12.1 ${PASSWORD}`;
  for (const [name, raw] of Object.entries(allFormats(a, false))) {
    const out = raw.replace(/\\(.)/g, '$1'); // Markdown's escapes, as rendered
    assert.ok(!out.includes(PASSWORD), `${name} shows ${PASSWORD}`);
    assert.match(out, /6\.12\.1 `?\[redacted\]/, `${name} keeps the version`);
  }
});

test('Markdown: verdicts first, then each connection with its cascade and attempts table', () => {
  const a = analysisOf(har([wsFailed(), xhrHandshake()]));
  const md = toMarkdown(a, { ...META, skipped: 2 });
  assert.match(md, /^# Diffusion connection report\n/);
  assert.match(md, /2 skipped/);
  const findings = md.indexOf('## Verdicts');
  const connection = md.indexOf('## Connection c1');
  assert.ok(findings > 0 && connection > findings);
  assert.ok(md.includes('1. a1 WEBSOCKET failed (status 0, WebSocket error)'));
  assert.ok(md.includes('2. a2 XHR connected (100 OK, session 4f3c2a1b00000001-9e8d7c6b00000002)'));
  assert.match(md, /\| attempt \| transport \| started \(UTC\) \| duration \| HTTP \| result \|/);
  assert.match(md, /Load-balancer prefix:\*\* `\/lb`\n/);
  assert.match(md, /Endpoint:\*\* `wss:\/\/push\.example\.com:443\/lb\/diffusion`\n/);
});

test('Markdown: a hostile URL or error string cannot inject markup', () => {
  const hostile = 'wss://evil.example/diffusion?ty=WB&v=29#</code><script>alert(1)</script>|[x](javascript:alert(1))\n# heading ``` `';
  const e = wsFailed({ url: hostile }) as { response: { _error: string } };
  e.response._error = '<img src=x onerror=alert(1)> | **bold** [link](http://x)';
  const md = toMarkdown(analysisOf(har([e])), { ...META, file: 'a`b|<i>.har' });
  // Rendered (GFM-style, HTML allowed as GitHub does), the hostile text is only ever text.
  const html = new MarkdownIt({ html: true, linkify: true }).render(md);
  assert.ok(!/<script>|<img|<i>|<a |<strong>bold/.test(html), 'no markup from the capture');
  assert.ok(!md.includes('\n# heading'), 'no injected heading');
  assert.equal((html.match(/<h1>/g) ?? []).length, 1, 'one heading 1, the report\'s own');
  for (const line of md.split('\n').filter((l) => l.startsWith('| a'))) {
    assert.equal(line.split('|').length - 2, 6, `table row keeps 6 cells: ${line}`);
  }
  assert.equal(codeSpan('a`b'), '``a`b``');
  assert.equal(codeSpan('`a'), '`` `a ``');
  assert.equal(codeSpan('x\ny'), '`x y`');
});

test('text: colour only when asked, control characters from the capture neutralised', () => {
  const e = wsFailed({ url: 'wss://push.example.com/lb/diffusion?ty=WB&v=29&x=\u001b[2J' });
  const a = analysisOf(har([e]));
  const plain = toText(a, META);
  assert.ok(!plain.includes('\u001b'), 'no escape codes without colour');
  assert.ok(plain.includes('\\x1b[2J'));
  const color = toText(a, META, { color: true });
  assert.ok(color.includes('\u001b[1m'));
  assert.ok(!color.includes('\u001b[2J'));
  assert.equal(terminalSafe('a\u0007b\u009bc'), 'a\\x07b\\x9bc');
  assert.match(plain, /WEBSOCKET failed \(status 0, WebSocket error\)/);
});

test('skipped entries and reader notes are reported in every format', () => {
  const a = analysisOf(har([xhrHandshake()]));
  const meta = { ...META, skipped: 3, warnings: ['3 of 10 entries skipped: not an object with request.url (entry 1, 2, 3)'] };
  assert.equal((JSON.parse(toJson(a, meta)) as { input: { skipped: number } }).input.skipped, 3);
  assert.match(toMarkdown(a, meta), /3 skipped/);
  assert.match(toText(a, meta), /3 skipped/);
  assert.match(toText(a, meta), /note: 3 of 10 entries skipped/);
});

test('an empty analysis still gives a complete report', () => {
  const empty: Analysis = { connections: [], findings: [], verdicts: [], context: { pages: [], preflights: [] } };
  const json = JSON.parse(toJson(empty, { ...META, file: null })) as Record<string, unknown>;
  assert.deepEqual(json['connections'], []);
  assert.match(toMarkdown(empty, META), /No Diffusion connection found/);
  assert.match(toText(empty, META), /no Diffusion connection found/);
});

/** WebSocket refused (400), cross-origin XHR blocked by its preflight: one cause, two consequences. */
function corsCapture(): Analysis {
  const ws = wsFailed() as { response: { _error?: string }; _webSocketMessages?: unknown };
  ws._webSocketMessages = [{ type: 'error', time: 1, opcode: -1, data: 'Error during WebSocket handshake: Unexpected response code: 400' }];
  const x = xhrHandshake({ status: 0, error: 'net::ERR_FAILED' }) as { request: { headers: { name: string; value: string }[] } };
  x.request.headers.push({ name: 'Origin', value: 'https://app.example.com' });
  return analysisOf(har([ws, x]));
}

test('JSON: verdicts are an addition to schema 1, each finding in exactly one of them', () => {
  const a = corsCapture();
  const report = JSON.parse(toJson(a, META)) as { schema: number; findings: unknown[]; verdicts: { rule: string; causes: unknown[]; consequences: unknown[]; evidence: string[] }[] };
  assert.equal(report.schema, 1);
  // Added keys come after every key of the first schema-1 reports.
  const keys = Object.keys(report);
  assert.ok(keys.indexOf('verdicts') > keys.indexOf('findings'), keys.join(', '));
  assert.ok(report.verdicts.length > 0);
  for (const v of report.verdicts) assert.deepEqual(Object.keys(v), ['id', 'rule', 'severity', 'title', 'message', 'evidence', 'fix', 'connections', 'attempts', 'causes', 'consequences']);
  const placed = report.verdicts.reduce((n, v) => n + v.causes.length + v.consequences.length, 0);
  assert.equal(placed, report.findings.length);
});

test('text and Markdown lead with the verdict and fold its consequences beneath it', () => {
  const a = corsCapture();
  assert.deepEqual(a.verdicts.map((v) => v.rule), ['cors-preflight-failed']);
  const text = toText(a, META);
  assert.match(text, /verdicts: 1 error; findings: 3 errors/);
  const verdicts = text.indexOf('\nVerdicts\n');
  const connections = text.indexOf('\nConnections\n');
  assert.ok(verdicts > 0 && connections > verdicts);
  assert.match(text, /\n  error {4}The XHR fallback was blocked by its CORS preflight\n {11}connection c1; attempt a2; rule cors-preflight-failed\n {11}The XHR transport to https:\/\/push\.example\.com:443\/lb\/diffusion is\n {11}cross-origin /);
  assert.match(text, /\n {11}> c1 a2 XHR https:\/\/push\.example\.com:443\/lb\/diffusion: no HTTP\n {13}status, net::ERR_FAILED\n/);
  assert.match(text, /\n {11}which explains 2 more findings:\n {11}- error websocket-unavailable \(c1\): The WebSocket attempt/);
  assert.match(text, /\n {11}- error transports-exhausted \(c1\): /);
  assert.ok(!/\nFindings\n|\nOther findings\n/.test(text), 'no flat list of findings');
  const md = toMarkdown(a, META);
  assert.match(md, /\n### 1\. ERROR: The XHR fallback was blocked by its CORS preflight\n\nConnection c1; attempt a2; rule `cors-preflight-failed`\.\n\nThe XHR transport/);
  assert.match(md, /\n\*\*Evidence:\*\*\n\n- c1 a2 XHR `https:\/\/push\.example\.com:443\/lb\/diffusion`: no HTTP status, `net::ERR_FAILED`\n/);
  assert.match(md, /\n\*\*This explains 2 more findings:\*\*\n\n- error `websocket-unavailable` \(c1\): The WebSocket attempt/);
  assert.match(md, /- \*\*Verdicts:\*\* 1 error\n- \*\*Findings:\*\* 3 errors/);
});

test('the analysis embedded in the HTML report is redacted by what the analysis itself learned', async () => {
  const { redactAnalysis } = await import('./redact-analysis.ts');
  const a = analysisOf(secretsHar());
  const withToken = a.connections.flatMap((c) => c.attempts).find((at) => at.response?.token);
  assert.ok(withToken, 'the capture has a connection response with a session token');
  const token = withToken.response!.token!;
  // A proxy's error page that echoes the token, in a place no parameter or header name marks as secret.
  withToken.error = `upstream said: session ${token} unknown`;
  const out = JSON.stringify(redactAnalysis(a));
  assert.ok(!out.includes(token), 'the response token is nowhere in the embedded analysis');
  assert.match(out, /upstream said: session \[redacted\] unknown/);
});
