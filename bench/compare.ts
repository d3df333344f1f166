/**
 * Section 2: the project's score handler against the naive baseline (bench/baseline.ts) and two
 * peers (bench/peers.ts: the Powertools batch processor and the AWS samples' batched handler), over
 * the same enriched batches on the same dynalite (one table each, so none sees another's state).
 * Three workloads: the simulator mix at batches of 100 and 1,000, and a burst (few customers,
 * several signals each per batch) at 100; then the simulator mix at 100 again with a share of every
 * BatchWriteItem's puts answered as UnprocessedItems, counting what each handler loses.
 */
import { createScoreHandler } from '../functions/score/handler';
import type { Emulators } from '../local/emulators';
import { benchContext } from './bench-context';
import { withOutputDropped } from './aws-doubles';
import { createNaiveScoreHandler } from './baseline';
import { BENCH_CONFIG, createRig, createTable, enrichedRecords, measure, startBenchEmulators, type KinesisHandler, type Measurement, type Rig } from './harness';
import { createPowertoolsScoreHandler, createSamplesScoreHandler, signalsLost, UnprocessedInjector } from './peers';
import { median, significant } from './stats';
import { summarise, type ThroughputCase } from './throughput';
import type { BenchRow, BenchSection } from './types';
import { chunks, kinesisEvent, meanDistinctKeysPerBatch, WORKLOADS, type WorkloadName } from './workload';

export const TARGET_REQUEST_RATIO = 10;
/** Share of each BatchWriteItem's puts answered as UnprocessedItems in the fault case. */
export const INJECTED_UNPROCESSED_SHARE = 0.1;

export const PEERS = ['naive', 'powertools', 'samples'] as const;
export type Peer = (typeof PEERS)[number];
export const HANDLER_LABELS: Record<'project' | Peer, string> = {
  project: 'project score',
  naive: 'naive baseline',
  powertools: 'Powertools batch processor',
  samples: 'AWS samples, batched',
};

export interface ComparisonCase {
  workload: WorkloadName;
  batchSize: number;
  project: ThroughputCase;
  naive: ThroughputCase;
  /** The other peers on the same batches. */
  peers: Record<Exclude<Peer, 'naive'>, ThroughputCase>;
  /** project / naive, medians of the paired runs. */
  cpuThroughputRatio: number;
  wallThroughputRatio: number;
  /** naive / project DynamoDB requests per 1,000 signals. */
  dynamoRequestRatio: number;
}

/** Writes lost by each handler under injected UnprocessedItems (simulator mix, batches of 100). */
export interface LossCase {
  share: number;
  signals: number;
  handlers: Record<'project' | Peer, { injected: number; writesLost: number; signalsLost: number; reportedFailures: number }>;
}

export interface BaselineData {
  runsPerCase: number;
  cases: ComparisonCase[];
  loss?: LossCase;
}

const dynamoRequests = (m: Measurement) =>
  Object.entries(m.requests).reduce((s, [api, n]) => (api.startsWith('dynamodb.') && !api.includes('retried') ? s + n : s), 0);
export const dynamoRequestsPer1k = (c: ThroughputCase) =>
  Object.entries(c.requestsPer1k).reduce((s, [api, n]) => (api.startsWith('dynamodb.') && !api.includes('retried') ? s + n : s), 0);

