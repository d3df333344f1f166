/**
 * The publishing port the stages use: EventBridge PutEvents in AWS (shared/adapters/events.ts),
 * the in-process bus in local mode, a list in memory for replay, benchmarks and tests. Pure.
 */
import type { EntryFailure } from '../adapters/retry';
import type { DetailType } from '../contracts/events';

export interface OutgoingEvent {
  detailType: DetailType;
  detail: object;
  /** When the event happened (defaults to now). */
  time?: Date;
  /** Resources the event is about, if any (never a raw identifier). */
  resources?: string[];
}

export class PublishError extends Error {
  constructor(readonly failures: EntryFailure<OutgoingEvent>[]) {
    super(`PutEvents: ${failures.length} event(s) failed after retries: ${failures[0]?.error ?? ''}`);
    this.name = 'PublishError';
  }
}

export interface EventPublisher {
  /** Publishes all events or throws PublishError naming those that could not be published. */
  publish(events: OutgoingEvent[]): Promise<void>;
}

/** Keeps what it is given, in order: the bus of replay, evaluation and benchmarks. */
export class MemoryPublisher implements EventPublisher {
  readonly events: OutgoingEvent[] = [];
  async publish(events: OutgoingEvent[]): Promise<void> {
    this.events.push(...events);
  }
}
