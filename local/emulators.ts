/**
 * DynamoDB (dynalite) and Kinesis (kinesalite) on loopback, in this process or (`isolate`) each in a
 * child process of its own (local/emulator-process.ts), holding the resources
 * the CDK stack defines: the same stream and table names (resourceNames(stage)), the table's key
 * schema (TABLE_KEYS) and, for provisioned streams, the same shard count. An ON_DEMAND stream has
 * no shard count to copy, so local mode picks one (2 by default): enough to exercise one poller
 * per shard and per-customer ordering across shards.
 *
 * Ports are ephemeral unless given, and printed by the CLI, so the AWS CLI and SDK can talk to a
 * running pipeline (`aws --endpoint-url http://127.0.0.1:PORT kinesis list-streams`).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamCommand } from '@aws-sdk/client-kinesis';
import type { MicroMomentsConfig } from '../shared/config';
import { resourceNames, type ResourceNames } from '../shared/names';
import { createClients, type AwsClients, type ClientOptions } from '../shared/adapters/aws-clients';
import { sleep } from '../shared/adapters/retry';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';
import { createTableInput } from '../shared/adapters/table-definition';

/** Emulators accept any credentials; these make the SDK skip its credential chain. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const DEFAULT_ON_DEMAND_SHARDS = 2;

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  kinesisPort?: number;
  dynamodbPort?: number;
  /** Shards of each stream when the configuration says ON_DEMAND. */
  onDemandShardCount?: number;
  /**
   * Run each emulator in a child process of its own (a second core for the emulators' work).
   * In process (the default) starts faster, which tests prefer; `npm start` and the benchmark isolate.
   */
  isolate?: boolean;
}

export interface LocalStream {
  name: string;
  arn: string;
  shardIds: string[];
}

export interface Emulators {
  names: ResourceNames;
  region: string;
  account: string;
  endpoints: { kinesis: string; dynamodb: string };
  streams: { signals: LocalStream; enriched: LocalStream };
  table: string;
  /** Options for createClients that reach these emulators. */
  clientOptions: ClientOptions;
  /** Clients for the CLI and tests (handlers get their own, built from clientOptions). */
  clients: AwsClients;
  /** Closes both servers and every connection to them; safe to call twice. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    // SDK clients keep connections alive; without this, close() waits for them to time out.
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export function shardCountFor(config: MicroMomentsConfig, opts: EmulatorOptions = {}): number {
  if (config.streams.mode === 'PROVISIONED' && config.streams.shardCount) return config.streams.shardCount;
  return opts.onDemandShardCount ?? DEFAULT_ON_DEMAND_SHARDS;
}

async function createStream(clients: AwsClients, name: string, shardCount: number): Promise<LocalStream> {
  await clients.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
  for (let i = 0; i < 200; i++) {
    const d = await clients.kinesis.send(new DescribeStreamCommand({ StreamName: name }));
    const s = d.StreamDescription;
    if (s?.StreamStatus === 'ACTIVE') {
      return { name, arn: s.StreamARN ?? '', shardIds: (s.Shards ?? []).map((sh) => sh.ShardId ?? '').filter(Boolean) };
    }
    await sleep(10);
  }
  throw new Error(`kinesalite: stream ${name} did not become ACTIVE`);
}

async function createTable(clients: AwsClients, name: string): Promise<void> {
  await clients.dynamo.send(
    new CreateTableCommand(createTableInput(name)),
  );
  for (let i = 0; i < 200; i++) {
    const d = await clients.dynamo.send(new DescribeTableCommand({ TableName: name }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await sleep(10);
  }
  throw new Error(`dynalite: table ${name} did not become ACTIVE`);
}

/**
 * Starts both emulators and creates the stack's streams and table. TTL is not emulated (dynalite
 * has no UpdateTimeToLive): items keep their `expiresAt` but are never deleted by it locally.
 */
export async function startEmulators(config: MicroMomentsConfig, opts: EmulatorOptions = {}): Promise<Emulators> {
  const servers: Server[] = [];
  const children: EmulatorProcess[] = [];
  let clients: AwsClients | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (clients) {
      clients.kinesis.destroy();
      clients.dynamo.destroy();
    }
    await Promise.all([...servers.map(close), ...children.map((c) => c.stop())]);
  };
  try {
    let kinesisPort: number;
    let dynamodbPort: number;
    if (opts.isolate) {
      const started = await Promise.allSettled([
        startEmulatorProcess('kinesalite', opts.kinesisPort ?? 0),
        startEmulatorProcess('dynalite', opts.dynamodbPort ?? 0),
      ]);
      for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
      const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      [kinesisPort, dynamodbPort] = children.map((c) => c.port);
    } else {
      const kinesisServer = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
      const dynamoServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      servers.push(kinesisServer, dynamoServer);
      [kinesisPort, dynamodbPort] = await Promise.all([
        listen(kinesisServer, opts.kinesisPort ?? 0),
        listen(dynamoServer, opts.dynamodbPort ?? 0),
      ]);
    }
    const endpoints = { kinesis: `http://127.0.0.1:${kinesisPort}`, dynamodb: `http://127.0.0.1:${dynamodbPort}` };
    const clientOptions: ClientOptions = { region: LOCAL_REGION, endpoints, credentials: { ...LOCAL_CREDENTIALS } };
    clients = createClients(clientOptions);
    const names = resourceNames(config.stage);
    const shards = shardCountFor(config, opts);
    const [signals, enriched] = await Promise.all([
      createStream(clients, names.signalsStream, shards),
      createStream(clients, names.enrichedStream, shards),
      createTable(clients, names.table),
    ]);
    return {
      names,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      endpoints,
      streams: { signals, enriched },
      table: names.table,
      clientOptions,
      clients,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
