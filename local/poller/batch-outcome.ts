/**
 * How Lambda reads a function's answer to a Kinesis batch (ReportBatchItemFailures on):
 * - no response, a null or empty `batchItemFailures`: the whole batch succeeded;
 * - item identifiers that are all sequence numbers of the batch: a partial success, and the
 *   checkpoint goes just before the lowest of them (everything from there is retried);
 * - an empty, null or unknown identifier, or a thrown error: the whole batch failed.
 */
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import type { ShardRecord } from './kinesis-event';

export type BatchOutcome =
  | { kind: 'success' }
  | { kind: 'partial'; /** Position of the lowest failed record in the batch. */ index: number }
  | { kind: 'error'; error: string };

export function classifyResponse(records: ShardRecord[], response: unknown): BatchOutcome {
  if (response === undefined || response === null || typeof response !== 'object') return { kind: 'success' };
  const failures = (response as Partial<KinesisStreamBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'error', error: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const position = new Map(records.map((r, i) => [r.sequenceNumber, i]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const f of failures) {
    const id: unknown = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const at = typeof id === 'string' && id !== '' ? position.get(id) : undefined;
    if (at === undefined) return { kind: 'error', error: `batchItemFailures: itemIdentifier ${JSON.stringify(id)} is not a sequence number of the batch` };
    lowest = Math.min(lowest, at);
  }
  return { kind: 'partial', index: lowest };
}
