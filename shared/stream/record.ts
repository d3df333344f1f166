/**
 * A record as a stage sees it, whatever carried it: a Kinesis batch (functions/common/kinesis-batch.ts),
 * a replayed file, a benchmark or an evaluation. Pure: no AWS types.
 */
export interface StreamRecord {
  data: Uint8Array;
  sequenceNumber: string;
  shardId?: string;
  partitionKey?: string;
  /** When the record reached the stream, epoch ms. */
  arrivedAtMs?: number;
  /**
   * The stream's name (not its ARN): what the redrive tool (`--stream NAME`), the producer and
   * docs/OPERATIONS.md use to read or resend a record; see streamNameOf.
   */
  stream: string;
  /** Set when the transport could not decode the record: it is quarantined as `encoding`. */
  decodeError?: string;
}

/** `arn:aws:kinesis:eu-west-1:123456789012:stream/name` → `name`; anything else unchanged. */
export function streamNameOf(arn: string): string {
  const i = arn.lastIndexOf('stream/');
  return i >= 0 ? arn.slice(i + 'stream/'.length) : arn;
}
