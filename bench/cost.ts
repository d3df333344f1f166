/**
 * Section 3: cost per million signals at AWS list prices (us-east-1), from the figures measured
 * in section 1 at the configured batch size (100): CPU per batch in memory, requests and DynamoDB
 * capacity units per signal on dynalite, record sizes, events put on the bus, log bytes. What is
 * not measured is modelled, and every assumption is written in the notes beside the figures.
 */
import { defaultConfig } from '../shared/config/defaults';
import type { ConsumerMode, MicroMomentsConfig } from '../shared/config/types';
import { significant } from './stats';
import type { HandlerName, ThroughputCase, ThroughputData } from './throughput';
import type { BenchRow, BenchSection } from './types';

/** List prices, us-east-1, as published on the AWS pricing pages (checked for this date). */
export const PRICES = {
  asOf: '2025-06',
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** On-demand, after the 2024-11 reduction. */
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  /** On-demand capacity mode. Records are rounded up to 1 KB for ingestion and retrieval. */
  kinesisPerGbIngested: 0.08,
  kinesisPerGbRetrieved: 0.04,
  kinesisPerStreamHour: 0.04,
  /**
   * Enhanced fan-out: each registered consumer pays for every shard it is subscribed to, per
   * hour, and per GB it reads (instead of the shared data-retrieval charge).
   */
  kinesisEfoPerConsumerShardHour: 0.015,
  kinesisEfoPerGbRetrieved: 0.05,
  /** Custom events, per million 64 KB chunks. */
  eventBridgePerMillionEvents: 1.0,
  sqsPerMillionRequests: 0.4,
  cloudWatchLogsPerGbIngested: 0.5,
} as const;

/** Issue 12's target for the shared-throughput total. */
export const TARGET_DOLLARS_PER_MILLION = 1.0;

/** Lambda gives a function one full vCPU at 1,769 MB and a share in proportion below it. */
export const MB_PER_VCPU = 1769;

/**
 * Round-trip times assumed for AWS calls from Lambda in the same region (not measurable here):
 * what a batch waits for besides its CPU. Conditional PutItems run 16 at a time (shared/adapters/dynamo-state-store.ts).
 */
export const ASSUMED_LATENCY_MS: Record<string, number> = {
  'dynamodb.BatchGetItem': 8,
  'dynamodb.BatchWriteItem': 10,
  'dynamodb.PutItem': 6,
  'dynamodb.GetItem': 5,
  'kinesis.PutRecords': 20,
  'eventbridge.PutEvents': 20,
  'sqs.SendMessageBatch': 15,
};
export const PUT_ITEM_CONCURRENCY = 16;

/** The sustained rate assumed for the per-hour charge of the two on-demand streams. */
export const ASSUMED_SIGNALS_PER_SECOND = 200;
/**
 * Shards of an on-demand stream, for the consumer-shard-hours of enhanced fan-out: a new on-demand
 * stream has the write capacity of 4 shards (4 MB/s), far above the assumed rate, so it stays there.
 */
export const ASSUMED_ON_DEMAND_SHARDS = 4;
const GB = 1024 ** 3;

export interface FunctionInputs {
  name: HandlerName;
  memoryMb: number;
  batchSize: number;
  /** CPU ms per invocation, handler and domain alone (in memory). */
  cpuMsPerBatch: number;
  /** AWS requests per invocation by API (RequestCounter names). */
  requestsPerBatch: Record<string, number>;
  /** Invocations per million signals into the pipeline. */
  invocationsPerMillion: number;
}

export interface LambdaCost {
  name: HandlerName;
  durationMs: number;
  cpuMs: number;
  ioWaitMs: number;
  gbSeconds: number;
  dollars: number;
}

