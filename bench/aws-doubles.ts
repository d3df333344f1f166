/**
 * In-memory answers for the AWS calls a handler makes besides DynamoDB: Kinesis PutRecords,
 * EventBridge PutEvents and SQS SendMessageBatch. They short-circuit the SDK client at its first
 * middleware step, so the handler's own code (chunking, entry retries, request counting) runs as
 * deployed while no request is serialised or sent: what is measured is the handler and the domain.
 */
import type { KinesisClient, PutRecordsCommandInput, PutRecordsCommandOutput, ServiceOutputTypes as KinesisOutputs } from '@aws-sdk/client-kinesis';
import type { EventBridgeClient, PutEventsCommandInput, PutEventsCommandOutput, ServiceOutputTypes as EventBridgeOutputs } from '@aws-sdk/client-eventbridge';
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput, SQSClient, ServiceOutputTypes as SqsOutputs } from '@aws-sdk/client-sqs';
import type { RawRecord } from './workload';

const METADATA = { $metadata: { httpStatusCode: 200 } };

/** Records what enrich puts on the enriched stream: the score benchmark's input. */
export class CapturedStream {
  readonly records: RawRecord[] = [];
  calls = 0;
}

export function inMemoryKinesis(client: KinesisClient, sink: CapturedStream): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      const input = args.input as PutRecordsCommandInput;
      const records = input.Records ?? [];
      sink.calls++;
      for (const r of records) sink.records.push({ data: r.Data ?? new Uint8Array(), partitionKey: r.PartitionKey ?? '' });
      const output: PutRecordsCommandOutput = {
        ...METADATA,
        FailedRecordCount: 0,
        Records: records.map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' })),
      };
      return { output: output as KinesisOutputs, response: {} };
    },
    { step: 'initialize', name: 'benchInMemoryKinesis', override: true },
  );
}

/** Counts the events put on the bus and their 64 KB chunks (EventBridge bills per chunk). */
export class CapturedBus {
  events = 0;
  chunks64k = 0;
  calls = 0;
  reset(): void {
    this.events = 0;
    this.chunks64k = 0;
    this.calls = 0;
  }
}

export function inMemoryEventBridge(client: EventBridgeClient, sink: CapturedBus): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutEventsCommand') return next(args);
      const entries = (args.input as PutEventsCommandInput).Entries ?? [];
      sink.calls++;
      for (const e of entries) {
        sink.events++;
        const bytes = Buffer.byteLength(e.Detail ?? '') + Buffer.byteLength(e.DetailType ?? '') + Buffer.byteLength(e.Source ?? '');
        sink.chunks64k += Math.max(1, Math.ceil(bytes / (64 * 1024)));
      }
      const output: PutEventsCommandOutput = { ...METADATA, FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: String(i) })) };
      return { output: output as EventBridgeOutputs, response: {} };
    },
    { step: 'initialize', name: 'benchInMemoryEventBridge', override: true },
  );
}

export function inMemorySqs(client: SQSClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendMessageBatchCommand') return next(args);
      const entries = (args.input as SendMessageBatchCommandInput).Entries ?? [];
      const output: SendMessageBatchCommandOutput = {
        ...METADATA,
        Successful: entries.map((e) => ({ Id: e.Id ?? '', MessageId: e.Id ?? '', MD5OfMessageBody: '' })),
        Failed: [],
      };
      return { output: output as SqsOutputs, response: {} };
    },
    { step: 'initialize', name: 'benchInMemorySqs', override: true },
  );
}

/**
 * The handlers log and emit EMF on stdout and stderr as they do in Lambda (where the runtime ships
 * them to CloudWatch): the work of formatting them is part of the measured cost; the lines are
 * dropped, so quarantine warnings do not flood the benchmark's table. Answers the bytes dropped.
 */
export async function withOutputDropped(fn: () => Promise<void>): Promise<number> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let bytes = 0;
  const drop = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = drop;
  process.stderr.write = drop;
  try {
    await fn();
    return bytes;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
