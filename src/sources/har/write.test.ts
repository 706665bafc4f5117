import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../core/analyze.ts';
import { readHarText } from './read.ts';
import { PASSWORD_TUNNEL, TOKEN, secretsHar } from './test-fixtures.ts';
import type { HarLog } from './har-types.ts';
import { writeDiffusionHar } from './write.ts';

const summary = (text: string) => analyze(readHarText(text).observations).connections.map((c) => ({
  outcome: c.outcome,
  attempts: c.attempts.map((a) => [a.transport, a.result, a.httpStatus, a.response?.code ?? null, a.response?.sessionId ?? null, a.reconnect]),
}));

test('the exported HAR keeps only Diffusion entries, hides every secret, and analyzes the same', () => {
  const original = JSON.stringify(secretsHar());
  const log = (secretsHar() as { log: HarLog }).log;
  const exported = writeDiffusionHar(log, { creator: { name: 'dci', version: '1' } });
  for (const s of [PASSWORD_TUNNEL, encodeURIComponent(PASSWORD_TUNNEL), TOKEN, encodeURIComponent(TOKEN)]) {
    assert.ok(!exported.includes(s), `exported HAR shows ${s}`);
  }
  // The token inside the binary connection responses is masked too.
  const tokenB64 = btoa(TOKEN);
  assert.ok(!exported.includes(tokenB64.slice(0, 16)));
  const parsed = JSON.parse(exported) as { log: { entries: { _webSocketMessages?: unknown[]; _initiator?: unknown }[] } };
  assert.equal(parsed.log.entries.length, (log.entries as unknown[]).length - 1, 'the image is gone');
  for (const e of parsed.log.entries) {
    assert.equal(e._initiator, undefined);
    if (e._webSocketMessages) assert.ok(e._webSocketMessages.length <= 1, 'no messages after the first inbound one');
  }
  assert.deepEqual(summary(exported), summary(original));
  const withSecrets = writeDiffusionHar(log, { includeSecrets: true });
  assert.ok(withSecrets.includes(PASSWORD_TUNNEL));
  assert.ok(withSecrets.includes(TOKEN));
});
