/** Kinesis events of enriched signals, a Lambda context and a runtime for the score handler tests. */
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import type { Runtime, RuntimeOverrides } from '../../../shared/adapters/runtime';
import type { EventPublisher, OutgoingEvent } from '../../../shared/events/publisher';
import type { QuarantineEntry, QuarantineSink } from '../../../shared/stream/quarantine';
import type { EnrichedSignal } from '../../../shared/contracts/enriched';
import { testRuntime } from '../../fixtures/lambda-kit';

export const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
export const NOW = new Date('2026-11-23T08:10:00.000Z');

/** Records the events it is given: the bus of the tests. */
export class RecordingPublisher implements EventPublisher {
  readonly events: OutgoingEvent[] = [];
  async publish(events: OutgoingEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

export class RecordingQuarantine implements QuarantineSink {
  readonly entries: QuarantineEntry[] = [];
  async send(entries: QuarantineEntry[]): Promise<void> {
    this.entries.push(...entries);
  }
}

/** The score handler's runtime: the bus and the quarantine record, the clock is NOW. */
export const scoreRuntime = (overrides: Partial<RuntimeOverrides> = {}): Runtime =>
  testRuntime({ publisher: new RecordingPublisher(), quarantine: new RecordingQuarantine(), now: () => NOW, ...overrides });

let seq = 0;
/** A Kinesis event of these records (a string is sent as is: a malformed record). */
export function kinesisEvent(values: (EnrichedSignal | string)[]): KinesisStreamEvent {
  return {
    Records: values.map((v) => {
      seq++;
      const sequenceNumber = `4954511524349098501828006771497414458218006259324420${String(seq).padStart(4, '0')}`;
      return {
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/micro-moments-test-enriched',
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/x',
        awsRegion: 'eu-west-1',
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: typeof v === 'string' ? 'raw' : v.customerKey,
          sequenceNumber,
          data: Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64'),
          approximateArrivalTimestamp: NOW.getTime() / 1000,
        },
      };
    }),
  };
}

export const lambdaContext = {
  functionName: 'micro-moments-test-score',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:micro-moments-test-score',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/x',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as unknown as Context;
