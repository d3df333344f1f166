/**
 * The Kinesis side of a handler: decode records and answer with a partial batch response.
 * Lambda retries from the lowest reported sequence number, so a batch item failure is reported
 * only for a record whose effect could not be made durable; bad data is quarantined instead.
 */
import type { KinesisStreamEvent, KinesisStreamRecord, KinesisStreamBatchResponse } from 'aws-lambda';
import { compareSequenceNumbers } from '../../shared/stream/arrival';
import { streamNameOf, type StreamRecord } from '../../shared/stream/record';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of base64 data, or undefined when it is not base64. Buffer.from decodes whatever it is
 * given, skipping what is not base64; Kinesis' own encoding comes back the same when re-encoded,
 * which is checked in native code (about half the cost of the pattern), and only what does not is
 * tested against the pattern (a non-canonical but valid encoding is still accepted, as before).
 */
function base64Bytes(raw: string): Buffer | undefined {
  if (raw.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(raw, 'base64');
  return bytes.toString('base64') === raw || BASE64.test(raw) ? bytes : undefined;
}

/** `eventID` is `shardId-000000000000:49545115243490985018280067714973144582180062593244200961`. */
function shardIdOf(record: KinesisStreamRecord): string {
  const i = record.eventID.indexOf(':');
  return i > 0 ? record.eventID.slice(0, i) : 'unknown';
}

/**
 * The records as the domain pipelines take them, in one pass: the data decoded from base64, the
 * stream by name (as the quarantine and redrive name it). A record whose data is not valid base64
 * keeps its raw text and a decodeError: it is quarantined as `encoding`, not processed.
 */
export function streamRecordsOf(event: KinesisStreamEvent): StreamRecord[] {
  let arn = '';
  let stream = '';
  return (event.Records ?? []).map((r) => {
    // One event comes from one stream: its name is worked out once.
    if (r.eventSourceARN !== arn) {
      arn = r.eventSourceARN;
      stream = streamNameOf(arn);
    }
    const raw = r.kinesis.data ?? '';
    const decoded = base64Bytes(raw);
    const record: StreamRecord = {
      data: decoded ?? Buffer.from(raw, 'utf8'),
      sequenceNumber: r.kinesis.sequenceNumber,
      shardId: shardIdOf(r),
      partitionKey: r.kinesis.partitionKey,
      arrivedAtMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
      stream,
    };
    if (!decoded) record.decodeError = 'Record: data is not valid base64 (encoding)';
    return record;
  });
}

/**
 * Builds the partial batch response. Lambda restarts from the lowest failed sequence number, so
 * reporting that one alone is enough and reports nothing twice.
 */
export function batchResponse(failedSequenceNumbers: Iterable<string>): KinesisStreamBatchResponse {
  let lowest: string | undefined;
  for (const seq of failedSequenceNumbers) {
    if (lowest === undefined || compareSequenceNumbers(seq, lowest) < 0) lowest = seq;
  }
  return { batchItemFailures: lowest === undefined ? [] : [{ itemIdentifier: lowest }] };
}
