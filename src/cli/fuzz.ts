// The property-based fuzz suite of dci: generated mutations of the recorded captures
// (e2e/fixtures/*) must give exit 0/1/2 as documented, one clear line on stderr for exit 2 (never an
// internal error), schema-1 JSON, text and Markdown without invisible characters, and no secret the
// capture taught in any output. `npm test` runs it with a fixed seed; `npm run fuzz` runs it longer.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodePlainCredential } from '../core/diffusion/credentials.ts';
import { encodings } from '../core/diffusion/secrets.ts';
import { runDci } from './main.ts';
import { REPORT_DATA_ID } from '../core/report/html-data.ts';

type Json = unknown;
type Obj = Record<string, unknown>;

const FIXTURES = new URL('../../e2e/fixtures/', import.meta.url);

export interface Fixture {
  name: string;
  har: Obj;
}

/** Every recorded capture, parsed once. */
export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const browser of readdirSync(FIXTURES)) {
    let names: string[];
    try { names = readdirSync(new URL(`${browser}/`, FIXTURES)); } catch { continue; }
    for (const name of names.filter((n) => n.endsWith('.har')).sort()) {
      out.push({ name: `${browser}/${name}`, har: JSON.parse(readFileSync(new URL(`${browser}/${name}`, FIXTURES), 'utf8')) as Obj });
    }
  }
  return out;
}

// ---- what the mutations put in

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];

/** Values of the wrong type, including ones that break naive code (own toString, deep nesting). */
function wrongValue(k: number): Json {
  let deep: Json = 1;
  for (let i = 0; i < 4000; i++) deep = [deep];
  const values: Json[] = [0, -1, 1e308, true, false, null, [], {}, '', { toString: 1 }, { valueOf: 'x', toString: [] }, deep, 'x'.repeat(100_000), [1, 'a', null], { length: 3 }, protoKeyed({ polluted: true })];
  return values[k % values.length];
}

/** An object whose own key is "__proto__" (as JSON.parse makes them from hostile text). */
function protoKeyed(value: Json): Obj {
  const o: Obj = {};
  Object.defineProperty(o, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  return o;
}

const HOSTILE_TEXT = [
  '\u202Egnp.exe', '\u2066x\u2069', '\u200b\u200f\ufeff', '\u0000\u0007\u001b[31m', '\r\n\r\n', '<script>alert(1)</script>', '](javascript:alert(1))',
  '| --- |', '`code`', '%E0%A4%A', '%', '%%%', '\ud800', '\udfff\ud800', 'é✓😀', ' ', '#frag', '?a=b&c', '\\', '"', "'", '${x}', '%00', '\u2028',
];

// ---- mutations of the parsed capture

interface Plan {
  fixture: number;
  ops: { kind: number; a: number; b: number; c: number }[];
  secret: string;
  teach: number;
  leaks: number[];
  text: { kind: number; at: number } | null;
}

const planArb = (fixtures: number): fc.Arbitrary<Plan> => fc.record({
  fixture: fc.nat({ max: fixtures - 1 }),
  ops: fc.array(fc.record({ kind: fc.nat({ max: 9 }), a: fc.nat(), b: fc.nat(), c: fc.nat() }), { maxLength: 5 }),
  secret: fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((s) => `Zq${s}`),
  teach: fc.nat({ max: 4 }),
  leaks: fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 4 }),
  text: fc.option(fc.record({ kind: fc.nat({ max: 3 }), at: fc.nat() }), { nil: null, freq: 4 }),
});

function entriesOf(har: Json): unknown[] {
  const log = (har as Obj | null)?.['log'];
  const entries = typeof log === 'object' && log !== null ? (log as Obj)['entries'] : undefined;
  return Array.isArray(entries) ? entries : [];
}

/** Paths to every value in the tree (bounded), for removing or retyping one of them. */
function paths(root: Json, limit = 4000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: Json, path: (string | number)[]): void => {
    if (out.length >= limit || path.length > 8) return;
    if (path.length > 0) out.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) walk((v as Obj)[k], [...path, k]);
  };
  walk(root, []);
  return out;
}

