/**
 * Section: DynamoDB capacity units end to end. The simulator's signals go through enrich and then
 * score, both on dynalite (one table, as deployed; the enriched stream kept in memory between
 * them), at the configured batch sizes, and every request is metered by item kind
 * (bench/dynamo-capacity.ts): write and read units per signal in, what they were spent on, and the
 * size of every item written.
 *
 * Two regimes of the same mix (2,000 customers at 200 signals/s):
 * - **new customers**: every run meets customers never seen (each creates its profile and state);
 * - **returning customers**: the stream goes on after a warm-up of the same customers, as it does
 *   in production; only the signals after the warm-up are counted.
 * And the size of each customer's STATE, PROFILE and moments after longer histories (in memory,
 * encoded by the stores' own item builders), since the state grows with a customer's history.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createScoreHandler } from '../functions/score/handler';
import { ITEM_KINDS, type ItemKind } from '../shared/privacy/item-kinds';
import { momentItem, stateItem } from '../shared/adapters/dynamo-state-store';
import { pickProfile } from '../shared/store/profile-store';
import { customerPk, SK, TABLE_KEYS, ttlFromNow } from '../shared/store/keys';
import type { Profile } from '../shared/store/profile';
import type { Emulators } from '../local/emulators';
import { lambdaContext } from '../local/lambda-context';
import { CapturedStream, inMemoryKinesis, withOutputDropped } from './aws-doubles';
import { CapacityMeter, itemSize, type KindTotals } from './dynamo-capacity';
import { BENCH_CONFIG, createRig, startBenchEmulators, type KinesisHandler, type Rig } from './harness';
import { median, percentile, significant } from './stats';
import type { BenchRow, BenchSection } from './types';
import { chunks, kinesisEvent, simulateRecords, WORKLOADS, type RawRecord } from './workload';

/** The target: write units per signal in, end to end (enrich + score + moments). */
export const TARGET_WRU_PER_SIGNAL = 1.0;
export const TARGET_STATE_BYTES = 1024;

export type Regime = 'new customers' | 'returning customers';

export interface SizeSummary {
  items: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Share of the items over 1 KB (billed two write units or more). */
  over1k: number;
}

export interface UnitsRun {
  signals: number;
  enriched: number;
  /** Units by item kind, both stages together. */
  byKind: Partial<Record<ItemKind, { readUnits: number; writeUnits: number; itemsWritten: number }>>;
  readUnits: number;
  writeUnits: number;
  requests: Record<string, number>;
}

export interface UnitsCase {
  regime: Regime;
  runs: UnitsRun[];
  /** Medians over the runs, per signal in. */
  wruPerSignal: number;
  rruPerSignal: number;
  wruPerSignalByKind: Partial<Record<ItemKind, number>>;
  writesPerSignalByKind: Partial<Record<ItemKind, number>>;
  dynamoRequestsPer1k: number;
  /** Sizes of the items written in the measured runs. */
  written: Partial<Record<ItemKind, SizeSummary>>;
}

export interface HistorySizes {
  /** Signals per customer on average when measured. */
  signalsPerCustomer: number;
  state: SizeSummary;
  profile: SizeSummary;
  moment: SizeSummary;
}

export interface UnitsData {
  cases: UnitsCase[];
  histories: HistorySizes[];
}

export function summariseSizes(sizes: readonly number[]): SizeSummary {
  if (sizes.length === 0) return { items: 0, p50: 0, p90: 0, p99: 0, max: 0, over1k: 0 };
  return {
    items: sizes.length,
    p50: percentile(sizes, 50),
    p90: percentile(sizes, 90),
    p99: percentile(sizes, 99),
    max: Math.max(...sizes),
    over1k: sizes.filter((s) => s > 1024).length / sizes.length,
  };
}

interface Stages {
  enrichRig: Rig;
  scoreRig: Rig;
  enrich: KinesisHandler;
  score: KinesisHandler;
  meter: CapacityMeter;
  captured: CapturedStream;
}

/** enrich and score on the same dynalite table, one meter on both clients; enrich's output kept in memory. */
function stages(emulators: Emulators): Stages {
  const meter = new CapacityMeter();
  const enrichRig = createRig(BENCH_CONFIG, emulators);
  const scoreRig = createRig(BENCH_CONFIG, emulators);
  for (const rig of [enrichRig, scoreRig]) meter.attach(rig.runtime.clients.dynamo);
  const captured = new CapturedStream();
  inMemoryKinesis(enrichRig.runtime.clients.kinesis, captured);
  return {
    enrichRig,
    scoreRig,
    enrich: createEnrichHandler(enrichRig.runtime),
    score: createScoreHandler(scoreRig.runtime),
    meter,
    captured,
  };
}

