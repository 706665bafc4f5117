import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactHeaders, redactText, redactUrl } from './redact.ts';
import { encodePlainCredential } from './credentials.ts';

const PASSWORD = 'hunter2-secret';
const TUNNEL = encodePlainCredential(PASSWORD);
const TOKEN = 'TOKEN-abcdefghijklmnopqr';

test('password and token query values are replaced, everything else kept byte for byte', () => {
  const url = `wss://h/lb/diffusion?ty=WB&v=29&ca=8&r=60000&c=${encodeURIComponent(TOKEN)}&cs=1&ss=2&username=qa&password=${encodeURIComponent(TUNNEL)}#frag`;
  const out = redactUrl(url);
  assert.equal(out, `wss://h/lb/diffusion?ty=WB&v=29&ca=8&r=60000&c=${REDACTED}&cs=1&ss=2&username=qa&password=${REDACTED}#frag`);
  assert.ok(!out.includes(TOKEN) && !out.includes(encodeURIComponent(TUNNEL)));
});

test('encoded parameter names are caught too', () => {
  assert.equal(redactUrl('ws://h/d?pass%77ord=abc&%63=t'), `ws://h/d?pass%77ord=${REDACTED}&%63=${REDACTED}`);
  assert.equal(redactUrl('ws://h/d?PASSWORD=abc'), `ws://h/d?PASSWORD=${REDACTED}`);
});

test('URLs without secrets and hostile text pass unchanged and never throw', () => {
  assert.equal(redactUrl('ws://h/diffusion'), 'ws://h/diffusion');
  assert.equal(redactUrl('ws://h/d?%%%=1&<b>x</b>'), 'ws://h/d?%%%=1&<b>x</b>');
});

test('secret headers are hidden, others kept', () => {
  const out = redactHeaders({ m: '0', ty: 'B', password: TUNNEL, c: TOKEN, cookie: 'session=abc', 'set-cookie': 'session=abc; Path=/', authorization: 'Bearer x', v: '29' });
  assert.deepEqual(out, { m: '0', ty: 'B', password: REDACTED, c: REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, authorization: REDACTED, v: '29' });
});

test('URLs inside free text are redacted', () => {
  const line = `Created websocket wss://h/diffusion?ty=WB&password=${encodeURIComponent(TUNNEL)}&c=${TOKEN} ok`;
  const out = redactText(line);
  assert.ok(!out.includes(TOKEN) && !out.includes(encodeURIComponent(TUNNEL)));
  assert.match(out, /password=\[redacted\]&c=\[redacted\] ok$/);
});
