/**
 * Property tests run with a fixed seed by default, so a CI run is reproducible and a failure can
 * be replayed. To explore, run `FC_SEED=random npm test` (fast-check picks and prints a seed) or
 * `FC_SEED=<n> npm test` to replay the seed a failure printed.
 */
import fc from 'fast-check';

const requested = process.env.FC_SEED;
if (requested !== 'random') {
  const seed = requested === undefined ? 20261123 : Number(requested);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${JSON.stringify(requested)}`);
  fc.configureGlobal({ seed });
}