function parentOf(root: Json, path: (string | number)[]): Obj | unknown[] | null {
  let v: Json = root;
  for (const k of path.slice(0, -1)) {
    if (typeof v !== 'object' || v === null) return null;
    v = (v as Obj)[k as string];
  }
  return typeof v === 'object' && v !== null ? (v as Obj) : null;
}

function headersOf(entry: Json, side: 'request' | 'response'): unknown[] | null {
  const part = (entry as Obj | null)?.[side];
  if (typeof part !== 'object' || part === null) return null;
  const h = (part as Obj)['headers'];
  return Array.isArray(h) ? h : null;
}

function mutate(har: Obj, op: Plan['ops'][number]): void {
  const entries = entriesOf(har);
  const entry = entries.length ? entries[op.a % entries.length] : undefined;
  switch (op.kind) {
    case 0: case 1: { // remove a field, or give it the wrong type
      const all = paths(har);
      const path = all[op.a % all.length];
      if (!path) return;
      const parent = parentOf(har, path);
      if (!parent) return;
      const key = path[path.length - 1]!;
      if (op.kind === 0) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key as string];
      } else {
        (parent as Obj)[key as string] = wrongValue(op.b);
      }
      return;
    }
    case 2: { // headers and cookies named like Object.prototype members
      const name = PROTO_NAMES[op.b % PROTO_NAMES.length]!;
      headersOf(entry, 'request')?.push({ name, value: 'x' }, { name: 'Cookie', value: `${name}=1; ${PROTO_NAMES[op.c % PROTO_NAMES.length]}=2` });
      headersOf(entry, 'response')?.push({ name: 'Set-Cookie', value: `${name}=3; Path=/` }, { name, value: wrongValue(op.c) });
      return;
    }
    case 3: { // hostile text in the URL
      const request = (entry as Obj | undefined)?.['request'] as Obj | undefined;
      if (request && typeof request['url'] === 'string') request['url'] += HOSTILE_TEXT[op.b % HOSTILE_TEXT.length]!.repeat(1 + (op.c % 3));
      return;
    }
    case 4: // hostile header names and values
      headersOf(entry, op.c % 2 ? 'request' : 'response')?.push({ name: HOSTILE_TEXT[op.b % HOSTILE_TEXT.length], value: HOSTILE_TEXT[op.c % HOSTILE_TEXT.length] }, protoKeyed('header'));
      return;
    case 5: { // odd encodings of bodies and frames
      const response = (entry as Obj | undefined)?.['response'] as Obj | undefined;
      const content = response?.['content'] as Obj | undefined;
      if (content) Object.assign(content, [{ encoding: 'base64', text: '!!not base64!!' }, { text: '#\u001d\ufffd\uf7ff' }, { encoding: 'gzip', text: 123 }][op.b % 3]);
      const messages = (entry as Obj | undefined)?.['_webSocketMessages'];
      if (Array.isArray(messages)) messages.unshift([{ type: 'receive', opcode: 2, data: '%%%' }, { type: 'receive', opcode: 1, data: '\u0000\u202e' }, { type: 'error', time: 'x', data: { a: 1 } }][op.c % 3]);
      return;
    }
    case 6: { // the same entry again (merging, grouping)
      const copy = copyOf(entry);
      if (copy !== undefined) entries.splice(op.b % (entries.length + 1), 0, copy);
      return;
    }
    case 7: { // times that are not times
      if (typeof entry === 'object' && entry !== null) (entry as Obj)['startedDateTime'] = ['1969-12-31T23:59:59.000Z', 'yesterday', '9999-12-31T23:59:59Z', '', 5][op.b % 5];
      return;
    }
    case 8: { // prototype-like keys in the structure itself
      if (typeof entry === 'object' && entry !== null) Object.assign(entry, protoKeyed({ request: { url: 'ws://evil/diffusion?ty=WB&v=29' } }));
      (har['log'] as Obj | undefined)?.['pages'] !== undefined && Array.isArray((har['log'] as Obj)['pages']) && ((har['log'] as Obj)['pages'] as unknown[]).push(protoKeyed({ id: 'page_1' }), { id: 'page_1', title: `http://x/${HOSTILE_TEXT[op.c % HOSTILE_TEXT.length]}` });
      return;
    }
    default: { // many copies of one request: a small retry storm
      const copies = 1 + (op.b % 40);
      for (let i = 0; i < copies; i++) {
        const copy = copyOf(entry);
        if (copy === undefined) return;
        entries.push(copy);
      }
    }
  }
}

