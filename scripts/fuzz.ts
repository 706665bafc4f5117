// `npm run fuzz -- [--runs N] [--seed S]`: the fuzz suite of src/cli/fuzz.ts, longer than in
// `npm test` (100,000 runs take about an hour on two cores). Prints the seed, so a failure can be replayed.
import { parseArgs } from 'node:util';
import { fuzzDci } from '../src/cli/fuzz.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' } } });
const runs = Number(values.runs ?? 10_000);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
  console.error('fuzz: --runs and --seed take whole numbers');
  process.exit(2);
}
console.log(`fuzz: ${runs.toLocaleString('en-US')} runs from seed ${seed}`);
const started = Date.now();
try {
  await fuzzDci({ runs, seed });
  console.log(`fuzz: ${runs.toLocaleString('en-US')} runs passed in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (err) {
  console.error((err as Error).message);
  // fast-check keeps the failing assertion as the cause.
  const cause = (err as Error).cause;
  if (cause !== undefined) console.error(cause instanceof Error ? cause.stack ?? cause.message : String(cause));
  console.error(`fuzz: failed; replay with --seed ${seed} --runs ${runs}`);
  process.exitCode = 1;
}
