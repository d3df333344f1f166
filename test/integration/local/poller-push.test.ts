/**
 * Local mode's two consumer modes (streams.<stream>.consumer), against kinesalite: shared
 * throughput reads a drained shard again only at its next poll; enhanced fan-out is pushed each
 * arrival (local/poller/arrivals.ts). Poll intervals and fallbacks are set to an hour, so what is
 * delivered within the test was delivered by the mode under test, not by a timer.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EventSourceSettings } from '../../../shared/config';
import { loadConfig } from '../../../shared/config';
import { createClients } from '../../../shared/adapters/aws-clients';
import { sleep } from '../../../shared/adapters/retry';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import type { Emulators } from '../../../local/emulators';
import { JsonLinesQueue } from '../../../local/jsonl-queue';
import { LocalPipeline } from '../../../local/pipeline';
import { readInputFile, runFeed } from '../../../local/feed';
import { EventSourceMapping, StreamArrivals, type KinesisOnFailureRecord } from '../../../local/poller';
import { createTestStream, decodeNumbered, putNumbered, startTestEmulators, type Delivered } from './helpers';

const HOUR = 3_600_000;
const SETTINGS: EventSourceSettings = { batchSize: 10, maxBatchingWindowSeconds: 0, parallelizationFactor: 1, retryAttempts: 0, maxRecordAgeSeconds: 3600 };

let emu: Emulators;
const arrivals = new StreamArrivals();
beforeAll(async () => {
  emu = await startTestEmulators();
  arrivals.watch(emu.clients.kinesis);
});
afterAll(async () => {
  await emu.stop();
});

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(10);
  }
}

async function mapping(consumer: 'shared' | 'enhanced-fan-out') {
  const stream = await createTestStream(emu);
  const delivered: Delivered[] = [];
  const m = new EventSourceMapping({
    functionName: `test-${consumer}`,
    kinesis: emu.clients.kinesis,
    stream,
    settings: SETTINGS,
    handler: async (event) => {
      delivered.push(...decodeNumbered(event));
      return { batchItemFailures: [] };
    },
    onFailure: new JsonLinesQueue<KinesisOnFailureRecord>('test-on-failure'),
    consumer,
    arrivals,
    pollIntervalMs: HOUR,
    pushFallbackMs: HOUR,
  });
  await m.start();
  return { m, stream, delivered };
}

describe('StreamArrivals', () => {
  test('an arrival counted before the wait began ends it at once: a put during the read is not missed', async () => {
    const a = new StreamArrivals();
    const before = a.count('s');
    a.notify('s');
    await expect(a.wait('s', before, HOUR).arrived).resolves.toBe(true);
  });

  test('a wait ends at the next arrival on its stream, at its timeout, or when cancelled, and not for another stream', async () => {
    const a = new StreamArrivals();
    const w = a.wait('s', a.count('s'), HOUR);
    a.notify('other');
    let settled = false;
    void w.arrived.then(() => (settled = true));
    await sleep(20);
    expect(settled).toBe(false);
    a.notify('s');
    await expect(w.arrived).resolves.toBe(true);
    await expect(a.wait('s', a.count('s'), 5).arrived).resolves.toBe(false);
    const cancelled = a.wait('s', a.count('s'), HOUR);
    cancelled.cancel();
    await expect(cancelled.arrived).resolves.toBe(false);
  });

  test('a watched Kinesis client reports its successful writes by stream; other clients are left alone', async () => {
    const a = new StreamArrivals();
    const client = a.watch(createClients(emu.clientOptions).kinesis);
    const stream = await createTestStream(emu, 1);
    await client.send(new PutRecordsCommand({ StreamName: stream.name, Records: [{ PartitionKey: 'k', Data: Buffer.from('{}') }] }));
    expect(a.count(stream.name)).toBe(1);
    await expect(client.send(new PutRecordsCommand({ StreamName: 'no-such-stream', Records: [{ PartitionKey: 'k', Data: Buffer.from('{}') }] }))).rejects.toThrow();
    expect(a.count('no-such-stream')).toBe(0);
    client.destroy();
    const sqs = new SQSClient({});
    expect(a.watch(sqs)).toBe(sqs);
    expect(sqs.middlewareStack.identify().some((m) => m.includes('localStreamArrivals'))).toBe(false);
  });
});

test('enhanced fan-out: records put on drained shards are pushed to the function, with no poll (an hour away)', async () => {
  const { m, stream, delivered } = await mapping('enhanced-fan-out');
  try {
    await sleep(50); // both pollers have read their empty shards and wait
    await putNumbered(emu, stream.name, 30);
    await until(() => delivered.length === 30, '30 records pushed');
    expect(new Set(delivered.map((r) => r.n)).size).toBe(30);
    // Another write, another push: the pollers went back to waiting for arrivals.
    await putNumbered(emu, stream.name, 5, 8, 30);
    await until(() => delivered.length === 35, '5 more records pushed');
  } finally {
    await m.stop();
  }
});

test('shared throughput: records put on drained shards wait for the next poll; idle() polls at once', async () => {
  const { m, stream, delivered } = await mapping('shared');
  try {
    await sleep(50); // both pollers have read their empty shards and wait an hour
    await putNumbered(emu, stream.name, 20);
    await sleep(300);
    expect(delivered).toEqual([]);
    await m.idle();
    expect(delivered).toHaveLength(20);
  } finally {
    await m.stop();
  }
});

test('the pipeline with enhanced fan-out on both streams: enrich is pushed the producer’s writes, score enrich’s', async () => {
  const config = loadConfig({ stage: 'itest', overrides: { streams: { signals: { consumer: 'enhanced-fan-out' }, enriched: { consumer: 'enhanced-fan-out' } } } });
  const pipeline = await LocalPipeline.start({ config, pollIntervalMs: HOUR, pushFallbackMs: HOUR, retryDelayMs: 5, busRetryDelayMs: 5 });
  try {
    expect([pipeline.mappings.enrich.consumer, pipeline.mappings.score.consumer]).toEqual(['enhanced-fan-out', 'enhanced-fan-out']);
    const producer = new Producer({ kinesis: pipeline.emulators.clients.kinesis, streamName: pipeline.emulators.streams.signals.name });
    const { records } = readInputFile('test/fixtures/signals/sample.jsonl', { shiftTo: new Date() });
    await runFeed(producer, records.map((r) => ({ ...r, at: 0 })), {});
    await until(() => pipeline.mappings.score.stats.recordsSucceeded > 0 && pipeline.mappings.enrich.stats.recordsSucceeded === records.length, 'signals enriched and scored');
    expect(pipeline.mappings.score.stats.recordsDelivered).toBeGreaterThan(0);
  } finally {
    await pipeline.stop();
  }
}, 60_000);
