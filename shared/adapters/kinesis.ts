/**
 * PutRecords in chunks of at most 500 records and 5 MiB, retrying only the entries that failed
 * (FailedRecordCount), with backoff. Used by enrich, the producer library and the simulator.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { DEFAULT_RETRY, sendWithEntryRetries, type EntryFailure, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';

export interface StreamRecord {
  partitionKey: string;
  data: Uint8Array;
}

export interface PutRecordsResult<T extends StreamRecord = StreamRecord> {
  failed: EntryFailure<T>[];
  calls: number;
  retriedEntries: number;
}

const MAX_RECORDS = 500;
const MAX_BYTES = 5 * 1024 * 1024;

function chunkBySize<T extends StreamRecord>(records: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = r.data.byteLength + Buffer.byteLength(r.partitionKey);
    if (current.length > 0 && (current.length === MAX_RECORDS || bytes + size > MAX_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function putRecords<T extends StreamRecord>(
  kinesis: KinesisClient,
  streamName: string,
  records: T[],
  opts: {
    counter?: RequestCounter;
    retry?: RetryPolicy;
    /**
     * Called after each PutRecords call with the entries it accepted, so a caller can note when
     * each record reached the stream (the producer's put time for latency measurement).
     */
    onAccepted?: (entries: T[]) => void;
  } = {},
): Promise<PutRecordsResult<T>> {
  const result: PutRecordsResult<T> = { failed: [], calls: 0, retriedEntries: 0 };
  for (const part of chunkBySize(records)) {
    const outcome = await sendWithEntryRetries(
      part,
      async (batch) => {
        opts.counter?.add('kinesis.PutRecords');
        const res = await kinesis.send(
          new PutRecordsCommand({
            StreamName: streamName,
            Records: batch.map((r) => ({ PartitionKey: r.partitionKey, Data: r.data })),
          }),
        );
        if (!res.FailedRecordCount) {
          opts.onAccepted?.(batch);
          return [];
        }
        const failed: EntryFailure<T>[] = [];
        const accepted: T[] = [];
        (res.Records ?? []).forEach((entry, i) => {
          if (entry.ErrorCode) failed.push({ entry: batch[i], error: `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim() });
          else accepted.push(batch[i]);
        });
        if (accepted.length > 0) opts.onAccepted?.(accepted);
        return failed;
      },
      opts.retry ?? DEFAULT_RETRY,
      (n) => opts.counter?.add('kinesis.retriedRecords', n),
    );
    result.failed.push(...outcome.failed);
    result.calls += outcome.calls;
    result.retriedEntries += outcome.retriedEntries;
  }
  return result;
}
