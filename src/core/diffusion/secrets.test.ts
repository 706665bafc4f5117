// Redaction by knowledge: a secret the analysis learnt is removed wherever and however it appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../analyze.ts';
import type { RequestObservation } from '../model.ts';
import { toJson, toMarkdown, toText } from '../report/index.ts';
import { readHarText } from '../../sources/har/index.ts';
import { encodePlainCredential } from './credentials.ts';
import { encodings, KnownSecrets, secretsOfRequests, tunnelPassword } from './secrets.ts';

const PASSWORD = 'lab-secret-pw';
const TUNNEL = encodePlainCredential(PASSWORD);

test('the cleartext password is read back from its credential tunnel', () => {
  assert.equal(tunnelPassword(TUNNEL), PASSWORD);
  assert.equal(tunnelPassword(encodePlainCredential('x'.repeat(300))), 'x'.repeat(300));
  assert.equal(tunnelPassword('AA=='), null);
  assert.equal(tunnelPassword('not base64!'), null);
});

test('every encoding of a known secret is replaced, in any text', () => {
  const s = new KnownSecrets();
  s.add('tok/en+with=odd chars é');
  for (const form of encodings('tok/en+with=odd chars é')) {
    const out = s.redact(`before ${form} after`);
    assert.equal(out, 'before [redacted] after', form);
  }
  assert.equal(s.redact('nothing secret here'), 'nothing secret here');
});

test('a secret with a lone surrogate (page data need not be well-formed) is learnt and redacted, URL-encoded as a browser writes it', () => {
  const secret = 'token\ud800value';
  const forms = encodings(secret);
  assert.ok(forms.includes(secret));
  assert.ok(forms.includes('token%EF%BF%BDvalue'), forms.join(' '));
  const s = new KnownSecrets();
  s.addRequest({ kind: 'request', source: 'har', sourceId: '1', transport: 'WEBSOCKET', startedAt: 0, url: `wss://h/diffusion?ty=WB&c=${secret}` } as RequestObservation);
  assert.equal(s.redact(`a ${secret} b token%EF%BF%BDvalue c`), 'a [redacted] b [redacted] c');
});

test('a very long secret (a 100,000-character cookie) is redacted in every form, with no regular expression too large', () => {
  const secret = `${'x'.repeat(100_000)}é`;
  const s = new KnownSecrets();
  s.add(secret);
  for (const form of encodings(secret)) assert.equal(s.redact(`a ${form} b`), 'a [redacted] b', form.slice(0, 20));
  assert.equal(s.redact('nothing secret here'), 'nothing secret here');
});

test('short values are not searched for (a cookie "1" must not blank every 1)', () => {
  const s = new KnownSecrets();
  s.add('1');
  s.add('dark');
  assert.equal(s.redact('status 101, theme dark'), 'status 101, theme dark');
});

test('many distinct secrets (a capture of rotating cookies) still redact, by prefix table', () => {
  const s = new KnownSecrets();
  for (let i = 0; i < 1000; i++) s.add(`AWSALB-value-${i.toString(36).padStart(4, '0')}`);
  assert.equal(s.redact('x AWSALB-value-00rr y AWSALB-value-0000'), 'x [redacted] y [redacted]');
});

test('secrets inside bytes are masked with the same length', () => {
  const s = new KnownSecrets();
  s.add('sesame-open');
  const bytes = new TextEncoder().encode('{"pw":"sesame-open"}');
  const out = new TextDecoder().decode(s.maskBytes(bytes));
  assert.equal(out, '{"pw":"***********"}');
});

test('requests teach the password, tokens, cookies and authorization', () => {
  const r: RequestObservation = {
    kind: 'request', source: 'har', transport: 'WEBSOCKET', startedAt: 0,
    url: `wss://h/diffusion?ty=WB&v=29&c=TOKEN-abcdefghijklmnopqr&password=${encodeURIComponent(TUNNEL)}`,
    requestHeaders: { cookie: 'AWSALB=affinity-cookie-value; theme=dark', authorization: `Basic ${btoa('qa-user:basic-pass')}` },
    responseHeaders: { 'set-cookie': 'JSESSIONID=jsession-value-123; Path=/' },
  };
  const s = secretsOfRequests([r]);
  const text = `page ${PASSWORD}; ${'TOKEN-abcdefghijklmnopqr'}; affinity-cookie-value; basic-pass; ${btoa('qa-user:basic-pass')}; jsession-value-123; dark`;
  assert.equal(s.redact(text), 'page [redacted]; [redacted]; [redacted]; [redacted]; [redacted]; [redacted]; dark');
});

function withHostileCopies(): string {
  const har = JSON.parse(readFileSync(new URL('../../../e2e/fixtures/chromium/credentials-in-url-over-wss.har', import.meta.url), 'utf8'));
  const ws = har.log.entries[4];
  const token = 'TOKEN-zyxwvutsrqponmlkjihg';
  const page = `https://app.lab.test/login?user=qa&pw=${PASSWORD}`;
  ws.request.headers.push(
    { name: 'Referer', value: `${page}&next=${encodeURIComponent(encodeURIComponent(`/x?c=${token}`))}` },
    { name: ':path', value: `/diffusion?ty=WB&c=${encodeURIComponent(token)}` },
    { name: 'X-Debug', value: `pw ${btoa(PASSWORD)} pw64 ${btoa(PASSWORD).replace(/=+$/, '')} c ${token}` },
  );
  ws.response.headers.push({ name: 'Location', value: `https://other.example/?password=${encodeURIComponent(TUNNEL)}&again=${PASSWORD}` });
  ws.request.url += `&c=${token}`;
  return JSON.stringify(har);
}

test('no report shows a learnt secret, in any encoding, anywhere; --include-secrets shows them', () => {
  const read = readHarText(withHostileCopies());
  const analysis = analyze(read.observations);
  const secrets = secretsOfRequests(read.observations.filter((o): o is RequestObservation => o.kind === 'request'));
  const meta = { version: '0', file: 'x.har', entries: read.entries, skipped: read.skipped, warnings: read.warnings };
  const forbidden = [PASSWORD, TUNNEL, 'TOKEN-zyxwvutsrqponmlkjihg'].flatMap(encodings).filter((f) => f.length >= 6);
  for (const out of [toJson(analysis, meta, { secrets }), toText(analysis, meta, { secrets }), toMarkdown(analysis, meta, { secrets })]) {
    for (const f of forbidden) assert.ok(!out.includes(f), `${f} in ${out.slice(0, 200)}`);
    assert.match(out, /redacted/);
  }
  const open = toJson(analysis, meta, { secrets, includeSecrets: true });
  assert.ok(open.includes(`pw=${PASSWORD}`));
});
