/**
 * Publishing to the bus. `EventPublisher` is the port the handlers use: in AWS it is
 * EventBridge PutEvents (10 entries a call, only failed entries retried); in local mode the
 * in-process bus implements it with the same routing rules.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../contracts/events';
import { chunk, DEFAULT_RETRY, sendWithEntryRetries, type EntryFailure, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';
import { PublishError, type EventPublisher, type OutgoingEvent } from '../events/publisher';

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
