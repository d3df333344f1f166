/**
 * Redrive of an on-failure destination against kinesalite, with the SQS queue as an in-memory
 * double (test/unit/ops/sqs-double.ts) and the local JSON-lines file: the records of exactly the
 * range named are put again with their data and partition keys, the message is deleted, an
 * expired range is reported and kept, and a dry run changes nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { Emulators, LocalStream } from '../../local/emulators';
import { JsonLinesQueue } from '../../local/jsonl-queue';
import { onFailureRecord, type KinesisOnFailureRecord, type ShardRecord } from '../../local/poller';
import { JsonLinesFailureSource } from '../../shared/ops/failure-source';
import { SqsFailureSource } from '../../shared/adapters/sqs-failure-source';
import { KinesisStreamRanges } from '../../shared/adapters/kinesis-range-reader';
import { formatOutcome, formatTotals, redrive } from '../../shared/ops/redrive';
import { createTestStream, startTestEmulators } from './local/helpers';
import { SqsDouble } from '../unit/ops/sqs-double';

let emu: Emulators;
beforeAll(async () => {
  emu = await startTestEmulators();
});
afterAll(async () => {
  await emu.stop();
});

const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

interface Put {
  sequenceNumber: string;
  shardId: string;
  partitionKey: string;
  data: string;
}

/** Puts `count` records on one shard (one stream of one shard), each with its own partition key. */
async function putRecordsOn(stream: LocalStream, count: number, tag: string): Promise<Put[]> {
  const records = Array.from({ length: count }, (_, i) => ({ PartitionKey: `pk-${tag}-${i}`, Data: Buffer.from(JSON.stringify({ tag, i })) }));
  const res = await emu.clients.kinesis.send(new PutRecordsCommand({ StreamName: stream.name, Records: records }));
  if (res.FailedRecordCount) throw new Error('PutRecords failed');
  return (res.Records ?? []).map((r, i) => ({
    sequenceNumber: r.SequenceNumber ?? '',
    shardId: r.ShardId ?? '',
    partitionKey: records[i].PartitionKey,
    data: records[i].Data.toString('utf8'),
  }));
}

