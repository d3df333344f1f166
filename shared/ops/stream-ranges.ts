/**
 * What a redrive needs of a stream, as a port: a shard's range of records read back, the stream's
 * retention (to explain an expired range), and records put again in each partition key's order.
 * Kinesis implements it in shared/adapters/kinesis-range-reader.ts.
 */
import type { EntryFailure, RetryPolicy } from '../adapters/retry';

export interface RangeRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
}

export interface ShardRange {
  streamName: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

export interface RangeRead {
  /** The records of the range still in the stream, in shard order. */
  records: RangeRecord[];
  /** The record at startSequenceNumber was read: nothing at the start of the range has expired. */
  startPresent: boolean;
  /** A record at or past endSequenceNumber was seen (or the shard ended): the whole range was scanned. */
  endReached: boolean;
  /** Set when the shard could not be read at all (no such stream or shard, or a sequence number it refuses). */
  unreadable?: { error: string; message: string };
  getRecordsCalls: number;
}

export interface ReadOptions {
  /** Records per GetRecords call (Kinesis allows up to 10,000). */
  limit?: number;
  /** Pause after an empty answer that is not the tip: a shard serves 5 GetRecords a second. */
  emptyPollDelayMs?: number;
  /** Stops a scan that makes no progress (a sparse shard read far behind its tip). */
  maxGetRecordsCalls?: number;
}

export interface StreamRanges {
  /** The records of the range still in the stream (see RangeRead). */
  readRange(range: ShardRange, opts?: ReadOptions): Promise<RangeRead>;
  /** The stream's retention in hours; undefined when it cannot be read. */
  retentionHours(streamName: string): Promise<number | undefined>;
  /**
   * Puts the records on the stream, each partition key's order kept, failed entries retried;
   * `failed` holds what still failed after the retries. A call that throws ends the put.
   */
  put(
    streamName: string,
    records: { partitionKey: string; data: Uint8Array }[],
    retry?: RetryPolicy,
  ): Promise<{ failed: EntryFailure<{ partitionKey: string; data: Uint8Array }>[]; retriedEntries: number }>;
}
