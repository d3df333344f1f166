import { ASSUMED_LATENCY_MS, dynamoCost, kinesisDataCost, lambdaCost, MB_PER_VCPU, PRICES, streamHoursCost } from '../../../bench/cost';
import { itemSize, readUnits, writeUnits } from '../../../bench/dynamo-capacity';

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
  });
});
