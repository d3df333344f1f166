/**
 * What the throughput and baseline benchmarks share: runtimes for the handlers on two back ends
 * (the stores in memory, or DynamoDB on dynalite with the enriched stream on kinesalite, all in
 * this process), and one measurement: wall time, process CPU time, request counts and DynamoDB
 * capacity units over a list of Kinesis events handled one after the other, as one shard's
 * Lambda invocations are.
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createRuntime, type Runtime } from '../shared/adapters/runtime';
import { StaticSecrets } from '../shared/secrets';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createClients, type ClientOptions } from '../shared/adapters/aws-clients';
import { RequestCounter } from '../shared/adapters/request-counter';
import { defaultConfig } from '../shared/config/defaults';
import type { MicroMomentsConfig } from '../shared/config/types';
import { resourceNames } from '../shared/names';
import { InMemoryProfileStore } from '../shared/store/profile-store';
import { InMemoryStateStore } from '../shared/store/in-memory-state-store';
import { startEmulators, type Emulators } from '../local/emulators';
import { benchContext } from './bench-context';
import { CapturedBus, CapturedStream, inMemoryEventBridge, inMemoryKinesis, inMemorySqs, withOutputDropped } from './aws-doubles';
import { CapacityMeter, type CapacityTotals } from './dynamo-capacity';
import { chunks, kinesisEvent, simulateRecords, type RawRecord, type WorkloadShape } from './workload';
import { createTableInput } from '../shared/adapters/table-definition';

export type Backend = 'memory' | 'dynalite';

/** A local stage (in devStages), otherwise the defaults: the configuration that is deployed. */
export const BENCH_CONFIG: MicroMomentsConfig = { ...defaultConfig, stage: 'local' };
const QUARANTINE_URL = 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-quarantine';
const OFFLINE: ClientOptions = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };

export interface Rig {
  runtime: Runtime;
  bus: CapturedBus;
  /** What enrich put on the enriched stream, when the stream is in memory. */
  stream: CapturedStream;
  /** DynamoDB capacity units, when the table is on dynalite. */
  meter?: CapacityMeter;
  profiles?: InMemoryProfileStore;
  states?: InMemoryStateStore;
}

/** A handler's runtime; the stores are on dynalite when `emulators` is given, in memory otherwise. */
export function createRig(config: MicroMomentsConfig, emulators?: Emulators, table?: string): Rig {
  const clients = createClients(emulators ? emulators.clientOptions : OFFLINE);
  const counter = new RequestCounter();
  const bus = new CapturedBus();
  const stream = new CapturedStream();
  inMemoryEventBridge(clients.eventBridge, bus);
  inMemorySqs(clients.sqs);
  if (!emulators) inMemoryKinesis(clients.kinesis, stream);
  let meter: CapacityMeter | undefined;
  if (emulators) {
    meter = new CapacityMeter();
    meter.attach(clients.dynamo);
  }
  const names = emulators?.names ?? resourceNames(config.stage);
  // EventBridge and SQS as deployed, on the clients answered in memory above.
  const memory = emulators ? undefined : { profiles: new InMemoryProfileStore(), states: new InMemoryStateStore() };
  const runtime = createRuntime({
    config,
    names,
    resources: { ...(table ? { table } : {}), quarantineQueueUrl: QUARANTINE_URL },
    clients,
    counter,
    secrets: new StaticSecrets({ pepper: config.localPepper }),
    ...(memory ? { stores: memory } : {}),
  });
  return { runtime, bus, stream, ...(meter ? { meter } : {}), ...memory };
}

export async function startBenchEmulators(config: MicroMomentsConfig = BENCH_CONFIG): Promise<Emulators> {
  return startEmulators(config, { onDemandShardCount: 1 });
}

/** A second table on the same dynalite, so two handlers can process the same signals side by side. */
export async function createTable(emulators: Emulators, name: string): Promise<void> {
  await emulators.clients.dynamo.send(
    new CreateTableCommand(createTableInput(name)),
  );
}

export type KinesisHandler = (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse | void>;

export interface Measurement {
  signals: number;
  batches: number;
  wallMs: number;
  /** Process CPU time (user + system): includes dynalite's and kinesalite's when they run here. */
  cpuMs: number;
  /** Wall time of each invocation. */
  batchWallMs: number[];
  requests: Record<string, number>;
  capacity: CapacityTotals;
  busEvents: number;
  busChunks64k: number;
  /** Records the handler reported as failed: a benchmark run must have none. */
  reportedFailures: number;
  /** Records put on the enriched stream (when it is in memory; 0 on kinesalite). */
  recordsPut: number;
  /** Bytes of logs and EMF metrics the handler wrote (CloudWatch Logs ingestion in AWS). */
  logBytes: number;
}

/** Handles the events one after the other and measures it; the handler's stdout is dropped. */
export async function measure(handler: KinesisHandler, events: readonly KinesisStreamEvent[], context: Context, rig: Rig): Promise<Measurement> {
  rig.runtime.counter.reset();
  rig.meter?.reset();
  rig.bus.reset();
  const putBefore = rig.stream.records.length;
  const batchWallMs: number[] = [];
  let reportedFailures = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const logBytes = await withOutputDropped(async () => {
    for (const event of events) {
      const b0 = performance.now();
      const response = await handler(event, context);
      batchWallMs.push(performance.now() - b0);
      reportedFailures += response?.batchItemFailures.length ?? 0;
    }
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    signals: events.reduce((s, e) => s + e.Records.length, 0),
    batches: events.length,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    batchWallMs,
    requests: rig.runtime.counter.snapshot(),
    capacity: rig.meter ? { ...rig.meter.totals } : CapacityMeter.zero(),
    busEvents: rig.bus.events,
    busChunks64k: rig.bus.chunks64k,
    reportedFailures,
    recordsPut: rig.stream.records.length - putBefore,
    logBytes,
  };
}

/**
 * `count` enriched records, as enrich puts them on the enriched stream, from simulator signals of
 * this seed: the score handler's input. Made in memory, outside any measurement.
 */
export async function enrichedRecords(shape: WorkloadShape, count: number, seed: number, config: MicroMomentsConfig = BENCH_CONFIG): Promise<RawRecord[]> {
  const rig = createRig(config);
  const enrich = createEnrichHandler(rig.runtime);
  const context = benchContext('bench-enrich', config.functions.enrich.timeoutSeconds, config.functions.enrich.memoryMb);
  // About 9 in 10 signals of the mix come out enriched (the rest are quarantined or dropped by policy).
  let raw = Math.ceil(count * 1.25) + 50;
  for (let attempt = 0; attempt < 4; attempt++) {
    rig.stream.records.length = 0;
    const events = chunks(simulateRecords(shape, raw, seed), 500).map((b) => kinesisEvent(b, config.stage));
    await withOutputDropped(async () => {
      for (const e of events) await enrich(e, context);
    });
    if (rig.stream.records.length >= count) return rig.stream.records.slice(0, count);
    raw *= 2;
  }
  throw new Error(`enrichedRecords: could not make ${count} enriched records`);
}

export const sumRequests = (m: Measurement, prefix: string): number =>
  Object.entries(m.requests).reduce((s, [api, n]) => (api.startsWith(prefix) && !api.includes('retried') ? s + n : s), 0);
