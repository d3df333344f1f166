/**
 * What Lambda sends to a Kinesis event source's on-failure destination when it gives up on a
 * batch: not the records, but their coordinates (shard, first and last sequence number, arrival
 * times, batch size) and why (the condition), so the range can be read again and redriven.
 * Same shape as AWS's invocation record, so a redrive tool works on either.
 */
import type { ShardRecord } from './kinesis-event';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface KinesisOnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: FailureCondition; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  KinesisBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface FailureContext {
  requestId: string;
  functionArn: string;
  condition: FailureCondition;
  invokeCount: number;
  shardId: string;
  streamArn: string;
  /** Unhandled (the function threw) or undefined (it answered with item failures). */
  functionError?: string;
  now: Date;
}

export function onFailureRecord(records: ShardRecord[], c: FailureContext): KinesisOnFailureRecord {
  const first = records[0];
  const last = records[records.length - 1];
  return {
    requestContext: { requestId: c.requestId, functionArn: c.functionArn, condition: c.condition, approximateInvokeCount: c.invokeCount },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(c.functionError ? { functionError: c.functionError } : {}) },
    version: '1.0',
    timestamp: c.now.toISOString(),
    KinesisBatchInfo: {
      shardId: c.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrivedAtMs).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrivedAtMs).toISOString(),
      batchSize: records.length,
      streamArn: c.streamArn,
    },
  };
}