/** Every record of a shard, oldest first. */
async function readShard(stream: LocalStream, shardId: string): Promise<Put[]> {
  const it = await emu.clients.kinesis.send(new GetShardIteratorCommand({ StreamName: stream.name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const out: Put[] = [];
  let iterator = it.ShardIterator;
  while (iterator) {
    const res = await emu.clients.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const r of res.Records ?? []) {
      out.push({ sequenceNumber: r.SequenceNumber ?? '', shardId, partitionKey: r.PartitionKey ?? '', data: Buffer.from(r.Data ?? []).toString('utf8') });
    }
    if ((res.Records ?? []).length === 0) break;
    iterator = res.NextShardIterator;
  }
  return out;
}

/** The on-failure record Lambda (and local mode) writes for these records of one shard. */
function failureFor(stream: LocalStream, records: Put[]): KinesisOnFailureRecord {
  const shardRecords: ShardRecord[] = records.map((r) => ({ sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, data: Buffer.from(r.data), arrivedAtMs: Date.now() }));
  return onFailureRecord(shardRecords, {
    requestId: 'req-1',
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:micro-moments-test-enrich',
    condition: 'RetryAttemptsExhausted',
    invokeCount: 3,
    shardId: records[0].shardId,
    streamArn: stream.arn,
    now: new Date(),
  });
}

const strip = (records: Put[]) => records.map(({ partitionKey, data }) => ({ partitionKey, data }));

describe('redrive from the SQS on-failure queue', () => {
  let sqs: SqsDouble;
  beforeEach(() => {
    sqs = new SqsDouble();
  });
  afterEach(() => sqs.restore());

  test('puts exactly the records of the range again, same data and partition keys, then deletes the message', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 12, 'a');
    const range = put.slice(3, 9); // a batch in the middle of the shard
    sqs.send(failureFor(stream, range));

    const lines: string[] = [];
    const report = await redrive({
      source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }),
      kinesis: new KinesisStreamRanges(emu.clients.kinesis),
      retry: FAST_RETRY,
      onOutcome: (o, i) => lines.push(formatOutcome(o, i)),
    });

    expect(report.totals).toMatchObject({ messages: 1, recordsRead: 6, recordsPut: 6, messagesDeleted: 1, messagesKept: 0 });
    expect(report.outcomes[0].status).toBe('redriven');
    expect(sqs.depth).toBe(0);
    const after = await readShard(stream, put[0].shardId);
    expect(after).toHaveLength(12 + 6);
    expect(strip(after.slice(0, 12))).toEqual(strip(put));
    expect(strip(after.slice(12))).toEqual(strip(range));
    // The report names coordinates and counts, never data or partition keys.
    const printed = [...lines, formatTotals(report)].join('\n');
    expect(printed).toContain(range[0].sequenceNumber);
    expect(printed).toContain(range[5].sequenceNumber);
    expect(printed).not.toMatch(/pk-a-/);
    expect(printed).not.toMatch(/"tag"/);
  });

  test('several messages on several shards, each redriven to the shard range it names', async () => {
    const stream = await createTestStream(emu, 2);
    const put = await putRecordsOn(stream, 40, 'b');
    const byShard = new Map<string, Put[]>();
    for (const p of put) byShard.set(p.shardId, [...(byShard.get(p.shardId) ?? []), p]);
    expect(byShard.size).toBe(2);
    const ranges = [...byShard.values()].map((records) => records.slice(1, 4));
    for (const r of ranges) sqs.send(failureFor(stream, r));

    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), retry: FAST_RETRY });

    expect(report.totals).toMatchObject({ messages: 2, recordsPut: 6, messagesDeleted: 2 });
    // Re-put with the same partition keys, each record lands on the shard it came from.
    for (const [shardId, records] of byShard) {
      const after = await readShard(stream, shardId);
      const range = ranges.find((r) => r[0].shardId === shardId)!;
      expect(strip(after.slice(records.length))).toEqual(strip(range));
    }
  });

  test('a range past the stream’s retention is reported as expired and the message is kept', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 5, 'c');
    const d = await emu.clients.kinesis.send(new DescribeStreamCommand({ StreamName: stream.name }));
    // The shard's starting sequence number holds no record: as if the first records had been trimmed.
    const trimmed = d.StreamDescription?.Shards?.[0].SequenceNumberRange?.StartingSequenceNumber ?? '';
    const whollyGone = failureFor(stream, put.slice(0, 1));
    whollyGone.KinesisBatchInfo.startSequenceNumber = trimmed;
    whollyGone.KinesisBatchInfo.endSequenceNumber = trimmed;
    whollyGone.KinesisBatchInfo.approximateArrivalOfFirstRecord = new Date(Date.now() - 30 * 3_600_000).toISOString();
    const partlyGone = failureFor(stream, put.slice(0, 3));
    partlyGone.KinesisBatchInfo.startSequenceNumber = trimmed;
    partlyGone.KinesisBatchInfo.batchSize = 5;
    sqs.send(whollyGone);
    sqs.send(partlyGone);

    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), retry: FAST_RETRY });

    const [expired, partial] = report.outcomes;
    expect(expired).toMatchObject({ status: 'expired', read: 0, put: 0, deleted: false });
    expect(expired.detail).toMatch(/no record of the range is left/);
    expect(expired.detail).toMatch(/first record arrived 30\.0 h ago/);
    expect(expired.detail).toMatch(/stream retention 24 h/);
    // What is left of a partly expired range goes back to the stream before it expires too.
    expect(partial).toMatchObject({ status: 'partially-expired', read: 3, put: 3, deleted: false });
    expect(partial.detail).toMatch(/2 of 5 records gone/);
    expect(sqs.depth).toBe(2);
    expect(sqs.visible).toBe(2); // released for the next run
    expect(await readShard(stream, put[0].shardId)).toHaveLength(5 + 3);
  });

  test('--delete-expired deletes the message of an expired range', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 2, 'd');
    const d = await emu.clients.kinesis.send(new DescribeStreamCommand({ StreamName: stream.name }));
    const trimmed = d.StreamDescription?.Shards?.[0].SequenceNumberRange?.StartingSequenceNumber ?? '';
    const gone = failureFor(stream, put.slice(0, 1));
    gone.KinesisBatchInfo.startSequenceNumber = trimmed;
    gone.KinesisBatchInfo.endSequenceNumber = trimmed;
    sqs.send(gone);
    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), deleteExpired: true });
    expect(report.outcomes[0]).toMatchObject({ status: 'expired', deleted: true });
    expect(sqs.depth).toBe(0);
  });

  test('a stream that no longer exists is reported as expired, not thrown', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 2, 'e');
    const msg = failureFor(stream, put);
    msg.KinesisBatchInfo.streamArn = stream.arn.replace(stream.name, `${stream.name}-deleted`);
    sqs.send(msg);
    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis) });
    expect(report.outcomes[0]).toMatchObject({ status: 'expired', deleted: false });
    expect(report.outcomes[0].detail).toMatch(/ResourceNotFoundException/);
  });

  test('--dry-run reads and reports, puts nothing and deletes nothing', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 8, 'f');
    sqs.send(failureFor(stream, put.slice(2, 6)));
    sqs.send('not json');

    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), dryRun: true });

    expect(report.outcomes.map((o) => o.status)).toEqual(['would-redrive', 'invalid']);
    expect(report.outcomes[0]).toMatchObject({ read: 4, put: 0, deleted: false });
    expect(report.totals).toMatchObject({ recordsPut: 0, messagesDeleted: 0, messagesKept: 2 });
    expect(await readShard(stream, put[0].shardId)).toHaveLength(8);
    expect(sqs.depth).toBe(2);
    expect(sqs.visible).toBe(2);
    expect(formatTotals(report)).toMatch(/^dry run: nothing was put or deleted/);
  });

  test('--max handles that many messages and leaves the rest', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 6, 'g');
    for (let i = 0; i < 3; i++) sqs.send(failureFor(stream, put.slice(i * 2, i * 2 + 2)));
    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), max: 2 });
    expect(report.totals).toMatchObject({ messages: 2, recordsPut: 4, messagesDeleted: 2 });
    expect(sqs.depth).toBe(1);
    expect(sqs.visible).toBe(1);
  });

  test('--stream reads from and puts to the stream given instead of the one in the message', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 4, 'h');
    const msg = failureFor(stream, put.slice(0, 2));
    msg.KinesisBatchInfo.streamArn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/renamed-elsewhere';
    sqs.send(msg);
    const report = await redrive({ source: new SqsFailureSource(sqs.client, sqs.queueUrl, { waitTimeSeconds: 0 }), kinesis: new KinesisStreamRanges(emu.clients.kinesis), stream: stream.name });
    expect(report.outcomes[0]).toMatchObject({ status: 'redriven', stream: stream.name, put: 2 });
    expect(strip((await readShard(stream, put[0].shardId)).slice(4))).toEqual(strip(put.slice(0, 2)));
  });
});

