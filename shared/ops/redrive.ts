/**
 * Redrive of a Kinesis event source's on-failure destination. For each message: read the range it
 * points at back from the source stream, put those records again on the same stream (same data,
 * same partition keys, PutRecords in chunks, failed entries retried: the StreamRanges port,
 * shared/adapters/kinesis-range-reader.ts on Kinesis),
 * and only then delete the message. The consumer reads them again as new records.
 *
 * Safe to run twice, or to run on a range some of whose records had succeeded: enrich is a pure
 * function of the record (its dedupe only spans one batch), and score skips a messageId it has
 * already applied (the state's recent message ids), writes moments with conditional puts and
 * publishes with the moment id, which notify decides on once per channel.
 *
 * A message is kept (and reported) when its range cannot be redriven whole: records past the
 * stream's retention, a body that is not an on-failure record, entries still failing after the
 * retries. Nothing printed carries data or partition keys: sequence numbers and counts only.
 */
import type { RetryPolicy } from '../adapters/retry';
import type { FailureMessage, FailureSource } from './failure-source';
import { parseOnFailureMessage, type RedriveRange } from './on-failure-message';
import type { ReadOptions, StreamRanges } from './stream-ranges';

export type RedriveStatus =
  /** Every record of the range put again; message deleted. */
  | 'redriven'
  /** Dry run: the range was read and would be put again. */
  | 'would-redrive'
  /** No record of the range is left in the stream. */
  | 'expired'
  /** The start of the range is gone; the records still there were put again. */
  | 'partially-expired'
  /** Some records could not be put after the retries; message kept for the next run. */
  | 'put-failed'
  /** Not an on-failure record of a Kinesis source (or reading it failed): message kept. */
  | 'invalid'
  | 'read-failed';

export interface MessageOutcome {
  status: RedriveStatus;
  range?: RedriveRange;
  /** The stream read and written (the range's own, unless overridden). */
  stream?: string;
  read: number;
  put: number;
  retriedEntries: number;
  failedEntries: number;
  deleted: boolean;
  /** Why, for every status but redriven: never data, never an identifier. */
  detail?: string;
}

export interface RedriveOptions {
  source: FailureSource;
  /** The streams read from and put to (KinesisStreamRanges in shared/adapters/kinesis-range-reader.ts). */
  kinesis: StreamRanges;
  /** Read from and put to this stream instead of the one named in each message. */
  stream?: string;
  dryRun?: boolean;
  /** Messages to handle at most (default: all). */
  max?: number;
  /** Delete the message of an expired range too (its records cannot come back). */
  deleteExpired?: boolean;
  retry?: RetryPolicy;
  read?: ReadOptions;
  /** One line per message, as it is handled (the CLI prints them). */
  onOutcome?: (outcome: MessageOutcome, index: number) => void;
  /** Clock, for the age of an expired range. */
  now?: () => number;
}

export interface RedriveTotals {
  messages: number;
  byStatus: Record<RedriveStatus, number>;
  recordsRead: number;
  recordsPut: number;
  retriedEntries: number;
  messagesDeleted: number;
  /** Messages still in the source (kept, or released by a dry run). */
  messagesKept: number;
}

export interface RedriveReport {
  source: string;
  dryRun: boolean;
  outcomes: MessageOutcome[];
  totals: RedriveTotals;
}

const STATUSES: RedriveStatus[] = ['redriven', 'would-redrive', 'expired', 'partially-expired', 'put-failed', 'invalid', 'read-failed'];

const empty = (status: RedriveStatus, detail?: string): MessageOutcome => ({
  status,
  read: 0,
  put: 0,
  retriedEntries: 0,
  failedEntries: 0,
  deleted: false,
  ...(detail ? { detail } : {}),
});

