/**
 * A local Kinesis event source mapping: one ShardPoller per shard of the stream, configured from
 * the same EventSourceSettings the CDK stack gives its KinesisEventSource (or its
 * KinesisConsumerEventSource, with enhanced fan-out), with the on-failure destination a local
 * queue. `idle()` tells a test or the CLI when everything put so far has been handled.
 */
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { ConsumerMode, EventSourceSettings } from '../../shared/config';
import { sleep } from '../../shared/adapters/retry';
import type { JsonLinesQueue } from '../jsonl-queue';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../emulators';
import type { StreamArrivals } from './arrivals';
import type { KinesisOnFailureRecord } from './on-failure';
import { emptyStats, ShardPoller, type KinesisHandler, type MappingStats, type PollerFaults } from './shard-poller';

export interface EventSourceMappingOptions {
  /** The function's name, e.g. resourceNames(stage).function('enrich'). */
  functionName: string;
  kinesis: KinesisClient;
  stream: { name: string; arn: string; shardIds?: string[] };
  settings: EventSourceSettings;
  handler: KinesisHandler;
  onFailure: JsonLinesQueue<KinesisOnFailureRecord>;
  /** As the CDK stack sets it. */
  bisectBatchOnError?: boolean;
  /**
   * How records reach the function, as configured by streams.<stream>.consumer: `shared` polls
   * (a drained shard is read again after pollIntervalMs), `enhanced-fan-out` is pushed (a drained
   * shard is read again when `arrivals` reports a write to the stream). Default: shared.
   */
  consumer?: ConsumerMode;
  /** Required for enhanced fan-out: the writes the pipeline's Kinesis clients report. */
  arrivals?: StreamArrivals;
  /** Shared: how long a poller waits after finding its shard drained (Lambda: about a second). */
  pollIntervalMs?: number;
  /** Enhanced fan-out: the longest wait for an arrival, for writers that do not report theirs. */
  pushFallbackMs?: number;
  /** Pause before a retry of a failed batch. */
  retryDelayMs?: number;
  timeoutSeconds?: number;
  memoryMb?: number;
  region?: string;
  faults?: PollerFaults;
}

/**
 * Lambda reads each shard of a standard-iterator mapping about once a second when the shard is
 * idle (README, "Consumer modes"): the wait a record put on a drained shard meets, 500 ms on average.
 */
export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_PUSH_FALLBACK_MS = 1000;
export const DEFAULT_RETRY_DELAY_MS = 50;

export class EventSourceMapping {
  readonly stats: MappingStats = emptyStats();
  /** Checkpoints (last sequence number done) by shard id; survive stop() and start(). */
  readonly checkpoints = new Map<string, string>();
  private pollers: ShardPoller[] = [];

  constructor(private readonly o: EventSourceMappingOptions) {}

  get functionName(): string {
    return this.o.functionName;
  }

  get consumer(): ConsumerMode {
    return this.o.consumer ?? 'shared';
  }

  async start(): Promise<void> {
    if (this.pollers.length > 0) return;
    if (this.consumer === 'enhanced-fan-out' && !this.o.arrivals) {
      throw new Error(`${this.o.functionName}: enhanced fan-out needs the stream arrivals (EventSourceMappingOptions.arrivals)`);
    }
    const shardIds = this.o.stream.shardIds ?? (await this.listShards());
    const region = this.o.region ?? LOCAL_REGION;
    this.pollers = shardIds.map(
      (shardId) =>
        new ShardPoller({
          kinesis: this.o.kinesis,
          streamName: this.o.stream.name,
          streamArn: this.o.stream.arn,
          shardId,
          functionName: this.o.functionName,
          functionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${this.o.functionName}`,
          region,
          settings: this.o.settings,
          bisectBatchOnError: this.o.bisectBatchOnError ?? true,
          handler: this.o.handler,
          onFailure: (r) => this.o.onFailure.send(r),
          checkpoints: this.checkpoints,
          stats: this.stats,
          pollIntervalMs: this.o.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
          ...(this.consumer === 'enhanced-fan-out' && this.o.arrivals
            ? { push: { arrivals: this.o.arrivals, fallbackMs: this.o.pushFallbackMs ?? DEFAULT_PUSH_FALLBACK_MS } }
            : {}),
          retryDelayMs: this.o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
          timeoutSeconds: this.o.timeoutSeconds ?? 30,
          memoryMb: this.o.memoryMb ?? 512,
          ...(this.o.faults ? { faults: this.o.faults } : {}),
        }),
    );
    for (const p of this.pollers) p.start();
  }

  /**
   * How far behind the function is now: the age of the oldest record read but not yet handled,
   * over all shards (0 when caught up). The live counterpart of Lambda's IteratorAge metric.
   */
  lagMs(nowMs = Date.now()): number {
    const oldest = Math.min(...this.pollers.map((p) => p.oldestPendingArrivalMs ?? Infinity));
    return Number.isFinite(oldest) ? Math.max(0, nowMs - oldest) : 0;
  }

  private async listShards(): Promise<string[]> {
    const res = await this.o.kinesis.send(new ListShardsCommand({ StreamName: this.o.stream.name }));
    return (res.Shards ?? []).map((s) => s.ShardId ?? '').filter(Boolean);
  }

  /**
   * Resolves once every shard has been read to its end and all it held handled, by reads that
   * began after this call: everything put before the call has then been processed or given up on.
   */
  async idle(timeoutMs = 30_000): Promise<void> {
    const since = Date.now();
    while (!this.pollers.every((p) => p.caughtUpAt >= since)) {
      if (this.pollers.length === 0) return;
      if (Date.now() - since > timeoutMs) {
        throw new Error(`${this.o.functionName}: not idle after ${timeoutMs} ms (${this.stats.lastError ?? 'no error seen'})`);
      }
      // A poller that waits on a drained shard since before the call reads again now, rather than
      // at its next poll or arrival.
      for (const p of this.pollers) if (p.caughtUpAt < since) p.nudge();
      await sleep(10);
    }
  }

  /** Stops every poller after its call in flight; what is not checkpointed is delivered again on start(). */
  async stop(): Promise<void> {
    const pollers = this.pollers;
    this.pollers = [];
    await Promise.all(pollers.map((p) => p.stop()));
  }

  /** idle(), then stop(). */
  async drain(timeoutMs?: number): Promise<void> {
    await this.idle(timeoutMs);
    await this.stop();
  }
}
