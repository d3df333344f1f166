/**
 * The Kinesis side of a handler: decode records and answer with a partial batch response.
 * Lambda retries from the lowest reported sequence number, so a batch item failure is reported
 * only for a record whose effect could not be made durable; bad data is quarantined instead.
 */
import type { KinesisStreamEvent, KinesisStreamRecord, KinesisStreamBatchResponse } from 'aws-lambda';
import { compareSequenceNumbers } from '../../shared/stream/arrival';
import { streamNameOf, type StreamRecord } from '../../shared/stream/record';

export interface DecodedRecord {
  /** The record's data, decoded from base64. */
  data: Buffer;
  sequenceNumber: string;
  partitionKey: string;
  /** When the record reached the stream, epoch ms. */
  arrivedAtMs: number;
  shardId: string;
  streamArn: string;
  /** Set when the data is not valid base64: such a record is quarantined, not processed. */
  decodeError?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `eventID` is `shardId-000000000000:49545115243490985018280067714973144582180062593244200961`. */
function shardIdOf(record: KinesisStreamRecord): string {
  const i = record.eventID.indexOf(':');
  return i > 0 ? record.eventID.slice(0, i) : 'unknown';
}

export function decodeRecords(event: KinesisStreamEvent): DecodedRecord[] {
  return (event.Records ?? []).map((r) => {
    const raw = r.kinesis.data ?? '';
    const valid = raw.length % 4 === 0 && BASE64.test(raw);
    return {
      data: valid ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
      sequenceNumber: r.kinesis.sequenceNumber,
      partitionKey: r.kinesis.partitionKey,
      arrivedAtMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
      shardId: shardIdOf(r),
      streamArn: r.eventSourceARN,
      ...(valid ? {} : { decodeError: 'Record: data is not valid base64 (encoding)' }),
    };
  });
}

/** The record as the domain pipelines take it: the stream by name, as the quarantine and redrive name it. */
export const toStreamRecord = (r: DecodedRecord): StreamRecord => ({
  data: r.data,
  sequenceNumber: r.sequenceNumber,
  shardId: r.shardId,
  partitionKey: r.partitionKey,
  arrivedAtMs: r.arrivedAtMs,
  stream: streamNameOf(r.streamArn),
  ...(r.decodeError ? { decodeError: r.decodeError } : {}),
});

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
