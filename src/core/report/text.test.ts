import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../analyze.ts';
import { readHarText } from '../../sources/har/read.ts';
import { har, T0, wsFailed } from '../../sources/har/test-fixtures.ts';
import { toMarkdown } from './markdown.ts';
import { toText } from './text.ts';
import { displayWidth } from './wrap.ts';
import { META, VERDICT_EVIDENCE, VERDICT_TITLE, analysisOf, analysisWithVerdict } from './test-analyses.ts';

const FIXTURES = join(import.meta.dirname, '../../../e2e/fixtures/chromium');

test('every recorded capture fits 80 columns, and prose never breaks inside a word', () => {
  const hars = readdirSync(FIXTURES).filter((f) => f.endsWith('.har'));
  assert.ok(hars.length > 10);
  for (const name of hars) {
    const analysis = analyze(readHarText(readFileSync(join(FIXTURES, name), 'utf8')).observations);
    for (const width of [80, 60]) {
      const out = toText(analysis, { ...META, file: name }, { width });
      for (const line of out.split('\n')) assert.ok(displayWidth(line) <= width, `${name} at ${width}: ${JSON.stringify(line)}`);
      // Every word of a message (URLs aside) is whole on some line.
      const lines = out.split('\n').map((l) => l.trim());
      for (const f of analysis.findings) {
        for (const word of f.message.split(/\s+/).filter((w) => w && !w.includes('://') && displayWidth(w) < width - 12)) {
          assert.ok(lines.some((l) => l.split(/\s+/).includes(word)), `${name}: "${word}" whole`);
        }
      }
    }
  }
});

// A real capture through nginx without the upgrade headers: the verdict's fix names nginx's directives.
const NGINX_CAPTURE = join(import.meta.dirname, '../../../e2e/fixtures/chromium/nginx-upgrade-headers-missing.har');

test('a wrapped verdict keeps a hanging indent; its configuration is an indented block', () => {
  const out = toText(analyze(readHarText(readFileSync(NGINX_CAPTURE, 'utf8')).observations), META, { width: 80 });
  const lines = out.split('\n');
  const head = lines.findIndex((l) => /^ {2}warning {2}The WebSocket upgrade failed: answered 400 instead of 101$/.test(l));
  assert.ok(head > 0, out);
  assert.match(lines[head + 1]!, /^ {11}connection c1; attempt a1; rule websocket-unavailable$/);
  assert.match(lines[head + 2]!, /^ {11}The WebSocket attempt to ws:\/\/app\.lab\.test:\d+\/diffusion failed$/);
  const fix = lines.findIndex((l) => l.startsWith('           fix: In the nginx location'));
  assert.ok(fix > head, out);
  assert.match(lines[fix + 1]!, /^ {16}\S/);
  assert.ok(lines.includes(`${' '.repeat(18)}proxy_http_version 1.1;`), out);
  assert.ok(lines.includes(`${' '.repeat(18)}proxy_set_header Connection "upgrade";`), out);
});

test('verdicts lead, with the findings they explain folded beneath; the rest follow as other findings', () => {
  const a = analysisWithVerdict();
  const out = toText(a, META, { width: 80 });
  const verdicts = out.indexOf('\nVerdicts\n');
  const others = out.indexOf('\nOther findings\n');
  const connections = out.indexOf('\nConnections\n');
  assert.ok(verdicts > 0 && others > verdicts && connections > others, out);
  const section = out.slice(verdicts, others);
  assert.match(section, /^ {2}error {4}WebSocket blocked and no fallback: the client ran out of transports$/m);
  assert.ok(VERDICT_TITLE.length < 70);
  assert.match(section, /^ {11}connection c1; attempt a1; rule websocket-unavailable$/m);
  assert.match(section, /^ {11}> a1 WEBSOCKET wss:\/\/push\.example\.com:443\/lb\/diffusion: WebSocket$/m);
  assert.match(section, /^ {13}error, no HTTP status$/m);
  assert.ok(VERDICT_EVIDENCE.endsWith('no HTTP status'));
  assert.match(section, /^ {11}fix: Make every proxy and load balancer/m);
  assert.match(section, /^ {11}which explains:$/m);
  assert.match(section, /^ {11}- error transports-exhausted \(c1\): The connection to/m);
  // The cause is told once, as the verdict; only the finding outside it is listed after.
  assert.ok(!/^ {2}error {4}websocket-unavailable/m.test(out));
  assert.match(out.slice(others), /^ {2}warning {2}no-fallback-transport {2}c1 a1$/m);
});

