/**
 * Records as Lambda hands them to a function: a `KinesisStreamEvent` with base64 data, the
 * arrival time in epoch seconds, and `eventID` `shardId-...:sequenceNumber`, so the deployed
 * handlers run unchanged.
 */
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { _Record } from '@aws-sdk/client-kinesis';

/** One record read from a shard. */
export interface ShardRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  arrivedAtMs: number;
}

export function fromKinesisRecord(r: _Record, nowMs: number): ShardRecord {
  return {
    sequenceNumber: r.SequenceNumber ?? '',
    partitionKey: r.PartitionKey ?? '',
    data: r.Data ?? new Uint8Array(),
    arrivedAtMs: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.getTime() : nowMs,
  };
}

export interface EventSourceCoordinates {
  shardId: string;
  streamArn: string;
  region: string;
  /** The role Lambda assumes for the function (informational, as in AWS). */
  invokeIdentityArn: string;
}

/**
 * Where records come from, as Lambda names it: the stream's ARN in this region and account, a
 * shard (the first one unless named), and the role Lambda would assume for the function.
 */
export function shardCoordinates(
  streamName: string,
  at: { region: string; account: string; shardId?: string; functionName?: string },
): EventSourceCoordinates {
  return {
    shardId: at.shardId ?? 'shardId-000000000000',
    streamArn: `arn:aws:kinesis:${at.region}:${at.account}:stream/${streamName}`,
    region: at.region,
    invokeIdentityArn: `arn:aws:iam::${at.account}:role/${at.functionName ?? 'function'}`,
  };
}

export function toKinesisStreamEvent(records: ShardRecord[], at: EventSourceCoordinates): KinesisStreamEvent {
  return {
    Records: records.map(
      (r): KinesisStreamRecord => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: r.partitionKey,
          sequenceNumber: r.sequenceNumber,
          data: Buffer.from(r.data).toString('base64'),
          approximateArrivalTimestamp: r.arrivedAtMs / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${at.shardId}:${r.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: at.invokeIdentityArn,
        awsRegion: at.region,
        eventSourceARN: at.streamArn,
      }),
    ),
  };
}
