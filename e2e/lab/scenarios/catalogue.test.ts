// The catalogue as data: every rule has a scenario that raises it, and the expectations are coherent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenarios } from './catalogue.ts';
import { RULE_IDS } from './types.ts';

test('every rule of the catalogue is raised by at least one scenario', () => {
  for (const rule of RULE_IDS) assert.ok(scenarios.some((s) => s.expect.raise.includes(rule)), `no scenario raises ${rule}`);
});

test('scenario ids are unique and usable as file names', () => {
  const ids = scenarios.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z0-9-]+$/);
});

test('no rule is both raised and not raised; healthy scenarios rule everything out', () => {
  for (const s of scenarios) {
    for (const r of s.expect.raise) assert.ok(!s.expect.notRaise.includes(r), `${s.id}: ${r} in both lists`);
    for (const r of [...s.expect.raise, ...s.expect.notRaise]) assert.ok((RULE_IDS as readonly string[]).includes(r), `${s.id}: unknown rule ${r}`);
    if (s.id.startsWith('healthy-')) assert.deepEqual([...s.expect.notRaise].sort(), [...RULE_IDS].sort(), s.id);
  }
  assert.ok(scenarios.filter((s) => s.id.startsWith('healthy-')).length >= 4);
});

test('every step targets an endpoint of its scenario and every scenario is bounded', () => {
  for (const s of scenarios) {
    assert.ok(s.boundMs > 0 && s.boundMs <= 10_000, s.id);
    for (const step of s.steps) {
      assert.ok(s.endpoints[step.target], `${s.id}: ${step.target}`);
      if (step.onFailure?.target) assert.ok(s.endpoints[step.onFailure.target], `${s.id}: ${step.onFailure.target}`);
    }
    if (s.page.servedBy) assert.ok(s.endpoints[s.page.servedBy], `${s.id}: page endpoint`);
  }
});

test('every scenario names its verdict: null exactly when healthy (it raises nothing), a rule it may raise otherwise', () => {
  for (const s of scenarios) {
    assert.ok('verdict' in s.expect, `${s.id}: no verdict`);
    const v = s.expect.verdict;
    if (s.id.startsWith('healthy-') || s.expect.raise.length === 0) assert.equal(v, null, s.id);
    else {
      assert.ok(v !== null && (RULE_IDS as readonly string[]).includes(v), `${s.id}: verdict ${v}`);
      assert.ok(!s.expect.notRaise.includes(v), `${s.id}: the verdict ${v} is a rule it must not raise`);
    }
  }
});

test('a real proxy\'s configuration names only addresses the lab fills in, and its log expectations compile', () => {
  for (const s of scenarios) {
    for (const [name, ep] of Object.entries(s.endpoints)) {
      if (ep.kind !== 'nginx' && ep.kind !== 'haproxy') continue;
      for (const [, key] of ep.config.matchAll(/\{\{([^}]*)\}\}/g)) assert.ok(['listen', 'site', 'nothing'].includes(key as string) || s.endpoints[key as string]?.kind === 'emulator', `${s.id}/${name}: {{${key}}}`);
      assert.match(ep.config, /\{\{listen\}\}/, `${s.id}/${name} listens where the lab says`);
    }
    for (const [name, pattern] of Object.entries(s.proxyLog ?? {})) {
      assert.ok(['nginx', 'haproxy'].includes(s.endpoints[name]?.kind ?? ''), `${s.id}: ${name} is a real proxy`);
      assert.doesNotThrow(() => new RegExp(pattern), s.id);
    }
  }
});
