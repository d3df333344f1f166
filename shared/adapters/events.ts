/**
 * Publishing to the bus. `EventPublisher` is the port the handlers use: in AWS it is
 * EventBridge PutEvents (10 entries a call, only failed entries retried); in local mode the
 * in-process bus implements it with the same routing rules.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type DetailType } from '../contracts/events';
import { chunk, DEFAULT_RETRY, sendWithEntryRetries, type EntryFailure, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';

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

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly opts: { counter?: RequestCounter; retry?: RetryPolicy } = {},
  ) {}

  async publish(events: OutgoingEvent[]): Promise<void> {
    const failures: EntryFailure<OutgoingEvent>[] = [];
    for (const part of chunk(events, 10)) {
      const outcome = await sendWithEntryRetries(
        part,
        async (batch) => {
          this.opts.counter?.add('eventbridge.PutEvents');
          const entries: PutEventsRequestEntry[] = batch.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Detail: JSON.stringify(e.detail),
            Time: e.time ?? new Date(),
            ...(e.resources ? { Resources: e.resources } : {}),
          }));
          const res = await this.client.send(new PutEventsCommand({ Entries: entries }));
          if (!res.FailedEntryCount) return [];
          const failed: EntryFailure<OutgoingEvent>[] = [];
          (res.Entries ?? []).forEach((entry, i) => {
            if (entry.ErrorCode) failed.push({ entry: batch[i], error: `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim() });
          });
          return failed;
        },
        this.opts.retry ?? DEFAULT_RETRY,
        (n) => this.opts.counter?.add('eventbridge.retriedEntries', n),
      );
      failures.push(...outcome.failed);
    }
    if (failures.length > 0) throw new PublishError(failures);
  }
}
