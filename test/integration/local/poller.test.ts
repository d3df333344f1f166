/**
 * The local Kinesis event source mapping on its own, against kinesalite, with a test handler:
 * order per shard, partial batch responses, bisection, bounded retries, record age, the
 * on-failure destination's coordinates and redelivery after a crash.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { EventSourceSettings } from '../../../shared/config';
import type { Emulators } from '../../../local/emulators';
import { JsonLinesQueue } from '../../../local/jsonl-queue';
import { EventSourceMapping, type KinesisHandler, type KinesisOnFailureRecord, type PollerFaults } from '../../../local/poller';
import { compareSequenceNumbers } from '../../../shared/stream/arrival';
import { createTestStream, decodeNumbered, putNumbered, startTestEmulators, type Delivered } from './helpers';

let emu: Emulators;
beforeAll(async () => {
  emu = await startTestEmulators();
});
afterAll(async () => {
  await emu.stop();
});

const SETTINGS: EventSourceSettings = {
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  parallelizationFactor: 1,
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
};

interface Harness {
  mapping: EventSourceMapping;
  onFailure: JsonLinesQueue<KinesisOnFailureRecord>;
  /** Every invocation, in order, with the records it carried. */
  calls: Delivered[][];
  /** Records of invocations that returned without failures. */
  succeeded: Delivered[];
  stream: { name: string; arn: string; shardIds: string[] };
}

