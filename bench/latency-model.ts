/**
 * The expected put → `Moment Detected` latency in AWS, per consumer mode: what AWS documents about
 * delivery, plus the work between the hops. A moment crosses two Kinesis hops (signals → enrich,
 * enriched → score); each hop costs its delivery delay, and the work (enrich's batch with its
 * PutRecords, score's batch with its PutEvents) is the same in both modes.
 *
 * Delivery, per hop:
 * - shared throughput: a record put on an idle shard waits for Lambda's next read of the shard,
 *   about once a second (AWS Lambda developer guide, "Using Lambda with Kinesis": with a standard
 *   iterator Lambda polls each shard; Kinesis developer guide, "Improve low-latency processing":
 *   reading each shard once a second per application is the recommended rate, with average
 *   propagation delays typically below a second), so a wait uniform in [0, 1 s);
 * - enhanced fan-out: Kinesis pushes the record over SubscribeToShard, "typically an average of
 *   70 ms" (Kinesis developer guide, "Reading data": shared throughput is "around 200 ms" on
 *   average with one consumer reading at the 5 reads a second a shard allows, "around 1000 ms"
 *   with five). AWS gives an average, not a distribution: the model adds 70 ms per hop to every
 *   sample, so its p99 leaves the delivery tail out.
 *
 * Work: samples of enrich + score time per moment. From the cost model when it was computed in the
 * same run (bench/cost.ts: each function's billed duration for a full batch, its measured CPU
 * stretched to Lambda's vCPU share plus the modelled round trips of its AWS calls; CPU time, so
 * not inflated by a loaded machine's queueing), else the local enhanced fan-out run's put →
 * Moment Detected latencies (local delivery is next to nothing; on a loaded machine they are
 * mostly queueing).
 *
 * Percentiles come from seeded Monte Carlo draws (the same figures for the same samples).
 */
import { createRng } from '../local/simulator/prng';
import type { ConsumerMode } from '../shared/config';
import { percentiles, type Percentiles } from './latency-summary';

export const AWS_DELIVERY = {
  /** Lambda reads an idle shard about once a second (standard iterator). */
  sharedPollIntervalMs: 1000,
  /** Kinesis's typical average propagation to an enhanced fan-out consumer. */
  enhancedFanOutAverageMs: 70,
  /** put → Moment Detected crosses this many Kinesis hops. */
  hops: 2,
} as const;

/** Expected put → Moment Detected in AWS for `mode`, from samples of the work between the hops (ms). */
export function awsEstimate(workMs: readonly number[], mode: ConsumerMode, draws = 20_000, seed = 11): Percentiles {
  if (workMs.length === 0) return percentiles([]);
  const rng = createRng(seed);
  const samples: number[] = [];
  for (let i = 0; i < draws; i++) {
    let delivery = 0;
    for (let hop = 0; hop < AWS_DELIVERY.hops; hop++) {
      delivery += mode === 'shared' ? rng.range(0, AWS_DELIVERY.sharedPollIntervalMs) : AWS_DELIVERY.enhancedFanOutAverageMs;
    }
    samples.push(rng.pick(workMs) + delivery);
  }
  return percentiles(samples);
}
