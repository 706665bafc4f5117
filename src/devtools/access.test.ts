import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessState } from '../../panel/store.ts';
import { watchAccess, type PermissionsApi } from './access.ts';

function fakePermissions(granted: boolean) {
  const added: (() => void)[] = [];
  const asked: unknown[] = [];
  const api: PermissionsApi & { granted: boolean } = {
    granted,
    contains: async () => api.granted,
    request: async (p) => {
      asked.push(p);
      api.granted = true;
      for (const cb of added) cb();
      return true;
    },
    onAdded: { addListener: (cb) => { added.push(cb); } },
    onRemoved: { addListener: () => undefined },
  };
  return { api, asked };
}

test('missing host access shows the banner; granting it through the button hides it', async () => {
  const { api, asked } = fakePermissions(false);
  const seen: (AccessState | null)[] = [];
  await watchAccess(api, (a) => seen.push(a));
  assert.equal(seen.at(-1)?.missing, true);
  assert.equal(await seen.at(-1)!.request(), true);
  assert.deepEqual(asked, [{ origins: ['<all_urls>'] }]);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(seen.at(-1)?.missing, false);
});

test('granted access shows no banner; an API failure shows nothing', async () => {
  const seen: (AccessState | null)[] = [];
  await watchAccess(fakePermissions(true).api, (a) => seen.push(a));
  assert.equal(seen.at(-1)?.missing, false);
  const broken = { ...fakePermissions(true).api, contains: () => Promise.reject(new Error('no')) };
  await watchAccess(broken, (a) => seen.push(a));
  assert.equal(seen.at(-1), null);
});