async function harness(
  respond: (records: Delivered[], call: number, event: KinesisStreamEvent) => unknown,
  opts: { settings?: Partial<EventSourceSettings>; faults?: PollerFaults; bisect?: boolean } = {},
): Promise<Harness> {
  const stream = await createTestStream(emu);
  const calls: Delivered[][] = [];
  const succeeded: Delivered[] = [];
  const handler: KinesisHandler = async (event) => {
    const records = decodeNumbered(event);
    calls.push(records);
    const out = respond(records, calls.length, event);
    const failures = (out as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
    if (!failures || failures.length === 0) succeeded.push(...records);
    return out;
  };
  const onFailure = new JsonLinesQueue<KinesisOnFailureRecord>('test-on-failure');
  const mapping = new EventSourceMapping({
    functionName: 'test-fn',
    kinesis: emu.clients.kinesis,
    stream,
    settings: { ...SETTINGS, ...opts.settings },
    handler,
    onFailure,
    pollIntervalMs: 20,
    retryDelayMs: 5,
    ...(opts.bisect === undefined ? {} : { bisectBatchOnError: opts.bisect }),
    ...(opts.faults ? { faults: opts.faults } : {}),
  });
  await mapping.start();
  return { mapping, onFailure, calls, succeeded, stream };
}

const countBy = (records: Delivered[]) => {
  const m = new Map<number, number>();
  for (const r of records) m.set(r.n, (m.get(r.n) ?? 0) + 1);
  return m;
};

test('delivers every record once, in order per shard, as real KinesisStreamEvents no larger than the batch size', async () => {
  const events: KinesisStreamEvent[] = [];
  const h = await harness((_records, _call, event) => {
    events.push(event);
    return { batchItemFailures: [] };
  });
  await putNumbered(emu, h.stream.name, 75);
  await h.mapping.drain();

  const all = h.calls.flat();
  expect(all).toHaveLength(75);
  expect(new Set(all.map((r) => r.n)).size).toBe(75);
  expect(Math.max(...h.calls.map((c) => c.length))).toBeLessThanOrEqual(10);
  for (const shardId of h.stream.shardIds) {
    const seqs = all.filter((r) => r.shardId === shardId).map((r) => r.sequenceNumber);
    expect(seqs.length).toBeGreaterThan(0);
    for (let i = 1; i < seqs.length; i++) expect(compareSequenceNumbers(seqs[i - 1], seqs[i])).toBeLessThan(0);
  }
  // A customer's records stay in put order.
  for (let k = 0; k < 8; k++) {
    const ns = all.filter((r) => r.key === `customer-${k}`).map((r) => r.n);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  }
  const record = events[0].Records[0];
  expect(record.eventSource).toBe('aws:kinesis');
  expect(record.eventSourceARN).toBe(h.stream.arn);
  expect(record.eventID).toBe(`${record.eventID.split(':')[0]}:${record.kinesis.sequenceNumber}`);
  expect(h.stream.shardIds).toContain(record.eventID.split(':')[0]);
  expect(typeof record.kinesis.approximateArrivalTimestamp).toBe('number');
  expect(Math.abs(record.kinesis.approximateArrivalTimestamp * 1000 - Date.now())).toBeLessThan(60_000);
  expect(h.mapping.stats.recordsSucceeded).toBe(75);
  expect(h.onFailure.length).toBe(0);
});

test('a partial batch response checkpoints before the lowest failed record and retries from there', async () => {
  let failedOnce = false;
  let target: Delivered | undefined;
  const h = await harness((records) => {
    if (failedOnce || records.length < 6) return undefined;
    failedOnce = true;
    target = records[3];
    // Two failures reported, out of order: the lowest one is the checkpoint.
    return { batchItemFailures: [{ itemIdentifier: records[5].sequenceNumber }, { itemIdentifier: records[3].sequenceNumber }] };
  });
  await putNumbered(emu, h.stream.name, 40, 1); // one customer: one shard, full batches
  await h.mapping.drain();

  expect(target).toBeDefined();
  const counts = countBy(h.calls.flat());
  const firstBatch = h.calls.find((c) => c.some((r) => r.n === target?.n) && c.length >= 6) as Delivered[];
  const at = firstBatch.findIndex((r) => r.n === target?.n);
  for (const r of firstBatch.slice(0, at)) expect(counts.get(r.n)).toBe(1);
  for (const r of firstBatch.slice(at)) expect(counts.get(r.n)).toBe(2);
  // The retry starts exactly at the failed record.
  const retry = h.calls[h.calls.indexOf(firstBatch) + 1];
  expect(retry[0].n).toBe(target?.n);
  expect(h.mapping.stats.recordsSucceeded).toBe(40);
  expect(counts.size).toBe(40);
  expect(h.onFailure.length).toBe(0);
});

test('a thrown error bisects the batch until the poison record is alone; it is retried, then sent to the on-failure destination with its coordinates', async () => {
  const POISON = 13;
  const h = await harness(
    (records) => {
      if (records.some((r) => r.n === POISON)) throw new Error('poison');
      return { batchItemFailures: [] };
    },
    { settings: { batchSize: 16, retryAttempts: 2 } },
  );
  await putNumbered(emu, h.stream.name, 32, 1);
  await h.mapping.drain();

  // Every other record succeeded exactly once; the poison never did.
  const ok = countBy(h.succeeded);
  for (let n = 0; n < 32; n++) expect(ok.get(n)).toBe(n === POISON ? undefined : 1);
  // Alone, it was tried 1 + retryAttempts times.
  expect(h.calls.filter((c) => c.length === 1 && c[0].n === POISON)).toHaveLength(3);
  expect(h.mapping.stats.bisections).toBeGreaterThan(0);

  expect(h.onFailure.messages).toHaveLength(1);
  const poison = h.calls.flat().find((r) => r.n === POISON) as Delivered;
  const msg = h.onFailure.messages[0];
  expect(msg.requestContext.condition).toBe('RetryAttemptsExhausted');
  expect(msg.requestContext.approximateInvokeCount).toBe(3);
  expect(msg.responseContext.functionError).toBe('Unhandled');
  expect(msg.KinesisBatchInfo).toMatchObject({
    shardId: poison.shardId,
    startSequenceNumber: poison.sequenceNumber,
    endSequenceNumber: poison.sequenceNumber,
    batchSize: 1,
    streamArn: h.stream.arn,
  });
  expect(Date.parse(msg.KinesisBatchInfo.approximateArrivalOfFirstRecord)).not.toBeNaN();
  expect(h.mapping.checkpoints.get(poison.shardId)).toBe(h.calls.flat().filter((r) => r.shardId === poison.shardId).at(-1)?.sequenceNumber);
});

test('partial failures are retried a bounded number of times, then the remaining range goes to the on-failure destination', async () => {
  const STUCK = 5;
  const h = await harness(
    (records) => {
      const stuck = records.find((r) => r.n === STUCK);
      return { batchItemFailures: stuck ? [{ itemIdentifier: stuck.sequenceNumber }] : [] };
    },
    { settings: { batchSize: 10, retryAttempts: 1 } },
  );
  await putNumbered(emu, h.stream.name, 10, 1);
  await h.mapping.drain();

  const batches = h.calls.filter((c) => c.some((r) => r.n === STUCK));
  expect(batches).toHaveLength(2); // first try + 1 retry
  expect(batches[1].map((r) => r.n)).toEqual([5, 6, 7, 8, 9]);
  expect(h.onFailure.messages).toHaveLength(1);
  const info = h.onFailure.messages[0].KinesisBatchInfo;
  expect(info.batchSize).toBe(5);
  expect(info.startSequenceNumber).toBe(batches[1][0].sequenceNumber);
  expect(info.endSequenceNumber).toBe(batches[1][4].sequenceNumber);
  expect(h.onFailure.messages[0].responseContext.functionError).toBeUndefined();
});

test('an invalid item identifier fails the whole batch', async () => {
  let first = true;
  const h = await harness(() => {
    if (first) {
      first = false;
      return { batchItemFailures: [{ itemIdentifier: '' }] };
    }
    return undefined;
  }, { bisect: false });
  await putNumbered(emu, h.stream.name, 4, 1);
  await h.mapping.drain();
  expect(h.calls).toHaveLength(2);
  expect(h.calls[1].map((r) => r.n)).toEqual(h.calls[0].map((r) => r.n));
  expect(h.mapping.stats.functionErrors).toBe(1);
});

test('records older than maxRecordAgeSeconds go to the on-failure destination instead of being retried forever', async () => {
  const h = await harness(
    () => {
      throw new Error('down');
    },
    { settings: { retryAttempts: -1, maxRecordAgeSeconds: 2 }, bisect: false },
  );
  await putNumbered(emu, h.stream.name, 3, 1);
  await h.mapping.drain();
  expect(h.calls.length).toBeGreaterThan(1);
  expect(h.onFailure.messages).toHaveLength(1);
  expect(h.onFailure.messages[0].requestContext.condition).toBe('RecordAgeExceeded');
  expect(h.onFailure.messages[0].KinesisBatchInfo.batchSize).toBe(3);
});

test('a process death after the handler ran and before the checkpoint redelivers the batch (at least once)', async () => {
  let crashes = 0;
  const h = await harness(() => undefined, {
    faults: {
      crashBeforeCheckpoint: () => {
        if (crashes > 0) return false;
        crashes++;
        return true;
      },
    },
  });
  await putNumbered(emu, h.stream.name, 6, 1);
  await h.mapping.drain();
  expect(h.mapping.stats.crashes).toBe(1);
  const counts = countBy(h.calls.flat());
  for (let n = 0; n < 6; n++) expect(counts.get(n)).toBe(2);
  expect(h.mapping.stats.recordsRedelivered).toBe(6);
  // Everything ends checkpointed: nothing more is delivered.
  expect(h.calls.slice(1).flat().map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5]);
});

