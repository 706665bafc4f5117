import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentScripts, MAX_SITES, readSites, siteOf, syncRegistration, withSite, type ScriptingApi } from './sites.ts';

test('a site is the host name of an http(s) page; other pages have none', () => {
  assert.equal(siteOf('https://app.example.com:8443/trade?x=1'), 'app.example.com');
  assert.equal(siteOf('http://127.0.0.1:3000/'), '127.0.0.1');
  assert.equal(siteOf('about:blank'), null);
  assert.equal(siteOf('chrome://extensions/'), null);
  assert.equal(siteOf('not a url'), null);
  assert.equal(siteOf(undefined), null);
});

test('the stored list keeps host names only; adding moves a site last and the oldest go past the cap', () => {
  assert.deepEqual(readSites(['a.test', 42, 'http://b.test/', 'B.TEST', 'c.test', null]), ['a.test', 'c.test']);
  assert.deepEqual(readSites({ sites: ['a.test'] }), []);
  assert.deepEqual(withSite(['a.test', 'b.test'], 'a.test'), ['b.test', 'a.test']);
  const full = Array.from({ length: MAX_SITES }, (_, i) => `s${i}.test`);
  const next = withSite(full, 'new.test');
  assert.equal(next.length, MAX_SITES);
  assert.equal(next[0], 's1.test');
  assert.equal(next.at(-1), 'new.test');
});

test('the hook and the relay cover every frame of each site from document start, across sessions', () => {
  const [hook, relay] = contentScripts(['app.test']);
  assert.deepEqual(hook, { id: 'dci-hook', js: ['hook.js'], world: 'MAIN', matches: ['*://app.test/*'], runAt: 'document_start', allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true });
  assert.deepEqual(relay, { ...hook, id: 'dci-relay', js: ['relay.js'], world: 'ISOLATED' });
});

/** A stand-in for chrome.scripting that records every call. */
function fakeScripting(): ScriptingApi & { calls: string[]; registered: Map<string, string[]> } {
  const registered = new Map<string, string[]>();
  const calls: string[] = [];
  return {
    calls,
    registered,
    async getRegisteredContentScripts(filter) {
      return [...registered].filter(([id]) => !filter?.ids || filter.ids.includes(id)).map(([id, matches]) => ({ id, matches }));
    },
    async registerContentScripts(scripts) {
      calls.push(`register ${scripts.map((s) => `${s.id}=${s.matches?.join(',')}`).join(' ')}`);
      for (const s of scripts) {
        if (registered.has(s.id)) throw new Error(`duplicate id ${s.id}`);
        registered.set(s.id, s.matches ?? []);
      }
    },
    async unregisterContentScripts(filter) {
      calls.push(`unregister ${filter?.ids?.join(',')}`);
      for (const id of filter?.ids ?? []) registered.delete(id);
    },
  };
}

test('the registration follows the list: registered once, left alone when it matches, replaced when it differs, gone when empty', async () => {
  const s = fakeScripting();
  await syncRegistration(s, []);
  assert.deepEqual(s.calls, [], 'nothing to register, nothing registered');
  await syncRegistration(s, ['a.test']);
  assert.deepEqual(s.calls, ['register dci-hook=*://a.test/* dci-relay=*://a.test/*']);
  await syncRegistration(s, ['a.test']);
  assert.equal(s.calls.length, 1, 'the same list changes nothing');
  await syncRegistration(s, ['a.test', 'b.test']);
  assert.deepEqual(s.calls.slice(1), ['unregister dci-hook,dci-relay', 'register dci-hook=*://a.test/*,*://b.test/* dci-relay=*://a.test/*,*://b.test/*']);
  await syncRegistration(s, []);
  assert.deepEqual(s.calls.slice(3), ['unregister dci-hook,dci-relay']);
  assert.equal(s.registered.size, 0);
});
