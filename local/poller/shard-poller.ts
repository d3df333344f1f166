/**
 * One shard of a Kinesis event source mapping, as Lambda runs it: read the shard in order, hand
 * batches to the function, and move the checkpoint only past records that succeeded or were
 * given up on (sent to the on-failure destination). README.md beside this file describes the
 * behaviour and where it departs from AWS.
 */
import { randomUUID } from 'node:crypto';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import type { EventSourceSettings } from '../../shared/config';
import type { StreamArrivals } from './arrivals';
import { compareSequenceNumbers } from '../../shared/stream/arrival';
import { lambdaContext } from '../lambda-context';
import { classifyResponse } from './batch-outcome';
import { fromKinesisRecord, toKinesisStreamEvent, type ShardRecord } from './kinesis-event';
import { onFailureRecord, type FailureCondition, type KinesisOnFailureRecord } from './on-failure';

/** A handler as deployed: returns a partial batch response, nothing, or throws. */
export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<unknown>;

/** Faults a test injects to see at-least-once delivery at work. */
export interface PollerFaults {
  /**
   * Called just before the checkpoint moves past `records` (whose function call succeeded).
   * Returning true simulates the process dying there: the effects are done but the checkpoint
   * is not, so the poller restarts from the last checkpoint and delivers them again.
   */
  crashBeforeCheckpoint?: (at: { shardId: string; records: ShardRecord[] }) => boolean;
}

export interface MappingStats {
  invocations: number;
  recordsDelivered: number;
  /** Records handed to the function more than once (retries and redeliveries after a crash). */
  recordsRedelivered: number;
  recordsSucceeded: number;
  functionErrors: number;
  partialFailures: number;
  bisections: number;
  crashes: number;
  onFailureBatches: number;
  onFailureRecords: number;
  readErrors: number;
  /** Latest MillisBehindLatest of any shard (the poller's view of lag). */
  millisBehindLatest: number;
  /** Age of the last record of the latest batch when it was handed over (Lambda's IteratorAge). */
  iteratorAgeMs: number;
  /** The largest iteratorAgeMs of the run (CloudWatch's IteratorAge maximum). */
  maxIteratorAgeMs: number;
  lastError?: string;
}

export const emptyStats = (): MappingStats => ({
  invocations: 0,
  recordsDelivered: 0,
  recordsRedelivered: 0,
  recordsSucceeded: 0,
  functionErrors: 0,
  partialFailures: 0,
  bisections: 0,
  crashes: 0,
  onFailureBatches: 0,
  onFailureRecords: 0,
  readErrors: 0,
  millisBehindLatest: 0,
  iteratorAgeMs: 0,
  maxIteratorAgeMs: 0,
});

export interface ShardPollerOptions {
  kinesis: KinesisClient;
  streamName: string;
  streamArn: string;
  shardId: string;
  functionName: string;
  functionArn: string;
  region: string;
  settings: EventSourceSettings;
  bisectBatchOnError: boolean;
  handler: KinesisHandler;
  onFailure: (record: KinesisOnFailureRecord) => void;
  /** Checkpoints by shard id; kept outside the poller so a restarted poller resumes from them. */
  checkpoints: Map<string, string>;
  stats: MappingStats;
  pollIntervalMs: number;
  /**
   * Enhanced fan-out: a drained shard waits for the next arrival on its stream (pushed), not for
   * the poll interval; pushFallbackMs bounds the wait for writers that do not report arrivals.
   */
  push?: { arrivals: StreamArrivals; fallbackMs: number };
  retryDelayMs: number;
  timeoutSeconds: number;
  memoryMb: number;
  faults?: PollerFaults;
}

class ProcessCrash extends Error {}
class Stopping extends Error {}

/** Max records one GetRecords returns; Lambda reads ahead of the batch in the same way. */
const READ_LIMIT = 1000;

export class ShardPoller {
  private running = false;
  private loop?: Promise<void>;
  private iterator?: string;
  private buffer: ShardRecord[] = [];
  private firstBufferedAt = 0;
  private highestDelivered?: string;
  private wake?: () => void;
  /** Waiting on a drained shard (not in a batching window, not between retries). */
  private parked = false;
  /** Arrival time of the first record of the batch being delivered, if one is. */
  private inFlightSince?: number;
  /** When the latest read that found the shard drained (nothing buffered, nothing new) began. */
  caughtUpAt = 0;

