/**
 * The emulators in child processes: the same resources as in process, reachable by the SDK, and
 * nothing left running after stop().
 */
import { connect } from 'node:net';
import { PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand } from '@aws-sdk/client-kinesis';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../../shared/config';
import { startEmulators } from '../../../local/emulators';
import { startEmulatorProcess } from '../../../local/emulator-process';

const config = loadConfig({ stage: 'isolated' });

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('isolated emulators hold the stack resources, answer the SDK and are gone after stop()', async () => {
  const emu = await startEmulators(config, { isolate: true, onDemandShardCount: 2 });
  const ports = [emu.endpoints.kinesis, emu.endpoints.dynamodb].map((e) => Number(new URL(e).port));
  try {
    expect(emu.streams.signals.shardIds).toHaveLength(2);
    expect(emu.streams.signals.name).toBe(emu.names.signalsStream);
    await emu.clients.doc.send(new PutCommand({ TableName: emu.table, Item: { pk: 'C#k', sk: 'PROFILE', v: 1 } }));
    const got = await emu.clients.doc.send(new GetCommand({ TableName: emu.table, Key: { pk: 'C#k', sk: 'PROFILE' } }));
    expect(got.Item).toEqual({ pk: 'C#k', sk: 'PROFILE', v: 1 });

    const put = await emu.clients.kinesis.send(
      new PutRecordsCommand({ StreamName: emu.streams.signals.name, Records: [{ PartitionKey: 'p', Data: Buffer.from('hello') }] }),
    );
    const shardId = put.Records?.[0].ShardId ?? '';
    const it = await emu.clients.kinesis.send(
      new GetShardIteratorCommand({ StreamName: emu.streams.signals.name, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records = await emu.clients.kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    expect(records.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual(['hello']);
  } finally {
    await emu.stop();
  }
  for (const port of ports) expect(await portOpen(port)).toBe(false);
});

test('a child that cannot listen fails start with its reason', async () => {
  const first = await startEmulatorProcess('dynalite');
  try {
    await expect(startEmulatorProcess('dynalite', first.port)).rejects.toThrow(/dynalite child process exited with 1 before listening: .*EADDRINUSE/);
  } finally {
    await first.stop();
  }
});
