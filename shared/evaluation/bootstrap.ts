/**
 * Confidence intervals by resampling customers (not sessions: one customer's sessions are not
 * independent of each other). Each replicate draws as many customers as there are, with
 * replacement, and weighs every session by how often its customer was drawn. Seeded, so the
 * same input and seed give the same intervals.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { quantile } from './metrics';

export interface Interval {
  value: number;
  /** 2.5th and 97.5th percentiles of the replicates (NaN replicates left out). */
  low: number;
  high: number;
}

/** Session weights of each replicate (a customer drawn k times weighs its sessions k). */
export function* customerReplicates(sessionCustomer: Uint32Array, customers: number, replicates: number, seed: number): Generator<Float64Array> {
  const rng = xoroshiro128plus(seed);
  const drawn = new Float64Array(customers);
  const weight = new Float64Array(sessionCustomer.length);
  for (let r = 0; r < replicates; r++) {
    drawn.fill(0);
    for (let k = 0; k < customers; k++) drawn[uniformInt(rng, 0, customers - 1)]++;
    for (let i = 0; i < sessionCustomer.length; i++) weight[i] = drawn[sessionCustomer[i]];
    yield weight;
  }
}

/**
 * Point estimates and intervals of several statistics over the same replicates (so that they are
 * comparable: every statistic sees the same resampled customers).
 */
export function bootstrap<K extends string>(
  stats: Record<K, (weight?: Float64Array) => number>,
  sessionCustomer: Uint32Array,
  customers: number,
  opts: { replicates: number; seed: number },
): Record<K, Interval> {
  const keys = Object.keys(stats) as K[];
  const samples = new Map<K, number[]>(keys.map((k) => [k, []]));
  if (customers > 0) {
    for (const w of customerReplicates(sessionCustomer, customers, opts.replicates, opts.seed)) {
      for (const k of keys) {
        const v = stats[k](w);
        if (!Number.isNaN(v)) samples.get(k)?.push(v);
      }
    }
  }
  const out = {} as Record<K, Interval>;
  for (const k of keys) {
    const sorted = (samples.get(k) ?? []).sort((a, b) => a - b);
    out[k] = { value: stats[k](), low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
  }
  return out;
}