/** Signals through enrich, then what enrich put through score, each at its configured batch size. */
async function endToEnd(s: Stages, signals: readonly RawRecord[]): Promise<UnitsRun> {
  const names = s.enrichRig.runtime.names;
  const context = lambdaContext('bench-units', BENCH_CONFIG.functions.score.timeoutSeconds, 512);
  s.meter.reset();
  s.enrichRig.runtime.counter.reset();
  s.scoreRig.runtime.counter.reset();
  const from = s.captured.records.length;
  const run = async (handler: KinesisHandler, events: KinesisStreamEvent[]) => {
    await withOutputDropped(async () => {
      for (const e of events) {
        const response = await handler(e, context);
        if ((response?.batchItemFailures.length ?? 0) > 0) throw new Error('units: a record was reported failed in a benchmark run');
      }
    });
  };
  await run(s.enrich, chunks(signals, BENCH_CONFIG.eventSources.enrich.batchSize).map((b) => kinesisEvent(b, names.signalsStream)));
  const enriched = s.captured.records.slice(from);
  await run(s.score, chunks(enriched, BENCH_CONFIG.eventSources.score.batchSize).map((b) => kinesisEvent(b, names.enrichedStream)));
  const requests: Record<string, number> = {};
  for (const counter of [s.enrichRig.runtime.counter, s.scoreRig.runtime.counter]) {
    for (const [api, n] of Object.entries(counter.snapshot())) requests[api] = (requests[api] ?? 0) + n;
  }
  const byKind: UnitsRun['byKind'] = {};
  for (const [kind, t] of s.meter.byKind) byKind[kind] = { readUnits: t.readUnits, writeUnits: t.writeUnits, itemsWritten: t.itemsWritten };
  return { signals: signals.length, enriched: enriched.length, byKind, readUnits: s.meter.totals.readUnits, writeUnits: s.meter.totals.writeUnits, requests };
}

function caseOf(regime: Regime, runs: UnitsRun[], written: Map<ItemKind, number[]>): UnitsCase {
  const per = (f: (r: UnitsRun) => number) => median(runs.map((r) => f(r) / r.signals));
  const kinds = ITEM_KINDS.filter((k) => runs.some((r) => r.byKind[k]));
  const dynamo = (r: UnitsRun) => Object.entries(r.requests).reduce((s, [api, n]) => (api.startsWith('dynamodb.') && !api.includes('retried') ? s + n : s), 0);
  return {
    regime,
    runs,
    wruPerSignal: per((r) => r.writeUnits),
    rruPerSignal: per((r) => r.readUnits),
    wruPerSignalByKind: Object.fromEntries(kinds.map((k) => [k, per((r) => r.byKind[k]?.writeUnits ?? 0)])),
    writesPerSignalByKind: Object.fromEntries(kinds.map((k) => [k, per((r) => r.byKind[k]?.itemsWritten ?? 0)])),
    dynamoRequestsPer1k: per(dynamo) * 1000,
    written: Object.fromEntries([...written].map(([k, sizes]) => [k, summariseSizes(sizes)])),
  };
}

const collectSizes = (into: Map<ItemKind, number[]>, byKind: Map<ItemKind, KindTotals>) => {
  for (const [kind, t] of byKind) into.set(kind, [...(into.get(kind) ?? []), ...t.writtenSizes]);
};

/** The PROFILE item as DynamoProfileStore writes it. */
function profileItem(p: Profile): Record<string, unknown> {
  return {
    ...pickProfile(p as unknown as Record<string, unknown>),
    [TABLE_KEYS.partitionKey]: customerPk(p.customerKey),
    [TABLE_KEYS.sortKey]: SK.profile,
    [TABLE_KEYS.ttl]: ttlFromNow(Date.parse(p.updatedAt), BENCH_CONFIG.retention.profileDays),
  };
}

/**
 * Item sizes after longer histories: the simulator's stream in memory (enrich and score with the
 * in-memory stores), each customer's items encoded as the DynamoDB stores encode them, measured
 * when the customers have sent about `checkpoints` signals each.
 */
async function historySizes(checkpoints: readonly number[], customers = WORKLOADS.simulator.customers): Promise<HistorySizes[]> {
  const rig = createRig(BENCH_CONFIG);
  const profiles = rig.profiles!;
  const states = rig.states!;
  const enrich: KinesisHandler = createEnrichHandler(rig.runtime);
  const score: KinesisHandler = createScoreHandler(rig.runtime);
  const context = lambdaContext('bench-units', BENCH_CONFIG.functions.score.timeoutSeconds, 512);
  const total = Math.max(...checkpoints) * customers;
  const signals = simulateRecords(WORKLOADS.simulator, total, 77);
  const out: HistorySizes[] = [];
  let done = 0;
  for (const perCustomer of [...checkpoints].sort((a, b) => a - b)) {
    const upTo = perCustomer * customers;
    const part = signals.slice(done, upTo);
    done = upTo;
    await withOutputDropped(async () => {
      for (const b of chunks(part, 100)) await enrich(kinesisEvent(b, 'signals'), context);
      const enriched = rig.stream.records.splice(0);
      for (const b of chunks(enriched, 100)) await score(kinesisEvent(b, 'enriched'), context);
    });
    out.push({
      signalsPerCustomer: perCustomer,
      state: summariseSizes([...states.states.values()].map((s) => itemSize(stateItem(s, BENCH_CONFIG.retention)))),
      profile: summariseSizes([...profiles.profiles.values()].map((p) => itemSize(profileItem(p)))),
      moment: summariseSizes([...states.moments.values()].map((m) => itemSize(momentItem(m, BENCH_CONFIG.retention)))),
    });
  }
  return out;
}