test('stop() then start() resumes after the checkpoint', async () => {
  const h = await harness(() => undefined);
  await putNumbered(emu, h.stream.name, 10, 1);
  await h.mapping.idle();
  await h.mapping.stop();
  await putNumbered(emu, h.stream.name, 5, 1, 10);
  await h.mapping.start();
  await h.mapping.drain();
  expect(h.calls.flat().map((r) => r.n)).toEqual(Array.from({ length: 15 }, (_, i) => i));
});

test('a batching window gathers records into fuller batches', async () => {
  const h = await harness(() => undefined, { settings: { batchSize: 50, maxBatchingWindowSeconds: 1 } });
  await putNumbered(emu, h.stream.name, 10, 1);
  await new Promise((r) => setTimeout(r, 100));
  await putNumbered(emu, h.stream.name, 10, 1, 10);
  await h.mapping.drain();
  expect(h.calls).toHaveLength(1);
  expect(h.calls[0]).toHaveLength(20);
});

test('lagMs() is the age of the oldest record not yet handled, 0 once caught up; the iterator age keeps its maximum', async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const h = await harness((_records, call) => (call === 1 ? gate : undefined));
  await putNumbered(emu, h.stream.name, 20, 1);
  while (h.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
  const blockedAt = Date.now();
  await new Promise((r) => setTimeout(r, 300));
  // The records arrived before the handler was blocked: the lag is at least the time blocked.
  expect(h.mapping.lagMs()).toBeGreaterThanOrEqual(Date.now() - blockedAt - 2);
  expect(h.mapping.stats.millisBehindLatest).toBe(0); // what kinesalite says, whatever the backlog
  release();
  await h.mapping.drain();
  expect(h.calls.flat()).toHaveLength(20);
  expect(h.mapping.lagMs()).toBe(0);
  // The second batch waited behind the first: its last record was at least 300 ms old when handed over.
  expect(h.mapping.stats.maxIteratorAgeMs).toBeGreaterThanOrEqual(290);
});