/** Billed duration of one invocation: CPU stretched by the vCPU share, plus the modelled waits. */
export function lambdaCost(f: FunctionInputs, prices = PRICES): LambdaCost {
  const share = Math.min(1, f.memoryMb / MB_PER_VCPU);
  const cpuMs = f.cpuMsPerBatch / share;
  let ioWaitMs = 0;
  for (const [api, n] of Object.entries(f.requestsPerBatch)) {
    const latency = ASSUMED_LATENCY_MS[api];
    if (latency === undefined || n <= 0) continue;
    const serial = api === 'dynamodb.PutItem' ? Math.ceil(n / PUT_ITEM_CONCURRENCY) : n;
    ioWaitMs += serial * latency;
  }
  const durationMs = Math.ceil(cpuMs + ioWaitMs);
  const gbSeconds = (f.invocationsPerMillion * (f.memoryMb / 1024) * durationMs) / 1000;
  const dollars = gbSeconds * prices.lambdaArmGbSecond + (f.invocationsPerMillion / 1e6) * prices.lambdaPerMillionRequests;
  return { name: f.name, durationMs, cpuMs, ioWaitMs, gbSeconds, dollars };
}

export const dynamoCost = (rruPerMillion: number, wruPerMillion: number, prices = PRICES) =>
  (rruPerMillion / 1e6) * prices.dynamoPerMillionRru + (wruPerMillion / 1e6) * prices.dynamoPerMillionWru;

/** Kinesis on-demand data charge of `records` records of `bytes` each, written once and read once. */
export function kinesisDataCost(records: number, bytes: number, prices = PRICES): number {
  const gb = (records * Math.max(1, Math.ceil(bytes / 1024)) * 1024) / GB;
  return gb * (prices.kinesisPerGbIngested + prices.kinesisPerGbRetrieved);
}

export const streamHoursCost = (signals: number, perSecond: number, streams: number, prices = PRICES) =>
  (signals / perSecond / 3600) * streams * prices.kinesisPerStreamHour;

/** GB billed for `records` records of `bytes` each: every record rounded up to 1 KB. */
export const kinesisBilledGb = (records: number, bytes: number) => (records * Math.max(1, Math.ceil(bytes / 1024)) * 1024) / GB;

/** Enhanced fan-out's hourly charge while `signals` flow at `perSecond`: consumers × shards × hours. */
export const consumerShardHoursCost = (signals: number, perSecond: number, consumers: number, shards: number, prices = PRICES) =>
  (signals / perSecond / 3600) * consumers * shards * prices.kinesisEfoPerConsumerShardHour;

/** Which consumer mode a cost line applies to; `both` lines are in both totals. */
export type CostMode = 'both' | ConsumerMode;

export interface CostLine {
  mode: CostMode;
  item: string;
  quantity: string;
  price: string;
  dollars: number;
}

export interface CostData {
  prices: typeof PRICES;
  assumedLatencyMs: Record<string, number>;
  assumedSignalsPerSecond: number;
  lambda: LambdaCost[];
  lines: CostLine[];
  /** Shared-throughput consumers on both streams (the default configuration). */
  totalPerMillion: number;
  /** Enhanced fan-out consumers on both streams. */
  totalPerMillionEnhancedFanOut: number;
  /** Shards each stream is billed for under enhanced fan-out. */
  shardsPerStream: number;
}

const caseOf = (data: ThroughputData, name: HandlerName, backend: 'memory' | 'dynalite', batchSize: number): ThroughputCase => {
  const c = data.cases.find((x) => x.handler === name && x.backend === backend && x.batchSize === batchSize);
  if (!c) throw new Error(`cost: no ${name} case on ${backend} at batch ${batchSize} in the throughput data`);
  return c;
};

const sumPrefix = (record: Record<string, number>, prefix: string) =>
  Object.entries(record).reduce((s, [api, n]) => (api.startsWith(prefix) && !api.includes('retried') ? s + n : s), 0);