export async function measureBaseline(opts: { quick: boolean; log?: (line: string) => void }): Promise<BaselineData> {
  const runs = opts.quick ? 2 : 5;
  const signalsFor = (batchSize: number) => (opts.quick ? Math.max(200, batchSize) : Math.max(1000, 2 * batchSize));
  const emulators: Emulators = await startBenchEmulators();
  const cases: ComparisonCase[] = [];
  try {
    const rigs = await peerRigs(emulators, 'micro-moments-bench');
    const projectRig = rigs.project.rig;
    const naiveRig = rigs.naive.rig;
    const project = rigs.project.handler;
    const naive = rigs.naive.handler;
    const context = benchContext(projectRig.runtime.names.function('score'), BENCH_CONFIG.functions.score.timeoutSeconds, BENCH_CONFIG.functions.score.memoryMb);
    const stream = projectRig.runtime.names.enrichedStream;
    let seed = 5000;
    for (const [workload, batchSize] of [['simulator', 100], ['simulator', 1000], ['burst', 100]] as [WorkloadName, number][]) {
      opts.log?.(`baseline: ${workload} mix, batches of ${batchSize}`);
      const warm = chunks(await enrichedRecords(WORKLOADS[workload], 100, (seed += 100)), batchSize).map((b) => kinesisEvent(b, stream));
      for (const h of Object.values(rigs)) await measure(h.handler, warm, context, h.rig);
      const p: Measurement[] = [];
      const n: Measurement[] = [];
      const others: Record<'powertools' | 'samples', Measurement[]> = { powertools: [], samples: [] };
      const distinct: number[] = [];
      for (let r = 0; r < runs; r++) {
        const records = await enrichedRecords(WORKLOADS[workload], signalsFor(batchSize), (seed += 1));
        distinct.push(meanDistinctKeysPerBatch(records, batchSize));
        // Two event lists of the same records: each handler gets its own sequence numbers, as two consumers would.
        p.push(await measure(project, chunks(records, batchSize).map((b) => kinesisEvent(b, stream)), context, projectRig));
        n.push(await measure(naive, chunks(records, batchSize).map((b) => kinesisEvent(b, stream)), context, naiveRig));
        for (const peer of ['powertools', 'samples'] as const) {
          others[peer].push(await measure(rigs[peer].handler, chunks(records, batchSize).map((b) => kinesisEvent(b, stream)), context, rigs[peer].rig));
        }
      }
      const d = median(distinct);
      const projectCase = summarise('score', 'dynalite', batchSize, WORKLOADS[workload].name, p, d);
      const naiveCase = summarise('score', 'dynalite', batchSize, WORKLOADS[workload].name, n, d);
      cases.push({
        workload,
        batchSize,
        project: projectCase,
        naive: naiveCase,
        peers: {
          powertools: summarise('score', 'dynalite', batchSize, WORKLOADS[workload].name, others.powertools, d),
          samples: summarise('score', 'dynalite', batchSize, WORKLOADS[workload].name, others.samples, d),
        },
        cpuThroughputRatio: median(p.map((m, i) => m.signals / m.cpuMs / (n[i].signals / n[i].cpuMs))),
        wallThroughputRatio: median(p.map((m, i) => m.signals / m.wallMs / (n[i].signals / n[i].wallMs))),
        dynamoRequestRatio: median(p.map((m, i) => dynamoRequests(n[i]) / n[i].signals / (dynamoRequests(m) / m.signals))),
      });
    }
    opts.log?.(`baseline: injected UnprocessedItems (${INJECTED_UNPROCESSED_SHARE * 100} % of BatchWriteItem puts)`);
    const loss = await measureLoss(emulators, opts.quick ? 500 : 2000, seed + 1000);
    return { runsPerCase: runs, cases, loss };
  } finally {
    await emulators.stop();
  }
}

type Handlers = Record<'project' | Peer, { rig: Rig; handler: KinesisHandler }>;

/** The four handlers, each on a table of its own (named `<prefix>-<handler>`) of one dynalite. */
async function peerRigs(emulators: Emulators, prefix: string, onRig?: (rig: Rig) => void): Promise<Handlers> {
  const make = {
    project: createScoreHandler,
    naive: createNaiveScoreHandler,
    powertools: createPowertoolsScoreHandler,
    samples: createSamplesScoreHandler,
  };
  const out: Partial<Handlers> = {};
  for (const [name, create] of Object.entries(make) as [keyof Handlers, (typeof make)[keyof Handlers]][]) {
    const table = `${prefix}-${name}`;
    await createTable(emulators, table);
    const rig = createRig(BENCH_CONFIG, emulators, table);
    onRig?.(rig);
    out[name] = { rig, handler: create(rig.runtime) as KinesisHandler };
  }
  return out as Handlers;
}

