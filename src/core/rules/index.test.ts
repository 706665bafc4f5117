import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { rules, runRules } from './index.ts';
import type { Finding, Rule } from '../model.ts';
import { attempt, connection, context, failedAttempt, PASSWORD, polls, rejectedAttempt, shownText, T0, tunnel } from './test-builders.ts';

const CATALOGUE = [
  'missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'secure-to-insecure-cascade', 'mixed-content-blocked',
  'websocket-unavailable', 'no-fallback-transport', 'transports-exhausted', 'connection-rejected',
  'retry-after-fatal-rejection', 'session-affinity-lost', 'cors-preflight-failed', 'credentials-over-insecure-transport',
  'credentials-in-url', 'idle-timeout-disconnect', 'protocol-version-mismatch', 'retry-storm', 'scheme-port-mismatch',
  'path-prefix-mismatch', 'not-diffusion-endpoint', 'upstream-unreachable', 'missing-path-prefix', 'session-lost-on-failover',
  'recovered-rejection', 'session-in-worker',
];
const SUPPORT_FILES = new Set(['index.ts', 'facts.ts', 'format.ts', 'test-builders.ts', 'intermediary.ts', 'clients.ts']);
const here = readdirSync(dirname(fileURLToPath(import.meta.url)));

test('every catalogue rule is registered exactly once', () => {
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), [...CATALOGUE].sort());
});

test('each rule lives in the file named after its id, with a test file beside it', async () => {
  const ruleFiles = here.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !SUPPORT_FILES.has(f));
  assert.deepEqual(ruleFiles.map((f) => f.slice(0, -3)).sort(), [...CATALOGUE].sort());
  for (const r of rules) {
    const mod = (await import(`./${r.id}.ts`)) as Record<string, unknown>;
    assert.ok(Object.values(mod).includes(r), `${r.id}.ts exports the registered rule`);
    assert.ok(here.includes(`${r.id}.test.ts`), `${r.id}.test.ts exists`);
    assert.ok(r.summary.length > 0);
  }
});

function fake(id: string, severity: Finding['severity'], attemptIds: string[], connectionId: string | null): Rule {
  return { id, severity, summary: id, check: () => [{ rule: id, severity, message: id, fix: '', connection: connectionId, attempts: attemptIds }] };
}

test('runRules sorts by severity, then by connection and attempt order', () => {
  const c1 = connection([attempt({ id: 'a1' }), attempt({ id: 'a2', startedAt: T0 + 10 })], { id: 'c1' });
  const c2 = connection([attempt({ id: 'b1', startedAt: T0 + 20 })], { id: 'c2' });
  const catalogue = [
    fake('info-first', 'info', ['a1'], 'c1'),
    fake('warning-c2', 'warning', ['b1'], 'c2'),
    fake('error-loose', 'error', [], null),
    fake('error-c2', 'error', ['b1'], 'c2'),
    fake('error-c1-a2', 'error', ['a2'], 'c1'),
    fake('error-c1-only', 'error', [], 'c1'),
    fake('warning-c1', 'warning', ['a2', 'a1'], 'c1'),
  ];
  const order = runRules([c1, c2], context(), catalogue).map((f) => f.rule);
  assert.deepEqual(order, ['error-c1-only', 'error-c1-a2', 'error-c2', 'error-loose', 'warning-c1', 'warning-c2', 'info-first']);
});

/** A page with many problems at once, every secret the client can send on the wire included. */
function troubledCapture() {
  const wsUrl = `ws://push.example.com/lb/diffusion/diffusion?ty=WB&v=29&ca=8&r=60000&c=TOKENtokenTOKENtokenTOKE&cs=0&ss=3&username=alice&password=${encodeURIComponent(tunnel(PASSWORD))}`;
  const secret = {
    params: { principal: 'alice' }, password: PASSWORD,
    cookies: { SERVERID: ['srv-a91f', 'srv-b27c'] },
  };
  const first = connection([
    failedAttempt({ id: 'w1', startedAt: T0, ...secret }),
    failedAttempt({ id: 'w2', startedAt: T0 + 100, endpoint: { secure: false, port: 443, path: '/lb/diffusion/diffusion', prefix: '/lb/diffusion' }, url: wsUrl, error: `Mixed Content: insecure WebSocket endpoint '${wsUrl}'`, ...secret }),
  ], { id: 'first' });
  const second = connection([
    rejectedAttempt(116, { id: 'x1', transport: 'XHR', startedAt: T0 + 2000, ...secret }),
    rejectedAttempt(117, { id: 'x2', transport: 'XHR', startedAt: T0 + 2200, reconnect: true, polls: polls({ reconnectSignals: 2 }), ...secret, params: { principal: 'alice', hasToken: true } }),
  ], { id: 'second' });
  const third = connection([rejectedAttempt(116, { id: 'x3', startedAt: T0 + 4000, ...secret })], { id: 'third' });
  return [first, second, third];
}

test('no finding shows a password, its tunnel, a token or a cookie value', () => {
  const findings = runRules(troubledCapture(), context());
  assert.ok(findings.length >= 6, `${findings.length} findings`);
  const text = shownText(findings);
  for (const secret of [PASSWORD, tunnel(PASSWORD), encodeURIComponent(tunnel(PASSWORD)), 'TOKENtoken', 'srv-a91f', 'srv-b27c']) {
    assert.ok(!text.includes(secret), `finding text contains ${secret}`);
  }
});

test('findings are deterministic and every one names rule, severity, message and fix', () => {
  const once = runRules(troubledCapture(), context());
  const twice = runRules(troubledCapture(), context());
  assert.deepEqual(once.map((f) => ({ ...f })), twice.map((f) => ({ ...f })));
  const ids = new Set(rules.map((r) => r.id));
  for (const f of once) {
    assert.ok(ids.has(f.rule));
    assert.ok(f.message.length > 20 && f.fix.length > 10, f.rule);
  }
});