export function computeCost(data: ThroughputData, config: MicroMomentsConfig = defaultConfig, prices = PRICES): CostData {
  const M = 1e6;
  const enrichBatch = config.eventSources.enrich.batchSize;
  const scoreBatch = config.eventSources.score.batchSize;
  const enrichMem = caseOf(data, 'enrich', 'memory', enrichBatch === 1000 ? 1000 : 100);
  const scoreMem = caseOf(data, 'score', 'memory', scoreBatch === 1000 ? 1000 : 100);
  const enrichDyn = caseOf(data, 'enrich', 'dynalite', enrichBatch === 1000 ? 1000 : 100);
  const scoreDyn = caseOf(data, 'score', 'dynalite', scoreBatch === 1000 ? 1000 : 100);
  /** Enriched records per signal in: the rest is quarantined or dropped by a policy. */
  const enrichedShare = enrichMem.recordsPutPer1k / 1000;
  const enriched = M * enrichedShare;

  const perBatch = (c: ThroughputCase, size: number): Record<string, number> =>
    Object.fromEntries(Object.entries(c.requestsPer1k).map(([api, n]) => [api, (n * size) / 1000]));
  const requestsEnrich = { ...perBatch(enrichMem, enrichBatch), ...perBatch(enrichDyn, enrichBatch) };
  const requestsScore = { ...perBatch(scoreMem, scoreBatch), ...perBatch(scoreDyn, scoreBatch) };
  const lambda = [
    lambdaCost({ name: 'enrich', memoryMb: config.functions.enrich.memoryMb, batchSize: enrichBatch, cpuMsPerBatch: (enrichMem.cpuMicrosPerSignal * enrichBatch) / 1000, requestsPerBatch: requestsEnrich, invocationsPerMillion: M / enrichBatch }, prices),
    lambdaCost({ name: 'score', memoryMb: config.functions.score.memoryMb, batchSize: scoreBatch, cpuMsPerBatch: (scoreMem.cpuMicrosPerSignal * scoreBatch) / 1000, requestsPerBatch: requestsScore, invocationsPerMillion: enriched / scoreBatch }, prices),
  ];

  const rru = enrichDyn.readUnitsPer1k * 1000 + scoreDyn.readUnitsPer1k * enriched / 1000;
  const wru = enrichDyn.writeUnitsPer1k * 1000 + scoreDyn.writeUnitsPer1k * enriched / 1000;
  const events = (scoreMem.busChunksPer1k * enriched) / 1000;
  const sqsRequests = (sumPrefix(enrichMem.requestsPer1k, 'sqs.') * 1000) + (sumPrefix(scoreMem.requestsPer1k, 'sqs.') * enriched) / 1000;
  const logBytes = M * enrichMem.logBytesPerSignal + enriched * scoreMem.logBytesPerSignal;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
  const gbThrough = kinesisBilledGb(M, data.recordBytes.signal) + kinesisBilledGb(enriched, data.recordBytes.enriched);
  const shards = config.streams.mode === 'PROVISIONED' && config.streams.shardCount ? config.streams.shardCount : ASSUMED_ON_DEMAND_SHARDS;

  const lines: CostLine[] = [
    ...lambda.map((l) => {
      const f = config.functions[l.name];
      const invocations = l.name === 'enrich' ? M / enrichBatch : enriched / scoreBatch;
      return {
        mode: 'both' as const,
        item: `Lambda ${l.name} (arm64, ${f.memoryMb} MB)`,
        quantity: `${fmt(invocations)} invocations x ${l.durationMs} ms = ${fmt(l.gbSeconds)} GB-s`,
        price: `$${prices.lambdaArmGbSecond}/GB-s + $${prices.lambdaPerMillionRequests}/M requests`,
        dollars: l.dollars,
      };
    }),
    {
      mode: 'both',
      item: 'DynamoDB on-demand reads',
      quantity: `${fmt(rru)} RRU`,
      price: `$${prices.dynamoPerMillionRru}/M RRU`,
      dollars: dynamoCost(rru, 0, prices),
    },
    {
      mode: 'both',
      item: 'DynamoDB on-demand writes',
      quantity: `${fmt(wru)} WRU`,
      price: `$${prices.dynamoPerMillionWru}/M WRU`,
      dollars: dynamoCost(0, wru, prices),
    },
    {
      mode: 'both',
      item: 'Kinesis data in (signals and enriched)',
      quantity: `${fmt(M)} signals x ${kb(data.recordBytes.signal)} KB + ${fmt(enriched)} enriched x ${kb(data.recordBytes.enriched)} KB`,
      price: `$${prices.kinesisPerGbIngested}/GB`,
      dollars: gbThrough * prices.kinesisPerGbIngested,
    },
    {
      mode: 'shared',
      item: 'Kinesis data out, shared throughput (GetRecords)',
      quantity: `the same ${significant(gbThrough)} GB, read once`,
      price: `$${prices.kinesisPerGbRetrieved}/GB`,
      dollars: gbThrough * prices.kinesisPerGbRetrieved,
    },
    {
      mode: 'enhanced-fan-out',
      item: 'Kinesis data out, enhanced fan-out (SubscribeToShard)',
      quantity: `the same ${significant(gbThrough)} GB, read once`,
      price: `$${prices.kinesisEfoPerGbRetrieved}/GB`,
      dollars: gbThrough * prices.kinesisEfoPerGbRetrieved,
    },
    {
      mode: 'enhanced-fan-out',
      item: `Kinesis enhanced fan-out consumer-shard-hours (2 consumers x ${shards} shards)`,
      quantity: `${significant(M / ASSUMED_SIGNALS_PER_SECOND / 3600)} h at ${ASSUMED_SIGNALS_PER_SECOND} signals/s`,
      price: `$${prices.kinesisEfoPerConsumerShardHour}/consumer-shard-hour`,
      dollars: consumerShardHoursCost(M, ASSUMED_SIGNALS_PER_SECOND, 2, shards, prices),
    },
    {
      mode: 'both',
      item: 'Kinesis stream-hours (2 streams)',
      quantity: `${significant(M / ASSUMED_SIGNALS_PER_SECOND / 3600)} h each at ${ASSUMED_SIGNALS_PER_SECOND} signals/s`,
      price: `$${prices.kinesisPerStreamHour}/stream-hour`,
      dollars: streamHoursCost(M, ASSUMED_SIGNALS_PER_SECOND, 2, prices),
    },
    {
      mode: 'both',
      item: 'EventBridge PutEvents (Moment Detected)',
      quantity: `${fmt(events)} events (64 KB chunks)`,
      price: `$${prices.eventBridgePerMillionEvents}/M events`,
      dollars: (events / M) * prices.eventBridgePerMillionEvents,
    },
    {
      mode: 'both',
      item: 'SQS quarantine SendMessageBatch',
      quantity: `${fmt(sqsRequests)} requests`,
      price: `$${prices.sqsPerMillionRequests}/M requests`,
      dollars: (sqsRequests / M) * prices.sqsPerMillionRequests,
    },
    {
      mode: 'both',
      item: 'CloudWatch Logs ingestion (logs + EMF)',
      quantity: `${significant(logBytes / GB)} GB`,
      price: `$${prices.cloudWatchLogsPerGbIngested}/GB`,
      dollars: (logBytes / GB) * prices.cloudWatchLogsPerGbIngested,
    },
  ];
  const total = (mode: ConsumerMode) => lines.reduce((sum, l) => (l.mode === 'both' || l.mode === mode ? sum + l.dollars : sum), 0);
  return {
    prices,
    assumedLatencyMs: ASSUMED_LATENCY_MS,
    assumedSignalsPerSecond: ASSUMED_SIGNALS_PER_SECOND,
    lambda,
    lines,
    totalPerMillion: total('shared'),
    totalPerMillionEnhancedFanOut: total('enhanced-fan-out'),
    shardsPerStream: shards,
  };
}