/** A copy of an entry, or undefined when there is none or a value planted before nests too deep to copy. */
function copyOf(entry: Json | undefined): Json | undefined {
  if (entry === undefined) return undefined;
  try {
    return structuredClone(entry);
  } catch {
    return undefined;
  }
}

// ---- secrets: taught by a Diffusion handshake, then repeated elsewhere

function isHandshake(entry: Json): boolean {
  const request = (entry as Obj | null)?.['request'] as Obj | undefined;
  const url = request?.['url'];
  if (typeof url !== 'string') return false;
  if (/^wss?:/.test(url) && /[?&]ty=WB/.test(url)) return true;
  return (Array.isArray(request?.['headers']) ? request['headers'] as Obj[] : []).some((h) => h?.['name'] === 'm' && h['value'] === '0');
}

/** Put the secret where the analysis learns it, then where it must not be shown. False when the capture has no handshake. */
function plantSecret(har: Obj, original: Obj, plan: Plan): boolean {
  const entries = entriesOf(har);
  const originals = entriesOf(original);
  const at = originals.findIndex(isHandshake);
  if (at < 0 || entries.length === 0) return false;
  // The teaching entry is the recorded one, whatever the mutations did to it.
  const entry = structuredClone(originals[at]) as Obj;
  const request = entry['request'] as Obj & { url: string; headers: Obj[] };
  const response = entry['response'] as Obj & { headers: Obj[] };
  const ws = /^wss?:/.test(request.url);
  const s = plan.secret;
  switch (plan.teach) {
    case 0:
      if (ws) request.url += `&password=${encodeURIComponent(encodePlainCredential(s))}`;
      else request.headers.push({ name: 'password', value: encodePlainCredential(s) });
      break;
    case 1: request.headers.push({ name: 'Cookie', value: `AWSALB=${s}; theme=dark` }); break;
    case 2: request.headers.push({ name: 'Authorization', value: `Bearer ${s}` }); break;
    case 3: response.headers.push({ name: 'Set-Cookie', value: `JSESSIONID=${s}; Path=/; HttpOnly` }); break;
    default:
      if (ws) request.url += `&c=${s}`;
      else request.headers.push({ name: 'c', value: s });
  }
  for (const leak of plan.leaks) {
    switch (leak) {
      case 0: request.headers.push({ name: 'Referer', value: `https://app.example/login?user=qa&pw=${s}` }); break;
      case 1: request.headers.push({ name: 'Referer', value: `https://app.example/?next=${encodeURIComponent(encodeURIComponent(`/x?k=${s}`))}` }); break;
      case 2: response.headers.push({ name: 'Location', value: `https://other.example/?q=${btoa(s)}` }); break;
      case 3: request.headers.push({ name: ':path', value: `/diffusion?x=${encodeURIComponent(s)}` }); break;
      case 4: response['_error'] = `net::ERR_FAILED while sending ${s}`; break;
      case 5: request.headers.push({ name: 'X-Debug', value: `${btoa(s).replace(/=+$/, '')} ${s}` }); break;
      case 6: {
        const pages = (har['log'] as Obj | undefined)?.['pages'];
        if (Array.isArray(pages)) pages.push({ id: 'page_secret', title: `https://app.example/?pw=${s}`, startedDateTime: '2026-01-01T00:00:00.000Z' });
        entry['pageref'] = 'page_secret';
        break;
      }
      default: request.url += `&trace=${s}`;
    }
  }
  entries.splice(Math.min(at, entries.length), 0, entry);
  return true;
}

// ---- the property

export interface CaseResult {
  plan: Plan;
  codes: number[];
}

// What must never reach a reader verbatim (newline and tab aside, which the formats use themselves).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

let dir = '';
let counter = 0;

