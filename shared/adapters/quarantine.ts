/**
 * The quarantine: where a bad record goes, with its reason, stream coordinates and raw payload,
 * so nothing is lost and an operator can fix and resend it. SQS in AWS (SendMessageBatch, 10 a
 * call, failed entries retried); a local sink in local mode.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk, DEFAULT_RETRY, sendWithEntryRetries, type EntryFailure, type RetryPolicy } from './retry';
import { CUSTOMER_KEY_ATTRIBUTE, QuarantineError, type QuarantineEntry, type QuarantineSink } from '../stream/quarantine';
import type { RequestCounter } from './request-counter';

/** SQS messages are at most 256 KiB; signals are at most 32 KiB, but a bad record can be anything. */
const MAX_PAYLOAD_CHARS = 200 * 1024;

export function toQuarantineBody(e: QuarantineEntry): string {
  const truncated = e.payloadBase64.length > MAX_PAYLOAD_CHARS;
  return JSON.stringify({
    ...e,
    payloadBase64: truncated ? e.payloadBase64.slice(0, MAX_PAYLOAD_CHARS) : e.payloadBase64,
    ...(truncated ? { payloadTruncated: true } : {}),
  });
}

export class SqsQuarantine implements QuarantineSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly opts: { counter?: RequestCounter; retry?: RetryPolicy } = {},
  ) {}

  async send(entries: QuarantineEntry[]): Promise<void> {
    const failures: EntryFailure<QuarantineEntry>[] = [];
    for (const part of chunk(entries, 10)) {
      // SendMessageBatch caps the whole call at 256 KiB, so large bodies go one per call.
      const bodies = part.map(toQuarantineBody);
      const groups = bodies.reduce((sum, b) => sum + b.length, 0) > 250 * 1024 ? part.map((p) => [p]) : [part];
      for (const group of groups) {
        const outcome = await sendWithEntryRetries(
          group,
          async (batch) => {
            this.opts.counter?.add('sqs.SendMessageBatch');
            const res = await this.sqs.send(
              new SendMessageBatchCommand({
                QueueUrl: this.queueUrl,
                Entries: batch.map((e, i) => ({
                  Id: String(i),
                  MessageBody: toQuarantineBody(e),
                  MessageAttributes: {
                    code: { DataType: 'String', StringValue: e.code },
                    ...(e.customerKey !== undefined ? { [CUSTOMER_KEY_ATTRIBUTE]: { DataType: 'String', StringValue: e.customerKey } } : {}),
                  },
                })),
              }),
            );
            return (res.Failed ?? []).map((f) => ({ entry: batch[Number(f.Id)], error: `${f.Code}: ${f.Message ?? ''}` }));
          },
          this.opts.retry ?? DEFAULT_RETRY,
          (n) => this.opts.counter?.add('sqs.retriedEntries', n),
        );
        failures.push(...outcome.failed);
      }
    }
    if (failures.length > 0) throw new QuarantineError(failures);
  }
}
