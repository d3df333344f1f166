/**
 * The redrive decisions that the emulator cannot provoke, on a Kinesis double: entries that keep
 * failing (message kept, what was put counted), retried entries, a read that fails (message kept),
 * a scan that stops at the end of the range.
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import type { FailureMessage, FailureSource } from '../../../shared/ops/failure-source';
import { KinesisStreamRanges } from '../../../shared/adapters/kinesis-range-reader';
import { formatOutcome, redrive } from '../../../shared/ops/redrive';

const ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/micro-moments-test-signals';
const seq = (n: number) => `4959${String(n).padStart(52, '0')}`;

function message(start: number, end: number, batchSize = end - start + 1): string {
  return JSON.stringify({
    requestContext: { condition: 'RetryAttemptsExhausted' },
    KinesisBatchInfo: { shardId: 'shardId-000000000000', startSequenceNumber: seq(start), endSequenceNumber: seq(end), batchSize, streamArn: ARN },
  });
}

class ArraySource implements FailureSource {
  readonly description = 'array';
  removed: string[] = [];
  released = 0;
  private next = 0;
  constructor(private readonly bodies: string[]) {}
  async receive(max: number): Promise<FailureMessage[]> {
    const out = this.bodies.slice(this.next, this.next + max).map((body, i) => ({ id: String(this.next + i), body }));
    this.next += out.length;
    return out;
  }
  async remove(m: FailureMessage): Promise<void> {
    this.removed.push(m.id);
  }
  async release(): Promise<void> {
    this.released++;
  }
}

/** A shard of records 0..count-1 (data `d<n>`, key `k<n>`), and PutRecords that fails as told. */
function kinesisDouble(count: number, putFailures: (attempt: number, entries: PutRecordsRequestEntry[]) => boolean[], opts: { getRecordsError?: Error } = {}) {
  const puts: PutRecordsRequestEntry[][] = [];
  let getRecordsCalls = 0;
  const send = async (command: unknown) => {
    if (command instanceof GetShardIteratorCommand) return { ShardIterator: `it-${command.input.StartingSequenceNumber}` };
    if (command instanceof GetRecordsCommand) {
      getRecordsCalls++;
      if (opts.getRecordsError) throw opts.getRecordsError;
      const from = Number(BigInt(String(command.input.ShardIterator).slice(3)) - BigInt(seq(0)));
      const page = Array.from({ length: Math.max(0, Math.min(2, count - from)) }, (_, i) => from + i);
      return {
        Records: page.map((n) => ({ SequenceNumber: seq(n), PartitionKey: `k${n}`, Data: Buffer.from(`d${n}`) })),
        NextShardIterator: `it-${seq(from + page.length)}`,
        MillisBehindLatest: from + page.length >= count ? 0 : 1000,
      };
    }
    if (command instanceof PutRecordsCommand) {
      const entries = command.input.Records ?? [];
      puts.push(entries);
      const fail = putFailures(puts.length, entries);
      return {
        FailedRecordCount: fail.filter(Boolean).length,
        Records: entries.map((_, i) => (fail[i] ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' } : { SequenceNumber: '1', ShardId: 's' })),
      };
    }
    if (command instanceof DescribeStreamSummaryCommand) return { StreamDescriptionSummary: { RetentionPeriodHours: 24 } };
    throw new Error(`unexpected ${String(command)}`);
  };
  // Only `send` is used by the code under test; the double stands in for the whole client.
  const client = { send } as unknown as KinesisClient;
  return { client, puts, getRecordsCalls: () => getRecordsCalls };
}

const FAST = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };
const never = (_a: number, entries: PutRecordsRequestEntry[]) => entries.map(() => false);

test('reads page after page until past the end of the range, and puts just the range, in order', async () => {
  const k = kinesisDouble(20, never);
  const source = new ArraySource([message(3, 8)]);
  const report = await redrive({ source, kinesis: new KinesisStreamRanges(k.client), retry: FAST });
  expect(report.outcomes[0]).toMatchObject({ status: 'redriven', read: 6, put: 6, deleted: true });
  expect(k.puts).toHaveLength(1);
  expect(k.puts[0].map((e) => [e.PartitionKey, Buffer.from(e.Data ?? []).toString()])).toEqual([3, 4, 5, 6, 7, 8].map((n) => [`k${n}`, `d${n}`]));
  expect(k.getRecordsCalls()).toBe(3); // pages of 2: 3-4, 5-6, 7-8; the record at the end stops the scan
  expect(source.removed).toEqual(['0']);
  expect(source.released).toBe(1);
});

test('entries that fail once are retried, counted, and the message is deleted', async () => {
  const k = kinesisDouble(10, (attempt, entries) => entries.map((_, i) => attempt === 1 && i % 2 === 0));
  const source = new ArraySource([message(0, 3)]);
  const report = await redrive({ source, kinesis: new KinesisStreamRanges(k.client), retry: FAST });
  expect(report.outcomes[0]).toMatchObject({ status: 'redriven', read: 4, put: 4, retriedEntries: 2, failedEntries: 0, deleted: true });
  expect(k.puts.map((p) => p.length)).toEqual([4, 2]);
});

test('entries still failing after the retries: counted, message kept for the next run', async () => {
  const k = kinesisDouble(10, (_a, entries) => entries.map((e) => e.PartitionKey === 'k2'));
  const source = new ArraySource([message(0, 3)]);
  const report = await redrive({ source, kinesis: new KinesisStreamRanges(k.client), retry: FAST });
  const o = report.outcomes[0];
  expect(o).toMatchObject({ status: 'put-failed', read: 4, put: 3, failedEntries: 1, deleted: false });
  expect(o.detail).toMatch(/1 entries still failing after retries \(ProvisionedThroughputExceededException/);
  expect(source.removed).toEqual([]);
  expect(report.totals.messagesKept).toBe(1);
  expect(formatOutcome(o, 1)).not.toMatch(/k2|d2/);
});

test('a read that fails is reported, the message kept, and the next message still handled', async () => {
  const throttled = Object.assign(new Error('Rate exceeded for shard'), { name: 'ProvisionedThroughputExceededException' });
  const k = kinesisDouble(10, never, { getRecordsError: throttled });
  const source = new ArraySource([message(0, 1), 'garbage']);
  const report = await redrive({ source, kinesis: new KinesisStreamRanges(k.client), retry: FAST });
  expect(report.outcomes.map((o) => o.status)).toEqual(['read-failed', 'invalid']);
  expect(report.outcomes[0].detail).toMatch(/ProvisionedThroughputExceededException/);
  expect(source.removed).toEqual([]);
  expect(source.released).toBe(1);
});

test('a range whose end is not in the stream stops at the tip, with what it found', async () => {
  const k = kinesisDouble(5, never);
  const report = await redrive({ source: new ArraySource([message(3, 9, 7)]), kinesis: new KinesisStreamRanges(k.client), retry: FAST });
  expect(report.outcomes[0]).toMatchObject({ status: 'redriven', read: 2, put: 2 });
});

test('the source is released even when a removal throws', async () => {
  const k = kinesisDouble(5, never);
  const source = new ArraySource([message(0, 1)]);
  source.remove = async () => {
    throw new Error('access denied');
  };
  await expect(redrive({ source, kinesis: new KinesisStreamRanges(k.client), retry: FAST })).rejects.toThrow('access denied');
  expect(source.released).toBe(1);
});
