/**
 * The signals the benchmarks feed the handlers: the journey simulator's mix (valid journeys,
 * about 2 % malformed and 3 % sensitive records), cut into Kinesis events as Lambda delivers them.
 * A workload is generated outside the measured region; each run gets a fresh seed, so it meets
 * customers the store has never seen before (no redelivery short-cuts between runs).
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { defaultConfig } from '../shared/config/defaults';
import type { MicroMomentsConfig } from '../shared/config/types';
import { createSimulator } from '../local/simulator';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local/emulators';
import { shardCoordinates, toKinesisStreamEvent } from '../local/poller/kinesis-event';

export interface RawRecord {
  data: Uint8Array;
  partitionKey: string;
}

export interface WorkloadShape {
  /** Label printed beside the figures. */
  name: string;
  customers: number;
  ratePerSecond: number;
}

/**
 * `simulator`: the simulator at 200 signals/s over 2,000 customers (the shape of a steady stream;
 * few signals per customer in a batch). `burst`: 100 customers at the same rate, so a batch holds
 * several signals of each customer (a campaign or an app session storm).
 */
export const WORKLOADS = {
  simulator: { name: 'simulator mix (2,000 customers, 200/s)', customers: 2000, ratePerSecond: 200 },
  burst: { name: 'burst (100 customers, 200/s)', customers: 100, ratePerSecond: 200 },
} as const satisfies Record<string, WorkloadShape>;

export type WorkloadName = keyof typeof WORKLOADS;

/**
 * `count` simulator records, ending `now`, so every timestamp is within the accepted time window
 * (enrich quarantines signals too far in the past or future).
 */
export function simulateRecords(shape: WorkloadShape, count: number, seed: number, now = new Date(), config: MicroMomentsConfig = defaultConfig): RawRecord[] {
  const durationSeconds = count / shape.ratePerSecond;
  const startTime = new Date(now.getTime() - Math.ceil(durationSeconds * 1000));
  const out: RawRecord[] = [];
  for (const r of createSimulator({ seed, customers: shape.customers, ratePerSecond: shape.ratePerSecond, durationSeconds, config, startTime })) {
    out.push({ data: r.record, partitionKey: r.partitionKey });
  }
  return out;
}

let sequence = 0n;
/** Kinesis sequence numbers are decimal strings that grow along a shard. */
const nextSequenceNumber = () => (49545115243490985018280067714973144582180062593244200961n + ++sequence).toString();

/** One Kinesis event as Lambda would deliver these records from one shard (local mode's builder). */
export function kinesisEvent(records: readonly RawRecord[], stream: string, arrivedAtMs = Date.now()): KinesisStreamEvent {
  const shard = shardCoordinates(stream, { region: LOCAL_REGION, account: LOCAL_ACCOUNT, functionName: 'bench' });
  return toKinesisStreamEvent(
    records.map((r) => ({ sequenceNumber: nextSequenceNumber(), partitionKey: r.partitionKey, data: r.data, arrivedAtMs })),
    shard,
  );
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Mean distinct partition keys per batch: what batching per customer can save depends on it. */
export function meanDistinctKeysPerBatch(records: readonly RawRecord[], batchSize: number): number {
  const batches = chunks(records, batchSize);
  if (batches.length === 0) return 0;
  const total = batches.reduce((sum, b) => sum + new Set(b.map((r) => r.partitionKey)).size, 0);
  return total / batches.length;
}
