/** The redrive's FailureSource (shared/ops/failure-source.ts) on the SQS on-failure queue. */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { FailureMessage, FailureSource } from '../ops/failure-source';

/** SQS receives at most 10 messages a call. */
const SQS_MAX_RECEIVE = 10;

export interface SqsSourceOptions {
  /** Seconds a received message stays invisible to other consumers while it is being redriven. */
  visibilityTimeoutSeconds?: number;
  /** Long polling: an empty answer after this wait means the queue is empty, not a sampled miss. */
  waitTimeSeconds?: number;
}

export class SqsFailureSource implements FailureSource {
  readonly description: string;
  private readonly seen = new Set<string>();
  /** Received and not removed: MessageId → ReceiptHandle. */
  private readonly held = new Map<string, string>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly opts: SqsSourceOptions = {},
  ) {
    this.description = queueUrl;
  }

  async receive(max: number): Promise<FailureMessage[]> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_MAX_RECEIVE, max)),
        VisibilityTimeout: this.opts.visibilityTimeoutSeconds ?? 300,
        WaitTimeSeconds: this.opts.waitTimeSeconds ?? 2,
      }),
    );
    const out: FailureMessage[] = [];
    for (const m of res.Messages ?? []) {
      if (!m.MessageId || !m.ReceiptHandle) continue;
      // A message seen earlier in this run came back (its visibility ran out): not twice.
      this.held.set(m.MessageId, m.ReceiptHandle);
      if (this.seen.has(m.MessageId)) continue;
      this.seen.add(m.MessageId);
      out.push({ id: m.MessageId, body: m.Body ?? '' });
    }
    return out;
  }

  async remove(message: FailureMessage): Promise<void> {
    const handle = this.held.get(message.id);
    if (!handle) throw new Error(`message ${message.id} was not received in this run`);
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: handle }));
    this.held.delete(message.id);
  }

  async release(): Promise<void> {
    const entries = [...this.held.entries()];
    for (let i = 0; i < entries.length; i += SQS_MAX_RECEIVE) {
      const part = entries.slice(i, i + SQS_MAX_RECEIVE);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: part.map(([, handle], j) => ({ Id: String(j), ReceiptHandle: handle, VisibilityTimeout: 0 })),
        }),
      );
    }
    this.held.clear();
  }
}
