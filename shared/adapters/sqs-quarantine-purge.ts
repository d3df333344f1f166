/**
 * The QuarantinePurge of an erasure (shared/privacy/quarantine-purge.ts) on the SQS quarantine.
 * SQS has no delete by content: the purge receives every visible message (hiding each for the
 * scan), deletes the customer's, and makes the others visible again at once. Messages another
 * reader holds at that moment are not seen (`notVisible` counts them; erase again to catch them).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { chunk } from './retry';
import type { RequestCounter } from './request-counter';
import type { KeyOf } from '../enrich/record-identity';
import { quarantineCustomerKey, type QuarantinePurge, type QuarantinePurgeReport } from '../privacy/quarantine-purge';
import { CUSTOMER_KEY_ATTRIBUTE, type QuarantineEntry } from '../stream/quarantine';

function keyOfMessage(m: Message, keyOf: KeyOf): string | undefined {
  const attribute = m.MessageAttributes?.[CUSTOMER_KEY_ATTRIBUTE]?.StringValue;
  if (attribute) return attribute;
  try {
    return quarantineCustomerKey(JSON.parse(m.Body ?? '') as Partial<QuarantineEntry>, keyOf);
  } catch {
    return undefined;
  }
}

export interface SqsQuarantinePurgeOptions {
  /** How long each message is hidden while the scan runs (seconds). */
  visibilityTimeoutSeconds?: number;
  /** At most this many messages read in one purge; more: `complete: false`, erase again. */
  maxMessages?: number;
  /** Empty receives in a row that end the scan (long polling, so each asks every server). */
  emptyReceives?: number;
  counter?: RequestCounter;
}

export class SqsQuarantinePurge implements QuarantinePurge {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    /** Keys an id as enrich does (the pepper's keyed hash). */
    private readonly keyOf: KeyOf,
    private readonly opts: SqsQuarantinePurgeOptions = {},
  ) {}

  async purge(customerKey: string): Promise<QuarantinePurgeReport> {
    const QueueUrl = this.queueUrl;
    const maxMessages = this.opts.maxMessages ?? 10_000;
    const count = (api: string) => this.opts.counter?.add(`sqs.${api}`);
    count('GetQueueAttributes');
    const attrs = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    const notVisible = Number(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    const report: QuarantinePurgeReport = { where: QueueUrl, scanned: 0, deleted: 0, unattributed: 0, notVisible, complete: false };
    const seen = new Set<string>();
    /** Receipt handles of the others, to make them visible again. */
    const others = new Map<string, string>();
    let empty = 0;
    try {
      while (report.scanned < maxMessages) {
        count('ReceiveMessage');
        const res = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: this.opts.visibilityTimeoutSeconds ?? 300,
            WaitTimeSeconds: 1,
            MessageAttributeNames: [CUSTOMER_KEY_ATTRIBUTE],
          }),
        );
        const messages = res.Messages ?? [];
        if (messages.length === 0) {
          if (++empty >= (this.opts.emptyReceives ?? 2)) {
            report.complete = true;
            break;
          }
          continue;
        }
        empty = 0;
        const doomed: Message[] = [];
        for (const m of messages) {
          const id = m.MessageId ?? '';
          const again = seen.has(id);
          seen.add(id);
          if (!again) report.scanned++;
          const key = keyOfMessage(m, this.keyOf);
          if (key === customerKey) doomed.push(m);
          else {
            if (key === undefined && !again) report.unattributed++;
            others.set(id, m.ReceiptHandle ?? '');
          }
        }
        for (const part of chunk(doomed, 10)) {
          count('DeleteMessageBatch');
          const del = await this.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl, Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }),
          );
          report.deleted += del.Successful?.length ?? 0;
          if (del.Failed && del.Failed.length > 0) throw new Error(`quarantine purge: ${del.Failed.length} message(s) not deleted: ${del.Failed[0].Code ?? ''}`);
        }
      }
    } finally {
      // The others go back at once, for the operators and tools reading the quarantine.
      for (const part of chunk([...others.values()], 10)) {
        count('ChangeMessageVisibilityBatch');
        try {
          await this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: part.map((h, i) => ({ Id: String(i), ReceiptHandle: h, VisibilityTimeout: 0 })) }));
        } catch {
          // Not lost: they show again when the scan's visibility timeout runs out.
        }
      }
    }
    return report;
  }
}
