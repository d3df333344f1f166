/**
 * The simulator and the producer library against a Kinesis emulator: what is generated is what
 * lands on the stream, every record once, each customer's records in order on one shard. Also
 * the `npm run simulate` CLI, as a user runs it against an endpoint.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { defaultConfig } from '../../../shared/config/defaults';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { createSimulator } from '../../../local/simulator';
import { sendToStream } from '../../../local/simulator/run';
import { startEmulators, type Emulators } from '../../../local/emulators';

const ROOT = join(__dirname, '../../..');

async function readAll(kinesis: KinesisClient, stream: string, shardIds: string[]) {
  const out: { shard: string; key: string; data: string }[] = [];
  for (const shard of shardIds) {
    const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }));
    let iterator = it.ShardIterator;
    for (let i = 0; i < 100 && iterator; i++) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of res.Records ?? []) out.push({ shard, key: r.PartitionKey!, data: Buffer.from(r.Data!).toString('latin1') });
      if ((res.Records ?? []).length === 0) break;
      iterator = res.NextShardIterator;
    }
  }
  return out;
}

describe('simulator → producer → Kinesis emulator', () => {
  let emu: Emulators;
  beforeAll(async () => {
    emu = await startEmulators(defaultConfig);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it('puts every simulated record once, each customer in order on one shard', async () => {
    const sim = { seed: 11, customers: 50, ratePerSecond: 100, durationSeconds: 12, config: defaultConfig, malformedShare: 0.05, sensitiveShare: 0.05 };
    const puts = new Map<string, number>();
    const producer = new Producer({ kinesis: emu.clients.kinesis, streamName: emu.streams.signals.name, validate: false, onPut: (id, t) => puts.set(id, t) });
    const summary = await sendToStream(sim, { producer, pace: false });
    expect(summary).toMatchObject({ generated: 1200, written: 1200, failed: 0 });

    const got = await readAll(emu.clients.kinesis, emu.streams.signals.name, emu.streams.signals.shardIds);
    const strip = (s: string) => s.replace(/"timestamp":"[^"]*"/, '');
    const expected = [...createSimulator({ ...sim, startTime: new Date(0) })];
    expect(got).toHaveLength(expected.length);
    expect(got.map((r) => strip(r.data)).sort()).toEqual(expected.map((r) => strip(Buffer.from(r.record).toString('latin1'))).sort());

    const shardOf = new Map<string, string>();
    for (const r of got) {
      expect(shardOf.get(r.key) ?? r.shard).toBe(r.shard);
      shardOf.set(r.key, r.shard);
    }
    for (const key of new Set(expected.map((r) => r.partitionKey))) {
      const want = expected.filter((r) => r.partitionKey === key).map((r) => strip(Buffer.from(r.record).toString('latin1')));
      expect(got.filter((r) => r.key === key).map((r) => strip(r.data))).toEqual(want);
    }
    // onPut saw every record that has a messageId.
    expect(puts.size).toBe(expected.filter((r) => r.messageId).length);
  });

  it('runs `npm run simulate` against the endpoint and prints the counts', async () => {
    const stream = emu.streams.enriched.name; // an empty stream of its own for this test
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['local/simulator/cli.ts', '--stream', stream, '--region', emu.region, '--endpoint-url', emu.endpoints.kinesis, '--rate', '200', '--duration', '1', '--seed', '3', '--no-pace'],
      { cwd: ROOT, env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' } },
    );
    expect(stdout).toMatch(new RegExp(`^${stream}: 200 records written`));
    const got = await readAll(emu.clients.kinesis, stream, emu.streams.enriched.shardIds);
    expect(got).toHaveLength(200);
  });
});
