/**
 * PutRecords that keeps each partition key's order, in calls of at most 500 records and 5 MiB,
 * retrying the entries that failed (FailedRecordCount) with backoff. Used by enrich, the producer
 * library, the simulator (through the producer) and redrive.
 *
 * Why at most one record per partition key per call
 * -------------------------------------------------
 * Kinesis fails PutRecords entries one by one and goes on with the next ones: in one call, an
 * entry of key K can fail while a later entry of K is accepted. That later entry is then on the
 * shard before the earlier one, whatever is retried afterwards; nothing can take it back. So any
 * call holding two not-yet-accepted records of one key can break that key's order, and the only
 * rule that holds for every failure pattern is: a call carries at most one record of a key, and
 * the next record of that key goes only after that one was accepted. (Sending everything first
 * and switching to one-per-key only for the keys that failed does not work: the damage is done
 * by the first call.) Within a key, calls run one after another, so acceptance order = input
 * order. Records of different keys share calls freely: a call takes the next record of every
 * key that has one, oldest input first, up to the size limits.
 *
 * Cost: with all keys distinct it is today's one call per 500 records / 5 MiB chunk. A batch
 * holding up to D records of one key needs at least D calls even when nothing fails (one "round"
 * per depth); every failed entry delays its key by one more round, plus the backoff. (Keeping
 * the input order across keys as well would mean cutting a call at every repeated key: several
 * times more calls on bursty journeys, for an order Kinesis does not keep across shards anyway.)
 *
 * A record failing `maxAttempts` times is given up, and so are the later records of its key,
 * without being sent: sending them would put them ahead of it. They are reported in `failed`
 * too, so enrich reports the lowest failed sequence number and Lambda redelivers from there.
 * A call that throws (stream missing, network) ends the put with that error; `onAccepted` has
 * told the caller what was accepted before.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffDelay, DEFAULT_RETRY, sleep, type EntryFailure, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';

export interface StreamRecord {
  partitionKey: string;
  data: Uint8Array;
}

export interface PutRecordsResult<T extends StreamRecord = StreamRecord> {
  /** Records not on the stream, in input order: given up after retries, or behind one of their key that was. */
  failed: EntryFailure<T>[];
  calls: number;
  retriedEntries: number;
}

export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** Why a record that was never sent is reported failed. */
export const BEHIND_FAILED = 'not sent: an earlier record of its partition key was not accepted';

interface Slot<T> {
  record: T;
  index: number;
  bytes: number;
  /** Failed offers so far. */
  failures: number;
  lastError: string;
}

/** The records of one partition key not yet accepted, oldest first. */
interface KeyQueue<T> {
  slots: Slot<T>[];
  next: number;
}

const head = <T>(q: KeyQueue<T>): Slot<T> | undefined => q.slots[q.next];

/** The next call: the head of every key, oldest input first, up to the per-call limits. */
function nextCall<T>(queues: Iterable<KeyQueue<T>>): Slot<T>[] {
  const heads: Slot<T>[] = [];
  for (const q of queues) {
    const h = head(q);
    if (h) heads.push(h);
  }
  heads.sort((a, b) => a.index - b.index);
  const call: Slot<T>[] = [];
  let bytes = 0;
  for (const h of heads) {
    if (call.length === MAX_RECORDS_PER_CALL) break;
    // A head that does not fit waits for the next call; a smaller one behind it may still fit.
    if (call.length > 0 && bytes + h.bytes > MAX_BYTES_PER_CALL) continue;
    call.push(h);
    bytes += h.bytes;
  }
  return call;
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
  const policy = opts.retry ?? DEFAULT_RETRY;
  const result: PutRecordsResult<T> = { failed: [], calls: 0, retriedEntries: 0 };
  const queues = new Map<string, KeyQueue<T>>();
  records.forEach((record, index) => {
    const bytes = record.data.byteLength + Buffer.byteLength(record.partitionKey);
    let q = queues.get(record.partitionKey);
    if (!q) queues.set(record.partitionKey, (q = { slots: [], next: 0 }));
    q.slots.push({ record, index, bytes, failures: 0, lastError: '' });
  });
  const failed: { index: number; failure: EntryFailure<T> }[] = [];

  for (let call = nextCall(queues.values()); call.length > 0; call = nextCall(queues.values())) {
    const retried = call.filter((s) => s.failures > 0);
    if (retried.length > 0) {
      result.retriedEntries += retried.length;
      opts.counter?.add('kinesis.retriedRecords', retried.length);
      await sleep(backoffDelay(Math.max(...retried.map((s) => s.failures)), policy));
    }
    result.calls++;
    opts.counter?.add('kinesis.PutRecords');
    const res = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: call.map((s) => ({ PartitionKey: s.record.partitionKey, Data: s.record.data })),
      }),
    );
    const accepted: T[] = [];
    call.forEach((slot, i) => {
      const q = queues.get(slot.record.partitionKey) as KeyQueue<T>;
      // A partial answer without an entry for a record says nothing of it: retried, as failed.
      const entry = res.FailedRecordCount ? (res.Records?.[i] ?? { ErrorCode: 'MissingResultEntry' }) : undefined;
      if (!entry?.ErrorCode) {
        accepted.push(slot.record);
        q.next++;
        return;
      }
      slot.failures++;
      slot.lastError = `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim();
      if (slot.failures < policy.maxAttempts) return;
      failed.push({ index: slot.index, failure: { entry: slot.record, error: slot.lastError } });
      for (const behind of q.slots.slice(q.next + 1)) {
        failed.push({ index: behind.index, failure: { entry: behind.record, error: `${BEHIND_FAILED} (${slot.lastError})` } });
      }
      q.next = q.slots.length;
    });
    if (accepted.length > 0) opts.onAccepted?.(accepted);
  }
  result.failed = failed.sort((a, b) => a.index - b.index).map((f) => f.failure);
  return result;
}