/**
 * The simulator mix at batches of 100, every handler on its own fresh table with the same puts
 * answered as UnprocessedItems (same share, same seed): writes lost are those still outstanding
 * when the handler returned; signals lost, the signals whose customer's state write was lost.
 */
async function measureLoss(emulators: Emulators, signals: number, seed: number): Promise<LossCase> {
  const injectors = new Map<Rig, UnprocessedInjector>();
  const rigs = await peerRigs(emulators, 'micro-moments-bench-loss', (rig) => {
    const injector = new UnprocessedInjector(INJECTED_UNPROCESSED_SHARE, seed);
    injector.attach(rig.runtime.clients.dynamo);
    injectors.set(rig, injector);
  });
  const records = await enrichedRecords(WORKLOADS.simulator, signals, seed);
  const batches = chunks(records, 100);
  const context = benchContext('bench-loss', BENCH_CONFIG.functions.score.timeoutSeconds, BENCH_CONFIG.functions.score.memoryMb);
  const handlers = {} as LossCase['handlers'];
  for (const [name, { rig, handler }] of Object.entries(rigs) as [keyof Handlers, Handlers[keyof Handlers]][]) {
    const injector = injectors.get(rig) as UnprocessedInjector;
    const counts = { injected: 0, writesLost: 0, signalsLost: 0, reportedFailures: 0 };
    await withOutputDropped(async () => {
      for (const batch of batches) {
        const response = await handler(kinesisEvent(batch, rig.runtime.names.enrichedStream), context);
        counts.reportedFailures += response?.batchItemFailures.length ?? 0;
        const lost = injector.takeLost();
        counts.writesLost += lost.length;
        counts.signalsLost += signalsLost(lost, batch.map((r) => r.partitionKey));
      }
    });
    counts.injected = injector.injected;
    handlers[name] = counts;
  }
  return { share: INJECTED_UNPROCESSED_SHARE, signals: records.length, handlers };
}

