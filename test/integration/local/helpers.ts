/** Emulators and throwaway streams for the local-mode integration tests. */
import { CreateStreamCommand, DescribeStreamCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { loadConfig } from '../../../shared/config';
import { sleep } from '../../../shared/adapters/retry';
import { startEmulators, type Emulators, type LocalStream } from '../../../local/emulators';

export async function startTestEmulators(): Promise<Emulators> {
  return startEmulators(loadConfig({ stage: 'test' }));
}

let streamCounter = 0;

/** A fresh stream per test, so tests do not see each other's records. */
export async function createTestStream(emu: Emulators, shardCount = 2): Promise<LocalStream> {
  const name = `test-stream-${process.pid}-${++streamCounter}`;
  await emu.clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  for (;;) {
    const d = await emu.clients.kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    if (d.StreamDescription?.StreamStatus === 'ACTIVE') {
      return { name, arn: d.StreamDescription.StreamARN ?? '', shardIds: (d.StreamDescription.Shards ?? []).map((s) => s.ShardId ?? '') };
    }
    await sleep(10);
  }
}

/** Puts `{ n }` records (n = 0..count-1) with partition keys spread over `keys` customers. */
export async function putNumbered(emu: Emulators, stream: string, count: number, keys = 8, from = 0): Promise<void> {
  const records = Array.from({ length: count }, (_, i) => ({
    PartitionKey: `customer-${(from + i) % keys}`,
    Data: Buffer.from(JSON.stringify({ n: from + i, key: `customer-${(from + i) % keys}` })),
  }));
  for (let i = 0; i < records.length; i += 500) {
    const res = await emu.clients.kinesis.send(new PutRecordsCommand({ StreamName: stream, Records: records.slice(i, i + 500) }));
    if (res.FailedRecordCount) throw new Error(`PutRecords: ${res.FailedRecordCount} failed`);
  }
}

export interface Delivered {
  n: number;
  key: string;
  shardId: string;
  sequenceNumber: string;
}

export function decodeNumbered(event: KinesisStreamEvent): Delivered[] {
  return event.Records.map((r) => {
    const body = JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as { n: number; key: string };
    return { ...body, shardId: r.eventID.split(':')[0], sequenceNumber: r.kinesis.sequenceNumber };
  });
}
