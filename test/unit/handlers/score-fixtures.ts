/** Kinesis events of enriched signals, a Lambda context and a runtime for the score handler tests. */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { Runtime, RuntimeOverrides } from '../../../shared/adapters/runtime';
import type { EventPublisher, OutgoingEvent } from '../../../shared/events/publisher';
import type { QuarantineEntry, QuarantineSink } from '../../../shared/stream/quarantine';
import type { EnrichedSignal } from '../../../shared/contracts/enriched';
import { invocationContext, kinesisEvent as testKinesisEvent, testRuntime } from '../../fixtures/lambda-kit';

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

/** A Kinesis event of these enriched signals on the enriched stream (a string is sent as is: a malformed record). */
export const kinesisEvent = (values: (EnrichedSignal | string)[]): KinesisStreamEvent =>
  testKinesisEvent(
    values.map((v) => ({ data: typeof v === 'string' ? v : JSON.stringify(v), partitionKey: typeof v === 'string' ? 'raw' : v.customerKey })),
    { stream: 'micro-moments-test-enriched', arrivedAtMs: NOW.getTime() },
  );

/** The context of one score invocation. */
export const scoreContext = () => invocationContext('micro-moments-test-score');