describe('redrive from a local-mode JSON-lines file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('redriven lines leave the file, kept ones stay, lines appended meanwhile are not lost', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 6, 'i');
    const file = join(dir, 'enrich-failures.jsonl');
    // Written the way local mode writes its on-failure destination.
    const queue = new JsonLinesQueue<unknown>('enrich-failures', file);
    queue.send(failureFor(stream, put.slice(0, 2)));
    queue.send({ KinesisBatchInfo: { shardId: 'x' } });
    queue.send(failureFor(stream, put.slice(2, 5)));

    const source = new JsonLinesFailureSource(file);
    const report = await redrive({
      source,
      kinesis: new KinesisStreamRanges(emu.clients.kinesis),
      onOutcome: () => queue.send({ appended: true }), // a pipeline still running beside the redrive
    });

    expect(report.outcomes.map((o) => o.status)).toEqual(['redriven', 'invalid', 'redriven']);
    expect(report.totals.recordsPut).toBe(5);
    const left = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(left).toEqual([{ KinesisBatchInfo: { shardId: 'x' } }, { appended: true }, { appended: true }, { appended: true }]);
    expect(strip((await readShard(stream, put[0].shardId)).slice(6))).toEqual(strip(put.slice(0, 5)));
  });

  test('the npm script (scripts/redrive.ts) against local mode: --dry-run, then the redrive, exit codes and output', async () => {
    const stream = await createTestStream(emu, 1);
    const put = await putRecordsOn(stream, 4, 'j');
    const file = join(dir, 'score-failures.jsonl');
    const queue = new JsonLinesQueue<unknown>('score-failures', file);
    queue.send(failureFor(stream, put.slice(1, 3)));
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), 'scripts/redrive.ts', '--file', file, '--endpoint-url', emu.endpoints.kinesis, ...args], {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      });

    const dry = await run('--dry-run');
    expect(dry.stdout).toMatch(/#1 WOULD-REDRIVE .* read 2, put 0/);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await readShard(stream, put[0].shardId)).toHaveLength(4);

    const real = await run();
    expect(real.stdout).toMatch(/#1 REDRIVEN .* read 2, put 2, retried 0, failed 0; message deleted/);
    expect(real.stdout).toMatch(/messages deleted 1, kept 0/);
    expect(real.stdout).not.toMatch(/pk-j-|"tag"/);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(strip((await readShard(stream, put[0].shardId)).slice(4))).toEqual(strip(put.slice(1, 3)));
  });
});