async function checkCase(fixtures: readonly Fixture[], plan: Plan): Promise<void> {
  const fixture = fixtures[plan.fixture]!;
  const har = structuredClone(fixture.har);
  for (const op of plan.ops) mutate(har, op);
  const taught = plantSecret(har, fixture.har, plan);
  let text = JSON.stringify(har);
  if (plan.text) {
    if (plan.text.kind === 0) text = text.slice(0, plan.text.at % text.length); // truncated
    else if (plan.text.kind === 1) text = `\ufeff${text}`;
    else if (plan.text.kind === 2) text = text.replace('"entries"', '"entries":[],"x"');
    else text = `${text}\n`;
  }
  const file = join(dir, `case-${counter++ % 16}.har`);
  writeFileSync(file, text);
  let parsed: Json;
  let jsonOk = true;
  try { parsed = JSON.parse(text); } catch { jsonOk = false; }
  const log = jsonOk ? (parsed as Obj | null)?.['log'] : undefined;
  const wellFormed = jsonOk && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && typeof log === 'object' && log !== null && !Array.isArray(log) && Array.isArray((log as Obj)['entries']);
  // Moving the entries out of log.entries (text kind 2) leaves the secret where nothing teaches it:
  // only a page title holds it then, which no rule knows as a secret.
  const forbidden = taught && plan.text?.kind !== 2 ? encodings(plan.secret).filter((f) => f.length >= 6) : [];
  const where = `${fixture.name} ${JSON.stringify(plan)}`;

  for (const format of ['json', 'text', 'markdown', 'html'] as const) {
    const r = await runDci(['analyze', file, '--format', format]);
    const stdout = r.stdout.join('');
    assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}: ${where}`);
    if (r.code === 2) {
      assert.match(r.stderr, /^dci: [^\n]+\n$/, `one line on stderr: ${where}`);
      assert.doesNotMatch(r.stderr, /internal error/, `${r.stderr} ${where}`);
      assert.equal(stdout, '');
      assert.ok(!wellFormed, `a well-formed HAR was refused (${r.stderr.trim()}): ${where}`);
    } else {
      assert.equal(r.stderr, '', where);
      if (plan.text?.kind === 0 && !jsonOk) assert.fail(`a truncated file was read: ${where}`);
      if (format === 'json') {
        const report = JSON.parse(stdout) as { schema: number; tool: string; summary: { errors: number; connections: number }; connections: unknown[]; findings: unknown[] };
        assert.equal(report.schema, 1);
        assert.equal(report.tool, 'dci');
        assert.ok(Array.isArray(report.connections) && Array.isArray(report.findings), where);
        assert.equal(report.summary.connections, report.connections.length);
        assert.equal(r.code, report.summary.errors > 0 ? 1 : 0, `exit status against error findings: ${where}`);
      } else if (format === 'html') {
        // The page's data is inert JSON: nothing from the capture can end its <script> element.
        const open = `<script type="application/json" id="${REPORT_DATA_ID}">`;
        const from = stdout.indexOf(open) + open.length;
        const block = stdout.slice(from, stdout.indexOf('</script>', from));
        assert.ok(stdout.startsWith('<!doctype html>\n') && from >= open.length, `an HTML page with its data block: ${where}`);
        assert.ok(!/[<>\u2028\u2029]/.test(block), `unescaped markup in the data block: ${where}`);
        assert.equal((JSON.parse(block) as { schema: number }).schema, 1, where);
      } else {
        const bad = INVISIBLE.exec(stdout);
        assert.equal(bad, null, `U+${bad?.[0].codePointAt(0)!.toString(16)} in ${format} output: ${where}`);
      }
    }
    for (const f of forbidden) {
      assert.ok(!stdout.includes(f) && !r.stderr.includes(f), `the secret (as ${f}) in ${format} output: ${where}`);
    }
  }
}

/** Run the property `runs` times from `seed`; throws with the smallest failing case. */
export async function fuzzDci(options: { runs: number; seed: number; fixtures?: Fixture[] }): Promise<void> {
  const fixtures = options.fixtures ?? loadFixtures();
  dir = mkdtempSync(join(tmpdir(), 'dci-fuzz-'));
  try {
    await fc.assert(fc.asyncProperty(planArb(fixtures.length), (plan) => checkCase(fixtures, plan)), {
      numRuns: options.runs,
      seed: options.seed,
      endOnFailure: false,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