function describeError(err: unknown): string {
  // SDK errors carry a name and a message about the call, not the data.
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

async function expiryDetail(o: RedriveOptions, range: RedriveRange, stream: string, what: string): Promise<string> {
  const hours = await o.kinesis.retentionHours(stream);
  const parts = [what];
  if (range.approximateArrivalOfFirstRecord) {
    const ageH = ((o.now ?? Date.now)() - Date.parse(range.approximateArrivalOfFirstRecord)) / 3_600_000;
    if (Number.isFinite(ageH)) parts.push(`first record arrived ${ageH.toFixed(1)} h ago`);
  }
  if (hours !== undefined) parts.push(`stream retention ${hours} h`);
  return parts.join('; ');
}

async function handleOne(o: RedriveOptions, message: FailureMessage): Promise<MessageOutcome> {
  const parsed = parseOnFailureMessage(message.body);
  if (!parsed.ok) return empty('invalid', parsed.reason);
  const range = parsed.range;
  const stream = o.stream ?? range.streamName;
  const base = { range, stream };

  let read;
  try {
    read = await o.kinesis.readRange({ ...range, streamName: stream }, o.read);
  } catch (err) {
    return { ...empty('read-failed', describeError(err)), ...base };
  }
  const n = read.records.length;
  if (read.unreadable) {
    const detail = await expiryDetail(o, range, stream, `shard not readable (${read.unreadable.error})`);
    return { ...empty('expired', detail), ...base };
  }
  if (n === 0) {
    return { ...empty('expired', await expiryDetail(o, range, stream, 'no record of the range is left in the stream')), ...base };
  }
  const startGone = !read.startPresent;
  const missing = range.batchSize !== undefined ? Math.max(0, range.batchSize - n) : undefined;
  const startDetail = startGone
    ? await expiryDetail(o, range, stream, `the start of the range has expired${missing !== undefined ? `: ${missing} of ${range.batchSize} records gone` : ''}`)
    : undefined;

  if (o.dryRun) {
    return { ...empty('would-redrive', startDetail), ...base, read: n };
  }

  let put;
  try {
    put = await o.kinesis.put(
      stream,
      read.records.map((r) => ({ partitionKey: r.partitionKey, data: r.data })),
      o.retry,
    );
  } catch (err) {
    return { ...empty('put-failed', describeError(err)), ...base, read: n, failedEntries: n };
  }
  const putCount = n - put.failed.length;
  const counts = { read: n, put: putCount, retriedEntries: put.retriedEntries, failedEntries: put.failed.length };
  if (put.failed.length > 0) {
    // The records put are in the stream; the next run puts them again, which is safe (see above).
    return { ...empty('put-failed', `${put.failed.length} entries still failing after retries (${put.failed[0].error})`), ...base, ...counts };
  }
  if (startGone) {
    const deleted = o.deleteExpired === true;
    if (deleted) await o.source.remove(message);
    return { ...empty('partially-expired', startDetail), ...base, ...counts, deleted };
  }
  await o.source.remove(message);
  return { ...empty('redriven'), ...base, ...counts, deleted: true };
}

export async function redrive(o: RedriveOptions): Promise<RedriveReport> {
  const max = o.max ?? Number.POSITIVE_INFINITY;
  const outcomes: MessageOutcome[] = [];
  try {
    while (outcomes.length < max) {
      const batch = await o.source.receive(Math.min(10, max - outcomes.length));
      if (batch.length === 0) break;
      for (const message of batch) {
        let outcome = await handleOne(o, message);
        if (outcome.status === 'expired' && o.deleteExpired && !o.dryRun) {
          await o.source.remove(message);
          outcome = { ...outcome, deleted: true };
        }
        outcomes.push(outcome);
        o.onOutcome?.(outcome, outcomes.length);
      }
    }
  } finally {
    // Kept messages (and every message of a dry run) become visible again for the next run.
    await o.source.release();
  }
  return { source: o.source.description, dryRun: o.dryRun === true, outcomes, totals: totalsOf(outcomes) };
}

export function totalsOf(outcomes: readonly MessageOutcome[]): RedriveTotals {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RedriveStatus, number>;
  const t: RedriveTotals = { messages: outcomes.length, byStatus, recordsRead: 0, recordsPut: 0, retriedEntries: 0, messagesDeleted: 0, messagesKept: 0 };
  for (const o of outcomes) {
    byStatus[o.status]++;
    t.recordsRead += o.read;
    t.recordsPut += o.put;
    t.retriedEntries += o.retriedEntries;
    if (o.deleted) t.messagesDeleted++;
    else t.messagesKept++;
  }
  return t;
}

/** One line for a message: coordinates and counts, never data or partition keys. */
export function formatOutcome(o: MessageOutcome, index: number): string {
  const where = o.range
    ? `${o.stream} ${o.range.shardId} ${o.range.startSequenceNumber}..${o.range.endSequenceNumber}` +
      ` (batchSize ${o.range.batchSize ?? '?'}${o.range.condition ? `, ${o.range.condition}` : ''})`
    : 'message';
  const counts = `read ${o.read}, put ${o.put}, retried ${o.retriedEntries}, failed ${o.failedEntries}`;
  const fate = o.deleted ? 'message deleted' : 'message kept';
  return `#${index} ${o.status.toUpperCase()} ${where}: ${counts}; ${fate}${o.detail ? ` — ${o.detail}` : ''}`;
}

export function formatTotals(r: RedriveReport): string {
  const t = r.totals;
  const statuses = STATUSES.filter((s) => t.byStatus[s] > 0).map((s) => `${s} ${t.byStatus[s]}`);
  return [
    `${r.dryRun ? 'dry run: nothing was put or deleted. ' : ''}source ${r.source}`,
    `messages ${t.messages}${statuses.length ? ` (${statuses.join(', ')})` : ''}`,
    `records read ${t.recordsRead}, put ${t.recordsPut}, retried entries ${t.retriedEntries}`,
    `messages deleted ${t.messagesDeleted}, kept ${t.messagesKept}`,
  ].join('\n');
}
