/**
 * The expected put → `Moment Detected` latency in AWS, per consumer mode, from what AWS documents
 * about delivery and what local mode measures about the rest. A moment crosses two Kinesis hops
 * (signals → enrich, enriched → score); each hop costs its delivery delay, and the work between
 * the hops (enrich's batch with its PutRecords, score's batch with its PutEvents) is the same in
 * both modes. Local mode with enhanced fan-out has next to no delivery delay (an arrival is pushed
 * to the poller at once), so its measured latencies stand for that work; the model adds each
 * mode's delivery:
 *
 * - shared throughput: a record put on an idle shard waits for Lambda's next read of the shard,
 *   about once a second (AWS Lambda developer guide, "Using Lambda with Kinesis": with a standard
 *   iterator Lambda polls each shard; Kinesis developer guide, "Improve low-latency processing":
 *   reading each shard once a second per application is the recommended rate, with average
 *   propagation delays typically below a second), so a wait uniform in [0, 1 s) per hop;
 * - enhanced fan-out: Kinesis pushes the record over SubscribeToShard, "typically an average of
 *   70 ms" (Kinesis developer guide, "Reading data": shared throughput is "around 200 ms" on
 *   average with one consumer reading at the 5 reads a second a shard allows, "around 1000 ms"
 *   with five). AWS gives an average, not a distribution: the model adds 70 ms per hop to every
 *   sample, so its p99 leaves the delivery tail out.
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

/** Expected put → Moment Detected in AWS for `mode`, from local push-mode latencies (ms). */
export function awsEstimate(localPushLatenciesMs: readonly number[], mode: ConsumerMode, draws = 20_000, seed = 11): Percentiles {
  if (localPushLatenciesMs.length === 0) return percentiles([]);
  const rng = createRng(seed);
  const samples: number[] = [];
  for (let i = 0; i < draws; i++) {
    let delivery = 0;
    for (let hop = 0; hop < AWS_DELIVERY.hops; hop++) {
      delivery += mode === 'shared' ? rng.range(0, AWS_DELIVERY.sharedPollIntervalMs) : AWS_DELIVERY.enhancedFanOutAverageMs;
    }
    samples.push(rng.pick(localPushLatenciesMs) + delivery);
  }
  return percentiles(samples);
}
