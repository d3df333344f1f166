/**
 * The quarantine port and the one builder of its entries, for every stage: where a bad record
 * goes, with its reason, stream coordinates and raw payload, so nothing is lost and an operator
 * can fix and resend it. Pure: the SQS sink is shared/adapters/quarantine.ts, the local one
 * local/sinks.
 */
import type { EntryFailure } from '../adapters/retry';
import type { StreamRecord } from './record';

export type QuarantineStage = 'enrich' | 'score';

export interface QuarantineEntry {
  /** Why the record was quarantined: names the field and the rule, never the data. */
  reason: string;
  /** A stable reason code for metrics: `invalid-json`, `schema`, `too-large`, ... */
  code: string;
  stage: QuarantineStage;
  source: { stream: string; shardId?: string; sequenceNumber: string; partitionKey?: string; arrivedAt?: string };
  /** The record's data, base64, as it arrived (truncated to fit SQS if it must be). */
  payloadBase64: string;
  quarantinedAt: string;
  /**
   * The pseudonymous key of the customer the record names, when it parses that far (also the
   * message attribute `customerKey`): what an erasure finds the record by.
   */
  customerKey?: string;
}

/** The message attribute naming the customer of a quarantined record, when known. */
export const CUSTOMER_KEY_ATTRIBUTE = 'customerKey';

export interface QuarantineSink {
  /** Quarantines all entries or throws (a QuarantineError names those that were not). */
  send(entries: QuarantineEntry[]): Promise<void>;
}

export class QuarantineError extends Error {
  constructor(readonly failures: EntryFailure<QuarantineEntry>[]) {
    super(`quarantine: ${failures.length} record(s) could not be quarantined: ${failures[0]?.error ?? ''}`);
    this.name = 'QuarantineError';
  }
}

function toBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** The entry for a record refused by `stage`; `reason` must come from the parser (it never quotes the data). */
export function quarantineEntry(stage: QuarantineStage, record: StreamRecord, failure: { code: string; reason: string }, nowIso: string): QuarantineEntry {
  return {
    reason: failure.reason,
    code: failure.code,
    stage,
    source: {
      stream: record.stream,
      sequenceNumber: record.sequenceNumber,
      ...(record.shardId !== undefined ? { shardId: record.shardId } : {}),
      ...(record.partitionKey !== undefined ? { partitionKey: record.partitionKey } : {}),
      ...(record.arrivedAtMs !== undefined ? { arrivedAt: new Date(record.arrivedAtMs).toISOString() } : {}),
    },
    payloadBase64: toBase64(record.data),
    quarantinedAt: nowIso,
  };
}

/**
 * Sends the entries; answers those that did not reach the quarantine (all of them, unless the
 * sink says which) with the error, so a stage reports only their records for retry.
 */
export async function sendToQuarantine(
  sink: QuarantineSink,
  entries: QuarantineEntry[],
): Promise<{ lost: Set<QuarantineEntry>; error?: Error }> {
  if (entries.length === 0) return { lost: new Set() };
  try {
    await sink.send(entries);
    return { lost: new Set() };
  } catch (err) {
    const lost = err instanceof QuarantineError ? new Set(err.failures.map((f) => f.entry)) : new Set(entries);
    return { lost, error: err as Error };
  }
}

/** Keeps the entries it is given, in order: the quarantine of replay, evaluation and benchmarks. */
export class MemoryQuarantine implements QuarantineSink {
  readonly entries: QuarantineEntry[] = [];
  async send(entries: QuarantineEntry[]): Promise<void> {
    this.entries.push(...entries);
  }
}
