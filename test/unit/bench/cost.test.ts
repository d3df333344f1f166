import {
  ASSUMED_LATENCY_MS, ASSUMED_ON_DEMAND_SHARDS, ASSUMED_SIGNALS_PER_SECOND, computeCost, consumerShardHoursCost, dynamoCost, kinesisBilledGb, kinesisDataCost,
  lambdaCost, MB_PER_VCPU, PRICES, streamHoursCost,
} from '../../../bench/cost';
import type { ThroughputData } from '../../../bench/throughput';
import { defaultConfig } from '../../../shared/config';
import { CapacityMeter, itemSize, readUnits, writeUnits } from '../../../bench/dynamo-capacity';

describe('cost model arithmetic', () => {
  it('bills a Lambda invocation its CPU stretched by the vCPU share plus the waits on AWS calls', () => {
    const l = lambdaCost({
      name: 'score',
      memoryMb: MB_PER_VCPU / 2,
      batchSize: 100,
      cpuMsPerBatch: 10,
      // 17 conditional puts run 16 at a time: two round trips.
      requestsPerBatch: { 'dynamodb.BatchGetItem': 1, 'dynamodb.PutItem': 17, 'dynamodb.retriedItems': 5 },
      invocationsPerMillion: 10_000,
    });
    expect(l.cpuMs).toBe(20);
    expect(l.ioWaitMs).toBe(ASSUMED_LATENCY_MS['dynamodb.BatchGetItem'] + 2 * ASSUMED_LATENCY_MS['dynamodb.PutItem']);
    expect(l.durationMs).toBe(Math.ceil(20 + l.ioWaitMs));
    const gbSeconds = (10_000 * (MB_PER_VCPU / 2 / 1024) * l.durationMs) / 1000;
    expect(l.gbSeconds).toBeCloseTo(gbSeconds, 9);
    expect(l.dollars).toBeCloseTo(gbSeconds * PRICES.lambdaArmGbSecond + 0.01 * PRICES.lambdaPerMillionRequests, 12);
  });

  it('never gives a function more than one vCPU', () => {
    const l = lambdaCost({ name: 'enrich', memoryMb: 4096, batchSize: 100, cpuMsPerBatch: 7, requestsPerBatch: {}, invocationsPerMillion: 1 });
    expect(l.cpuMs).toBe(7);
  });

  it('prices DynamoDB units, Kinesis data by the KB-rounded record and stream-hours by the rate', () => {
    expect(dynamoCost(2e6, 1e6)).toBeCloseTo(2 * PRICES.dynamoPerMillionRru + PRICES.dynamoPerMillionWru, 12);
    // 1,025 bytes bill as 2 KB; 1 GiB in and out.
    expect(kinesisDataCost(524_288, 1025)).toBeCloseTo(PRICES.kinesisPerGbIngested + PRICES.kinesisPerGbRetrieved, 12);
    expect(kinesisDataCost(1_048_576, 10)).toBeCloseTo(PRICES.kinesisPerGbIngested + PRICES.kinesisPerGbRetrieved, 12);
    expect(streamHoursCost(3600, 1, 2)).toBeCloseTo(2 * PRICES.kinesisPerStreamHour, 12);
  });

  it('sizes items by DynamoDB rules and rounds units up', () => {
    // 'pk' (2) + 'C#ab' (4) + 'n' (1) + 12345 (3 digits pairs + 1 = 4) + 'ok' (2) + true (1)
    expect(itemSize({ pk: 'C#ab', n: 12345, ok: true })).toBe(14);
    // a map: 3 + per entry name + value + 1; a list: 3 + per element value + 1
    expect(itemSize({ m: { a: 'x' } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemSize({ l: ['xy', 'z'] })).toBe(1 + 3 + (2 + 1) + (1 + 1));
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(undefined)).toBe(0.5);
    expect(readUnits(4097)).toBe(1);
    // A consistent read costs twice as much, a key not found included.
    expect(readUnits(undefined, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
  });

  it('meters a consistent BatchGetItem at a full read unit per item, an eventually consistent one at half', () => {
    const meter = new CapacityMeter();
    const item = { pk: 'C#a', sk: 'PROFILE' };
    meter.observe('BatchGetCommand', { RequestItems: { t: { Keys: [item, { pk: 'C#b', sk: 'PROFILE' }], ConsistentRead: true } } }, { Responses: { t: [item] } });
    expect(meter.totals.readUnits).toBe(2);
    meter.reset();
    meter.observe('BatchGetCommand', { RequestItems: { t: { Keys: [item, { pk: 'C#b', sk: 'PROFILE' }] } } }, { Responses: { t: [item] } });
    expect(meter.totals.readUnits).toBe(1);
    meter.observe('GetCommand', { Key: item, ConsistentRead: true }, { Item: item });
    expect(meter.totals.readUnits).toBe(2);
  });
});

describe('consumer modes in the cost model', () => {
  const fakeCase = (handler: 'enrich' | 'score', backend: 'memory' | 'dynalite') => ({
    handler, backend, batchSize: 100, workload: 'mix', runs: [], signalsPerCpuSecond: 10_000, cpuMicrosPerSignal: 100, wallSignalsPerSecond: 5_000,
    cpuMsPerBatch: 10, wallMsPerBatch: 20, requestsPer1k: {}, readUnitsPer1k: 0, writeUnitsPer1k: 0, busEventsPer1k: 10, busChunksPer1k: 10,
    recordsPutPer1k: 800, logBytesPerSignal: 0, distinctCustomersPerBatch: 50,
  });
  const data: ThroughputData = {
    runsPerCase: 1,
    cases: (['enrich', 'score'] as const).flatMap((h) => (['memory', 'dynalite'] as const).map((b) => fakeCase(h, b))),
    recordBytes: { signal: 700, enriched: 1100 },
    loadAverageAtEnd: 0,
  };

  it('bills enhanced fan-out per consumer-shard-hour and per GB read through the consumer', () => {
    expect(consumerShardHoursCost(3600, 1, 2, 4)).toBeCloseTo(8 * PRICES.kinesisEfoPerConsumerShardHour, 12);
    expect(kinesisBilledGb(1_048_576, 1025)).toBeCloseTo(2, 12);
  });

  it('the two totals share every line but how the streams are read', () => {
    const cost = computeCost(data, defaultConfig);
    const sum = (modes: string[]) => cost.lines.filter((l) => modes.includes(l.mode)).reduce((s, l) => s + l.dollars, 0);
    expect(cost.totalPerMillion).toBeCloseTo(sum(['both', 'shared']), 12);
    expect(cost.totalPerMillionEnhancedFanOut).toBeCloseTo(sum(['both', 'enhanced-fan-out']), 12);
    // 1M signals x 1 KB + 0.8M enriched x 2 KB, read once; 2 consumers x 4 on-demand shards for 1e6/200 s.
    const gb = kinesisBilledGb(1e6, 700) + kinesisBilledGb(8e5, 1100);
    const hours = 1e6 / ASSUMED_SIGNALS_PER_SECOND / 3600;
    expect(cost.totalPerMillionEnhancedFanOut - cost.totalPerMillion).toBeCloseTo(
      gb * (PRICES.kinesisEfoPerGbRetrieved - PRICES.kinesisPerGbRetrieved) + hours * 2 * ASSUMED_ON_DEMAND_SHARDS * PRICES.kinesisEfoPerConsumerShardHour,
      12,
    );
    // Provisioned streams bill their configured shards.
    const provisioned = computeCost(data, { ...defaultConfig, streams: { ...defaultConfig.streams, mode: 'PROVISIONED', shardCount: 10 } });
    expect(provisioned.shardsPerStream).toBe(10);
  });
});
