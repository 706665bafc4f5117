// The fuzz suite at a fixed seed: 400 generated mutations of the recorded captures, each analysed in
// JSON, text and Markdown (see fuzz.ts for what is generated and asserted). `npm run fuzz -- --runs
// 100000` runs the same property longer, from a random or given seed.
import { test } from 'node:test';
import { fuzzDci } from './fuzz.ts';

test('dci on 400 mutated recorded captures: exit 0/1/2 as documented, one line for 2, schema-1 JSON, nothing invisible, no secret', { timeout: 600_000 }, async () => {
  await fuzzDci({ runs: 400, seed: 20261125 });
});
