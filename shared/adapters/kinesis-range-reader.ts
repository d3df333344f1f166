/**
 * Reads one shard's records from startSequenceNumber to endSequenceNumber back from the stream:
 * GetShardIterator AT_SEQUENCE_NUMBER, then GetRecords until a record past the end, the tip of
 * the shard, or the end of a closed shard.
 *
 * Records older than the stream's retention are gone. Kinesis does not say so in one way: the
 * iterator may start at the oldest record still kept (later than the start asked for), or the
 * call may fail (a closed shard past retention no longer exists). So the reader reports what it
 * found, and whether the first record is the one asked for, and the caller decides.
 *
 * With PutRecords (kinesis.ts), the StreamRanges port of the redrive (shared/ops/stream-ranges.ts).
 */
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { putRecords } from './kinesis';
import { sleep, type RetryPolicy } from './retry';
import type { RangeRead, ReadOptions, ShardRange, StreamRanges } from '../ops/stream-ranges';

/** Sequence numbers are decimal strings of up to 128 bits. */
export const compareSequence = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The errors that mean "this shard or position is not there", as opposed to a transient failure. */
const UNREADABLE = new Set(['ResourceNotFoundException', 'InvalidArgumentException', 'ExpiredIteratorException']);

export async function readRange(kinesis: KinesisClient, range: ShardRange, opts: ReadOptions = {}): Promise<RangeRead> {
  const limit = opts.limit ?? 1000;
  const emptyPollDelayMs = opts.emptyPollDelayMs ?? 250;
  const maxCalls = opts.maxGetRecordsCalls ?? 500;
  const out: RangeRead = { records: [], startPresent: false, endReached: false, getRecordsCalls: 0 };

  let iterator: string | undefined;
  try {
    const it = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: range.streamName,
        ShardId: range.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: range.startSequenceNumber,
      }),
    );
    iterator = it.ShardIterator;
  } catch (err) {
    const e = err as Error;
    if (!UNREADABLE.has(e.name)) throw err;
    out.unreadable = { error: e.name, message: e.message };
    return out;
  }

  while (iterator && out.getRecordsCalls < maxCalls) {
    out.getRecordsCalls++;
    const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    const records = res.Records ?? [];
    for (const r of records) {
      const seq = r.SequenceNumber ?? '';
      if (compareSequence(seq, range.endSequenceNumber) > 0) {
        out.endReached = true;
        break;
      }
      if (compareSequence(seq, range.startSequenceNumber) === 0) out.startPresent = true;
      if (compareSequence(seq, range.startSequenceNumber) >= 0) {
        out.records.push({ sequenceNumber: seq, partitionKey: r.PartitionKey ?? '', data: r.Data ?? new Uint8Array() });
      }
      if (compareSequence(seq, range.endSequenceNumber) === 0) out.endReached = true;
    }
    if (out.endReached) break;
    iterator = res.NextShardIterator;
    if (!iterator) {
      // A closed shard read to its end: nothing more can be in the range.
      out.endReached = true;
      break;
    }
    if (records.length === 0) {
      // At the tip: the end of the range is not in the stream (nothing more will appear in it).
      if (res.MillisBehindLatest === 0) break;
      await sleep(emptyPollDelayMs);
    }
  }
  return out;
}

/** The stream's retention in hours, to explain an expired range; undefined when it cannot be read. */
export async function retentionHours(kinesis: KinesisClient, streamName: string): Promise<number | undefined> {
  try {
    const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return d.StreamDescriptionSummary?.RetentionPeriodHours;
  } catch {
    return undefined;
  }
}

/** The redrive's StreamRanges on Kinesis. */
export class KinesisStreamRanges implements StreamRanges {
  constructor(private readonly kinesis: KinesisClient) {}

  readRange(range: ShardRange, opts?: ReadOptions): Promise<RangeRead> {
    return readRange(this.kinesis, range, opts);
  }

  retentionHours(streamName: string): Promise<number | undefined> {
    return retentionHours(this.kinesis, streamName);
  }

  put(streamName: string, records: { partitionKey: string; data: Uint8Array }[], retry?: RetryPolicy) {
    return putRecords(this.kinesis, streamName, records, { retry });
  }
}