  constructor(private readonly o: ShardPollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the call in flight; records not checkpointed are delivered again on restart. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Ends the wait on a drained shard, so the next read begins now (idle() uses it). */
  nudge(): void {
    if (this.parked) this.wake?.();
  }

  /**
   * Arrival time of the oldest record read but not yet done (in a batch being delivered, or
   * buffered), undefined when there is none: now minus this is how far behind the shard is. Not
   * MillisBehindLatest, which kinesalite always answers 0 for an open shard.
   */
  get oldestPendingArrivalMs(): number | undefined {
    return this.inFlightSince ?? this.buffer[0]?.arrivedAtMs;
  }

  get checkpoint(): string | undefined {
    return this.o.checkpoints.get(this.o.shardId);
  }

  /** A wait that stop() ends; none at all once stopping (stop() may have come during a read). */
  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * The wait on a drained shard. Shared throughput: the poll interval (Lambda reads each shard
   * about once a second when it is idle). Enhanced fan-out: until the next arrival on the stream
   * after `arrivalsBefore` (Kinesis pushes it), or the fallback.
   */
  private async awaitRecords(arrivalsBefore: number): Promise<void> {
    if (!this.running) return;
    this.parked = true;
    try {
      if (!this.o.push) return await this.pause(this.o.pollIntervalMs);
      const wait = this.o.push.arrivals.wait(this.o.streamName, arrivalsBefore, this.o.push.fallbackMs);
      this.wake = () => wait.cancel();
      await wait.arrived;
    } finally {
      this.parked = false;
    }
  }

  /** The batching window's wait: its remainder, cut short by an arrival in push mode. */
  private async awaitWindow(arrivalsBefore: number, windowLeftMs: number): Promise<void> {
    if (!this.o.push) return this.pause(Math.min(this.o.pollIntervalMs, windowLeftMs));
    if (!this.running) return;
    const wait = this.o.push.arrivals.wait(this.o.streamName, arrivalsBefore, windowLeftMs);
    this.wake = () => wait.cancel();
    await wait.arrived;
  }

  private async newIterator(): Promise<string | undefined> {
    const at = this.checkpoint;
    const res = await this.o.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.o.streamName,
        ShardId: this.o.shardId,
        ...(at ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: at } : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return res.ShardIterator;
  }

  private async run(): Promise<void> {
    const { settings } = this.o;
    const windowMs = settings.maxBatchingWindowSeconds * 1000;
    while (this.running) {
      try {
        this.iterator ??= await this.newIterator();
        if (!this.iterator) return; // the shard is closed and read to its end
        const startedAt = Date.now();
        if (this.buffer.length < settings.batchSize) {
          const arrivalsBefore = this.o.push?.arrivals.count(this.o.streamName) ?? 0;
          const res = await this.o.kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: READ_LIMIT }));
          this.iterator = res.NextShardIterator;
          this.o.stats.millisBehindLatest = res.MillisBehindLatest ?? 0;
          const fresh = (res.Records ?? []).map((r) => fromKinesisRecord(r, startedAt));
          if (this.buffer.length === 0 && fresh.length > 0) this.firstBufferedAt = Date.now();
          this.buffer.push(...fresh);
          if (this.buffer.length === 0) {
            this.caughtUpAt = startedAt;
            await this.awaitRecords(arrivalsBefore);
            continue;
          }
          const windowLeft = windowMs - (Date.now() - this.firstBufferedAt);
          if (this.buffer.length < settings.batchSize && windowLeft > 0) {
            await this.awaitWindow(arrivalsBefore, windowLeft);
            continue;
          }
        }
        const batch = this.buffer.splice(0, settings.batchSize);
        this.inFlightSince = batch[0]?.arrivedAtMs;
        try {
          await this.deliver(batch);
        } finally {
          this.inFlightSince = undefined;
        }
        this.firstBufferedAt = Date.now();
      } catch (err) {
        if (err instanceof Stopping) return;
        if (err instanceof ProcessCrash) {
          // A new "process": nothing in memory survives but the checkpoint.
          this.o.stats.crashes++;
          this.buffer = [];
          this.iterator = undefined;
          continue;
        }
        if (!this.running) return;
        this.o.stats.readErrors++;
        this.o.stats.lastError = `${this.o.functionName} ${this.o.shardId}: ${(err as Error).message}`;
        this.iterator = undefined;
        await this.pause(this.o.pollIntervalMs);
      }
    }
  }

  /** Delivers one batch until every record in it is checkpointed (succeeded or given up on). */
  private async deliver(records: ShardRecord[]): Promise<void> {
    const { settings } = this.o;
    const queue: { records: ShardRecord[]; attempts: number }[] = [{ records, attempts: 0 }];
    const exhausted = (attempts: number) => settings.retryAttempts >= 0 && attempts > settings.retryAttempts;
    let first = true;
    while (queue.length > 0) {
      const item = queue[0];
      const expired = this.expiredPrefix(item.records);
      if (expired.length > 0) {
        this.giveUp(expired, 'RecordAgeExceeded', item.attempts + 1);
        this.checkpointPast(expired);
        item.records = item.records.slice(expired.length);
        if (item.records.length === 0) queue.shift();
        continue;
      }
      if (!first) {
        if (!this.running) throw new Stopping();
        await this.pause(this.o.retryDelayMs);
      }
      first = false;
      const outcome = await this.invoke(item.records);
      if (outcome.kind === 'success') {
        this.checkpointPast(item.records);
        this.o.stats.recordsSucceeded += item.records.length;
        queue.shift();
        continue;
      }
      if (outcome.kind === 'partial') {
        this.o.stats.partialFailures++;
        const done = item.records.slice(0, outcome.index);
        if (done.length > 0) {
          this.checkpointPast(done);
          this.o.stats.recordsSucceeded += done.length;
        }
        item.records = item.records.slice(outcome.index);
        item.attempts++;
        if (exhausted(item.attempts)) {
          this.giveUp(item.records, 'RetryAttemptsExhausted', item.attempts);
          this.checkpointPast(item.records);
          queue.shift();
        }
        continue;
      }
      this.o.stats.functionErrors++;
      this.o.stats.lastError = `${this.o.functionName} ${this.o.shardId}: ${outcome.error}`;
      if (this.o.bisectBatchOnError && item.records.length > 1) {
        // Halving isolates a poison record before its retries are spent (see README.md).
        this.o.stats.bisections++;
        const half = Math.ceil(item.records.length / 2);
        queue.splice(
          0,
          1,
          { records: item.records.slice(0, half), attempts: item.attempts },
          { records: item.records.slice(half), attempts: item.attempts },
        );
        continue;
      }
      item.attempts++;
      if (exhausted(item.attempts)) {
        this.giveUp(item.records, 'RetryAttemptsExhausted', item.attempts, 'Unhandled');
        this.checkpointPast(item.records);
        queue.shift();
      }
    }
  }

  private expiredPrefix(records: ShardRecord[]): ShardRecord[] {
    const maxAge = this.o.settings.maxRecordAgeSeconds;
    if (maxAge < 0) return [];
    const now = Date.now();
    let n = 0;
    while (n < records.length && now - records[n].arrivedAtMs > maxAge * 1000) n++;
    return records.slice(0, n);
  }

  private async invoke(records: ShardRecord[]): Promise<ReturnType<typeof classifyResponse>> {
    const stats = this.o.stats;
    stats.invocations++;
    stats.recordsDelivered += records.length;
    const last = records[records.length - 1];
    if (this.highestDelivered !== undefined) {
      stats.recordsRedelivered += records.filter((r) => compareSequenceNumbers(r.sequenceNumber, this.highestDelivered as string) <= 0).length;
    }
    if (this.highestDelivered === undefined || compareSequenceNumbers(last.sequenceNumber, this.highestDelivered) > 0) {
      this.highestDelivered = last.sequenceNumber;
    }
    stats.iteratorAgeMs = Date.now() - last.arrivedAtMs;
    stats.maxIteratorAgeMs = Math.max(stats.maxIteratorAgeMs, stats.iteratorAgeMs);
    const event = toKinesisStreamEvent(records, {
      shardId: this.o.shardId,
      streamArn: this.o.streamArn,
      region: this.o.region,
      invokeIdentityArn: `${this.o.functionArn.replace(':lambda:', ':iam:').replace(/:function:.*/, '')}:role/${this.o.functionName}`,
    });
    try {
      const response = await this.o.handler(event, lambdaContext(this.o.functionName, this.o.timeoutSeconds, this.o.memoryMb));
      return classifyResponse(records, response);
    } catch (err) {
      return { kind: 'error', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  }

  private checkpointPast(records: ShardRecord[]): void {
    if (this.o.faults?.crashBeforeCheckpoint?.({ shardId: this.o.shardId, records })) throw new ProcessCrash();
    this.o.checkpoints.set(this.o.shardId, records[records.length - 1].sequenceNumber);
  }

  private giveUp(records: ShardRecord[], condition: FailureCondition, invokeCount: number, functionError?: string): void {
    this.o.stats.onFailureBatches++;
    this.o.stats.onFailureRecords += records.length;
    this.o.onFailure(
      onFailureRecord(records, {
        requestId: randomUUID(),
        functionArn: this.o.functionArn,
        condition,
        invokeCount,
        shardId: this.o.shardId,
        streamArn: this.o.streamArn,
        ...(functionError ? { functionError } : {}),
        now: new Date(),
      }),
    );
  }
}