test('the width is honoured for narrow and wide terminals', () => {
  const a = analysisWithVerdict();
  for (const width of [40, 132]) {
    const out = toText(a, META, { width, color: true });
    for (const line of out.split('\n')) assert.ok(displayWidth(line) <= width, `${width}: ${JSON.stringify(line)}`);
  }
});

test('a verdict over ten thousand connections takes a few lines, not thousands', () => {
  const a = analysisWithVerdict();
  const v = a.verdicts[0]!;
  v.connections = Array.from({ length: 10_100 }, (_, i) => `c${i + 1}`);
  v.attempts = Array.from({ length: 99_999 }, (_, i) => `a${i + 1}`).filter((id) => !id.endsWith('0'));
  const verdict = toText(a, META).split('\nVerdicts\n')[1]!.split('\n\n')[0]!;
  assert.match(verdict, /connections c1–c10100; attempts a1–a9, a11–a19,[^]*a99991–a99999 \(90,000 in all\); rule websocket-unavailable/);
  assert.ok(verdict.split('\n').findIndex((l) => l.includes('rule websocket-unavailable')) <= 3, verdict);
  assert.match(toMarkdown(a, META), /Connections c1–c10100; attempts a1–a9, a11–a19, [^\n]*, …, a99991–a99999 \(90,000 in all\); rule `websocket-unavailable`\./);
});

test('a long cascade shows its first eight steps in one line and lists every attempt beneath it', () => {
  const entries = Array.from({ length: 20 }, (_, i) => wsFailed({ start: T0 + i * 100 }));
  const analysis = analyze(readHarText(JSON.stringify(har(entries))).observations);
  assert.equal(analysis.connections.length, 1);
  const text = toText(analysis, META, { width: 400 });
  const line = text.split('\n').find((l) => l.includes(' → '))!.trim();
  assert.equal(line.split(' → ').filter((step) => step.startsWith('WEBSOCKET failed')).length, 8, line);
  assert.match(line, / → … 12 more$/);
  for (let i = 1; i <= 20; i++) assert.match(text, new RegExp(`^\\s+a${i} +WEBSOCKET`, 'm'));
  const md = toMarkdown(analysis, META);
  assert.match(md, /^- \*\*Cascade:\*\* (WEBSOCKET failed \([^)]*\) → ){8}… 12 more$/m);
  for (let i = 1; i <= 20; i++) assert.match(md, new RegExp(`\\ba${i}\\b`));
});

test('poll counts read as English: one poll, one reconnect signal', () => {
  const name = 'haproxy-round-robin-no-affinity.har';
  const analysis = analyze(readHarText(readFileSync(join(FIXTURES, name), 'utf8')).observations);
  assert.match(toText(analysis, { ...META, file: name }), /polling: 1 poll, 0 sends, 1 reconnect signal$/m);
  assert.match(toMarkdown(analysis, { ...META, file: name }), /Polling: 1 poll, 0 sends, 1 reconnect signal\.$/m);
});

test('a verdict over hundreds of findings lists the first eight and counts the rest by rule', () => {
  const a = analysisWithVerdict();
  const v = a.verdicts[0]!;
  const one = v.consequences[0]!;
  v.consequences = Array.from({ length: 20 }, (_, i) => ({ ...one, rule: i % 2 ? 'transports-exhausted' : 'websocket-unavailable', connection: `c${i + 1}` }));
  const verdict = toText(a, META, { width: 200 }).split('\nVerdicts\n')[1]!.split('\n\n')[0]!;
  const items = verdict.split('\n').filter((l) => /^\s+- /.test(l));
  assert.equal(items.length, 9, verdict);
  assert.match(items[8]!, /- and 12 more findings \(websocket-unavailable ×6, transports-exhausted ×6\), each in the JSON and HTML reports$/);
  assert.match(verdict, /which explains 20 more findings:/);
  const md = toMarkdown(a, META);
  assert.match(md, /\*\*This explains 20 more findings:\*\*\n\n(- error `[a-z-]+` \(c\d+\): [^\n]+\n){8}- and 12 more findings \(websocket-unavailable ×6, transports-exhausted ×6\), each in the JSON and HTML reports\n/);
});