export async function measureUnits(opts: { quick: boolean; log?: (line: string) => void }): Promise<UnitsData> {
  const runs = opts.quick ? 1 : 3;
  const signals = opts.quick ? 1000 : 5000;
  const emulators = await startBenchEmulators();
  const cases: UnitsCase[] = [];
  try {
    const s = stages(emulators);
    opts.log?.('units: new customers, enrich and score on dynalite');
    const fresh: UnitsRun[] = [];
    const freshSizes = new Map<ItemKind, number[]>();
    for (let r = 0; r < runs; r++) {
      fresh.push(await endToEnd(s, simulateRecords(WORKLOADS.simulator, signals, 9100 + r)));
      collectSizes(freshSizes, s.meter.byKind);
    }
    cases.push(caseOf('new customers', fresh, freshSizes));

    opts.log?.('units: returning customers (after a warm-up of the same customers)');
    const warmUp = opts.quick ? 2000 : 4 * WORKLOADS.simulator.customers;
    const stream = simulateRecords(WORKLOADS.simulator, warmUp + runs * signals, 9200);
    await endToEnd(s, stream.slice(0, warmUp));
    const returning: UnitsRun[] = [];
    const returningSizes = new Map<ItemKind, number[]>();
    for (let r = 0; r < runs; r++) {
      returning.push(await endToEnd(s, stream.slice(warmUp + r * signals, warmUp + (r + 1) * signals)));
      collectSizes(returningSizes, s.meter.byKind);
    }
    cases.push(caseOf('returning customers', returning, returningSizes));
  } finally {
    await emulators.stop();
  }
  opts.log?.('units: item sizes after longer histories (in memory)');
  const histories = await historySizes(opts.quick ? [2, 10] : [2, 10, 50]);
  return { cases, histories };
}

const kb = (bytes: number) => significant(bytes / 1024, 2);

export function unitsSection(data: UnitsData): BenchSection<UnitsData> {
  const rows: BenchRow[] = [];
  for (const c of data.cases) {
    const k = c.wruPerSignalByKind;
    rows.push({
      regime: c.regime,
      'WRU/signal': significant(c.wruPerSignal),
      'of which state': significant(k.state ?? 0),
      profile: significant(k.profile ?? 0),
      moments: significant(k.moments ?? 0),
      'state writes/signal': significant(c.writesPerSignalByKind.state ?? 0),
      'profile writes/signal': significant(c.writesPerSignalByKind.profile ?? 0),
      'RRU/signal': significant(c.rruPerSignal),
      'DynamoDB req/1k': significant(c.dynamoRequestsPer1k),
      'STATE KB p50/p90/max': c.written.state ? `${kb(c.written.state.p50)} / ${kb(c.written.state.p90)} / ${kb(c.written.state.max)}` : '',
    });
  }
  for (const h of data.histories) {
    rows.push({
      regime: `history of ~${h.signalsPerCustomer} signals/customer (in memory)`,
      'STATE KB p50/p90/max': `${kb(h.state.p50)} / ${kb(h.state.p90)} / ${kb(h.state.max)}`,
      'WRU/signal': '',
      'of which state': `${Math.round(h.state.over1k * 100)} % of states > 1 KB`,
      profile: `p50 ${kb(h.profile.p50)} KB`,
      moments: `p50 ${kb(h.moment.p50)} KB, ${Math.round(h.moment.over1k * 100)} % > 1 KB`,
    });
  }
  const notes: string[] = [
    `Simulator mix (${WORKLOADS.simulator.name}), enrich then score on one dynalite table at the configured batch sizes (enrich ${BENCH_CONFIG.eventSources.enrich.batchSize}, score ${BENCH_CONFIG.eventSources.score.batchSize}); units metered per request by item kind (bench/dynamo-capacity.ts), per signal into enrich; medians of the runs.`,
    'new customers: each run meets customers never seen (first profile and state of each). returning customers: the same customers after a warm-up of 4 signals each, as a running stream meets them.',
    'history rows: STATE, PROFILE and moment items as the stores encode them, after the simulator has sent about that many signals per customer (in memory): the state grows with a customer\'s history.',
  ];
  for (const c of data.cases) {
    const r = c.wruPerSignal / TARGET_WRU_PER_SIGNAL;
    notes.push(`Target (${c.regime}): <= ${TARGET_WRU_PER_SIGNAL} WRU per signal end to end: ${significant(c.wruPerSignal)}, ${r <= 1 ? 'met' : 'MISSED'} (${significant(r)}x the target).`);
  }
  return { title: 'DynamoDB capacity units end to end (dynalite)', rows, notes, data };
}