export function baselineSection(data: BaselineData): BenchSection<BaselineData> {
  const rows: BenchRow[] = [];
  for (const c of data.cases) {
    const handlers: [string, ThroughputCase][] = [
      [HANDLER_LABELS.project, c.project],
      [HANDLER_LABELS.naive, c.naive],
      ...(c.peers ? ([[HANDLER_LABELS.powertools, c.peers.powertools], [HANDLER_LABELS.samples, c.peers.samples]] as [string, ThroughputCase][]) : []),
    ];
    for (const [label, t] of handlers) {
      rows.push({
        workload: c.workload,
        batch: c.batchSize,
        'customers/batch': significant(t.distinctCustomersPerBatch),
        handler: label,
        'signals/CPU-s': Math.round(t.signalsPerCpuSecond),
        'CPU µs/signal': significant(t.cpuMicrosPerSignal),
        'wall signals/s': Math.round(t.wallSignalsPerSecond),
        'DynamoDB req/1k': significant(dynamoRequestsPer1k(t)),
        'RRU/1k': significant(t.readUnitsPer1k),
        'WRU/1k': significant(t.writeUnitsPer1k),
        'signals lost': '',
      });
    }
    rows.push({
      workload: c.workload,
      batch: c.batchSize,
      'customers/batch': '',
      handler: 'ratio project / naive',
      'signals/CPU-s': `${significant(c.cpuThroughputRatio)}x`,
      'CPU µs/signal': '',
      'wall signals/s': `${significant(c.wallThroughputRatio)}x`,
      'DynamoDB req/1k': `1/${significant(c.dynamoRequestRatio)}`,
      'RRU/1k': '',
      'WRU/1k': '',
      'signals lost': '',
    });
  }
  if (data.loss) {
    for (const name of ['project', ...PEERS] as const) {
      const l = data.loss.handlers[name];
      rows.push({
        workload: `simulator, ${data.loss.share * 100} % unprocessed`,
        batch: 100,
        'customers/batch': '',
        handler: HANDLER_LABELS[name],
        'signals/CPU-s': '',
        'CPU µs/signal': '',
        'wall signals/s': '',
        'DynamoDB req/1k': `${l.injected} puts unprocessed`,
        'RRU/1k': '',
        'WRU/1k': `${l.writesLost} writes lost`,
        'signals lost': `${l.signalsLost} of ${data.loss.signals}`,
      });
    }
  }
  const notes: string[] = [
    `Same enriched batches, same dynalite (in this process), one table per handler; ${data.runsPerCase} paired runs per workload, medians; ratios are medians of the per-run ratios (project / naive for throughput, naive / project for requests).`,
    'The naive baseline: records one at a time; GetItem the state, score with the same pure functions, PutItem each moment (and PutEvents it), PutItem the state. The project: one BatchGetItem per batch (100 keys a call), moments as conditional PutItem (16 in flight), states with BatchWriteItem (25 a call), PutEvents in tens.',
    'Powertools batch processor: processPartialResponse (@aws-lambda-powertools/batch) with the naive per-record work as the record handler, records one after the other (in parallel, two records of one customer would overwrite each other\'s state), a partial batch response for records that throw. AWS samples, batched: one GetItem per customer of the batch, every moment and state collected, BatchWriteItem every 25 items, UnprocessedItems neither retried nor reported. Both use the project\'s validation and pure scoring, as the naive baseline does (bench/peers.ts).',
    'Requests are counted with RequestCounter (the counter the handlers use); RRU/WRU are metered from the items read and written (eventually consistent reads: 0.5 RRU per 4 KB; 1 WRU per 1 KB). A BatchWriteItem saves round trips, not write units: WRU per signal is about the same for every handler, so on-demand cost differs far less than the request count.',
    'Wall throughput on dynalite understates the gap in AWS: a loopback round trip to dynalite takes about a millisecond of emulator CPU in this process, against several milliseconds of network latency to DynamoDB, and the per-record handlers pay it serially for every record. CPU µs/signal includes dynalite\'s work for the handler\'s requests.',
  ];
  if (data.loss) {
    notes.push(
      `Unprocessed rows: ${data.loss.signals} enriched signals (simulator mix, batches of 100), each handler on a fresh table, ${data.loss.share * 100} % of the puts of every BatchWriteItem (but the first of a call) answered as UnprocessedItems without being written, the same puts for every handler (bench/peers.ts UnprocessedInjector). Writes lost: answered unprocessed and not written again before the handler returned; signals lost: signals whose customer's state write was lost (their evidence is gone from the state; a lost moment item was already published). The project retries UnprocessedItems with backoff and reports the records it could not write, for Lambda to redeliver; the per-record handlers use PutItem, which has no UnprocessedItems.`,
    );
  }
  const target = data.cases.find((c) => c.workload === 'simulator' && c.batchSize === 100);
  if (target) {
    const r = target.dynamoRequestRatio;
    notes.push(
      `Target: >= ${TARGET_REQUEST_RATIO}x fewer DynamoDB requests than the baseline at batches of 100 (simulator mix): ${significant(r)}x fewer (${significant(dynamoRequestsPer1k(target.project))} vs ${significant(dynamoRequestsPer1k(target.naive))} per 1,000 signals), ${r >= TARGET_REQUEST_RATIO ? 'met' : 'MISSED'} (${significant(r / TARGET_REQUEST_RATIO)}x the target). With ${significant(target.project.distinctCustomersPerBatch)} customers in a batch of 100, per-customer batching saves little; the savings come from batched reads and writes (100 keys and 25 items a call). Moments are written one conditional PutItem each (idempotence), which bounds the ratio.`,
    );
  }
  const burst = data.cases.find((c) => c.workload === 'burst');
  if (burst) {
    notes.push(
      `Burst (${WORKLOADS.burst.name}, ${significant(burst.project.distinctCustomersPerBatch)} customers per batch of 100): ${significant(burst.dynamoRequestRatio)}x fewer requests; one state read and one state write per customer per batch, not per signal.`,
    );
  }
  return { title: 'Score handler vs naive baseline and peers (dynalite)', rows, notes, data };
}

export async function runBaselineBench(opts: { quick: boolean; log?: (line: string) => void }): Promise<BenchSection<BaselineData>> {
  return baselineSection(await measureBaseline(opts));
}