export function costSection(data: ThroughputData, config: MicroMomentsConfig = defaultConfig): BenchSection<CostData> {
  const cost = computeCost(data, config);
  const rows: BenchRow[] = [
    ...cost.lines.map((l) => ({ consumers: l.mode, item: l.item, quantity: l.quantity, price: l.price, 'USD per 1M signals': significant(l.dollars, 3) })),
    { consumers: 'shared', item: 'Total, shared throughput', quantity: '', price: '', 'USD per 1M signals': significant(cost.totalPerMillion, 3) },
    { consumers: 'enhanced-fan-out', item: 'Total, enhanced fan-out', quantity: '', price: '', 'USD per 1M signals': significant(cost.totalPerMillionEnhancedFanOut, 3) },
  ];
  const enrichedShare = (data.cases.find((c) => c.handler === 'enrich' && c.backend === 'memory')?.recordsPutPer1k ?? 0) / 1000;
  const notes = [
    `Prices: AWS list prices, us-east-1, as of ${PRICES.asOf} (no free tier, no savings plans); check the pricing pages before quoting.`,
    `Per million signals into the signals stream, of the simulator mix; ${significant(enrichedShare * 100)} % come out enriched (the rest are quarantined or dropped by policy) and reach score. Full batches of ${config.eventSources.enrich.batchSize} assumed (a busy stream; at low traffic batches are smaller and invocations more numerous).`,
    ...cost.lambda.map(
      (l) =>
        `Lambda ${l.name}: ${l.durationMs} ms billed per invocation = ${significant(l.cpuMs)} ms CPU (measured in memory on this machine, stretched by the ${config.functions[l.name].memoryMb}/${MB_PER_VCPU} vCPU share of ${config.functions[l.name].memoryMb} MB) + ${significant(l.ioWaitMs)} ms of modelled waits on AWS calls (requests per batch counted, round trips assumed: ${Object.entries(ASSUMED_LATENCY_MS).map(([k, v]) => `${k} ${v} ms`).join(', ')}; conditional PutItems ${PUT_ITEM_CONCURRENCY} at a time).`,
    ),
    'CPU was measured on an x86 server core of a shared machine, not Graviton: the Lambda CPU figure is an estimate of the order, not of the digit.',
    `DynamoDB units come from section 1's dynalite runs: items read and written, sized by DynamoDB's rules (0.5 RRU per 4 KB read eventually consistent, 1 RRU read consistent as enrich reads profiles and tombstones and score its consent guards; 1 WRU per 1 KB written). Storage, TTL deletes (free) and the notify functions' reads and writes are not included.`,
    `Kinesis on-demand: ${significant(data.recordBytes.signal)} B per signal and ${significant(data.recordBytes.enriched)} B per enriched record measured, rounded up to 1 KB per record as on-demand bills data in and out (the pricing page: "the size of each record rounded up to the nearest 1 KB"), so records under 1 KB cost as much as 1 KB; each stream read once by its one consumer, 24 h retention; the per-stream-hour charge assumes a steady ${ASSUMED_SIGNALS_PER_SECOND} signals/s (it falls per signal as the rate grows).`,
    `Consumer modes (streams.<signals|enriched>.consumer): "shared" reads with GetRecords at the data-retrieval price; "enhanced-fan-out" is billed per GB read through the consumer ($${PRICES.kinesisEfoPerGbRetrieved}/GB) and per consumer-shard-hour ($${PRICES.kinesisEfoPerConsumerShardHour}), here 2 consumers (enrich, score) x ${cost.shardsPerStream} shards per stream (${config.streams.mode === 'PROVISIONED' ? 'the configured shard count' : `an on-demand stream's initial ${ASSUMED_ON_DEMAND_SHARDS}`}) for the ${significant(1e6 / ASSUMED_SIGNALS_PER_SECOND / 3600)} h that a million signals take at ${ASSUMED_SIGNALS_PER_SECOND} signals/s. The hourly part is paid whether signals flow or not: idle, enhanced fan-out adds 2 x ${cost.shardsPerStream} x $${PRICES.kinesisEfoPerConsumerShardHour} = $${significant(2 * cost.shardsPerStream * PRICES.kinesisEfoPerConsumerShardHour)} an hour to the streams' own charge.`,
    `Target (issue 12): <= $${TARGET_DOLLARS_PER_MILLION.toFixed(2)} per million signals, shared throughput: $${significant(cost.totalPerMillion, 3)}, ${cost.totalPerMillion <= TARGET_DOLLARS_PER_MILLION ? 'met' : 'MISSED'} (${significant(cost.totalPerMillion / TARGET_DOLLARS_PER_MILLION)}x the target).`,
    'EventBridge: one event per Moment Detected; rules, archive (replay) and the notify functions it triggers are not included: they scale with moments, not signals. EMF custom metrics are billed per metric per month, not per signal, and are not included.',
  ];
  return { title: 'Cost per million signals (AWS list prices, us-east-1)', rows, notes, data: cost };
}
