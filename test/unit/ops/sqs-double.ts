/**
 * An in-memory SQS queue behind aws-sdk-client-mock (there is no SQS emulator in the project):
 * ReceiveMessage hides what it returns until DeleteMessage or ChangeMessageVisibility(0), as SQS
 * does within a visibility timeout, so a redrive sees each message once and a release gives it back.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

interface Stored {
  id: string;
  body: string;
  handle?: string;
  visible: boolean;
}

export class SqsDouble {
  readonly client = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  readonly stub: AwsClientStub<SQSClient>;
  private readonly messages: Stored[] = [];
  private counter = 0;

  constructor(readonly queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/micro-moments-test-enrich-failures') {
    this.stub = mockClient(this.client);
    this.stub.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages?: number }) => {
      const out = this.messages.filter((m) => m.visible).slice(0, input.MaxNumberOfMessages ?? 1);
      for (const m of out) {
        m.visible = false;
        m.handle = `handle-${++this.counter}`;
      }
      return { Messages: out.map((m) => ({ MessageId: m.id, ReceiptHandle: m.handle, Body: m.body })) };
    });
    this.stub.on(DeleteMessageCommand).callsFake((input: { ReceiptHandle?: string }) => {
      const i = this.messages.findIndex((m) => m.handle !== undefined && m.handle === input.ReceiptHandle);
      if (i < 0) throw Object.assign(new Error('receipt handle is invalid'), { name: 'ReceiptHandleIsInvalid' });
      this.messages.splice(i, 1);
      return {};
    });
    this.stub.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries?: { Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }[] }) => {
      for (const e of input.Entries ?? []) {
        const m = this.messages.find((x) => x.handle === e.ReceiptHandle);
        if (m && e.VisibilityTimeout === 0) m.visible = true;
      }
      return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id })), Failed: [] };
    });
  }

  send(body: unknown): string {
    const id = `msg-${this.messages.length + 1}-${++this.counter}`;
    this.messages.push({ id, body: typeof body === 'string' ? body : JSON.stringify(body), visible: true });
    return id;
  }

  /** Messages in the queue, visible or not. */
  get depth(): number {
    return this.messages.length;
  }

  get visible(): number {
    return this.messages.filter((m) => m.visible).length;
  }

  restore(): void {
    this.stub.restore();
    this.client.destroy();
  }
}
