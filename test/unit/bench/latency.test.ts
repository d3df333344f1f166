import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { LATENCY_TARGETS, latencyRows, percentiles, PUT_TO_MOMENT_P99_TARGET_MS, targetNote } from '../../../bench/latency-summary';
import { describeTimes, emptyTimes, timedHandler } from '../../../bench/latency-timing';
import type { LatencyData } from '../../../bench/types';

const event = (n: number) => ({ Records: Array.from({ length: n }, () => ({})) }) as unknown as KinesisStreamEvent;
const context = {} as Context;

describe('latency percentiles', () => {
  test('nearest rank over every sample, and the max', () => {
    const samples = Array.from({ length: 200 }, (_, i) => 200 - i); // 200..1, unsorted on purpose
    expect(percentiles(samples)).toEqual({ p50: 100, p95: 190, p99: 198, max: 200 });
  });

  test('no sample gives NaN, printed as "-"', () => {
    const none = percentiles([]);
    expect(Number.isNaN(none.p99)).toBe(true);
    const data: LatencyData = {
      consumer: 'shared', ratePerSecond: 200, shards: 2, durationSeconds: 10, signalsSent: 0, moments: 0, notifications: 0,
      putToMomentMs: none, putToNotifyMs: percentiles([12.4, 30.6]),
    };
    const rows = latencyRows(data, { moment: 0, notify: 2 });
    expect(rows[0]).toMatchObject({ consumer: 'shared', where: 'local', path: 'put → Moment Detected', 'p99 ms': '-', samples: 0 });
    expect(rows[1]).toMatchObject({ path: 'put → notify handler', 'p50 ms': 12, 'max ms': 31, samples: 2 });
  });
});

describe('latency target note', () => {
  test('met, with the ratio to the target', () => {
    expect(targetNote(412)).toMatch(/: met \(p99 412 ms, 0\.27× the target\)/);
  });
  test('missed, with the ratio and how far over', () => {
    const note = targetNote(2205);
    expect(note).toMatch(/MISSED/);
    expect(note).toContain(`1.47× the target, ${2205 - PUT_TO_MOMENT_P99_TARGET_MS} ms over`);
  });
  test('no moment: says it was not measured rather than met', () => {
    expect(targetNote(NaN)).toMatch(/not measured/);
  });
  test("issue 12's targets name their path and bound: 900 ms meets the Moment Detected one, 1,200 ms does not; the decision's is 1.5 s", () => {
    expect(targetNote(900, LATENCY_TARGETS.momentIssue12)).toMatch(/^Target p99 put → Moment Detected < 1000 ms \(issue 12\): met/);
    expect(targetNote(1200, LATENCY_TARGETS.momentIssue12)).toMatch(/MISSED \(p99 1200 ms, 1\.20× the target, 200 ms over\)/);
    expect(targetNote(1200, LATENCY_TARGETS.notifyIssue12)).toMatch(/^Target p99 put → notify decision < 1500 ms \(issue 12\): met/);
  });
});

describe('timedHandler', () => {
  test('adds each batch duration and record count, and passes the result through', async () => {
    let clock = 0;
    const times = emptyTimes();
    const handler = timedHandler(async (e) => {
      clock += e.Records.length * 10;
      return { batchItemFailures: [] };
    }, times, () => clock);
    await expect(handler(event(3), context)).resolves.toEqual({ batchItemFailures: [] });
    await handler(event(5), context);
    expect(times).toEqual({ batches: 2, records: 8, totalMs: 80, maxBatchMs: 50 });
    expect(describeTimes('enrich', times)).toBe('enrich 2 batches, 8 records, mean batch 40 ms (max 50), 10.00 ms/record');
  });

  test('a batch that throws is still counted, and the error reaches the poller', async () => {
    const times = emptyTimes();
    const handler = timedHandler(async () => {
      throw new Error('boom');
    }, times);
    await expect(handler(event(2), context)).rejects.toThrow('boom');
    expect(times.batches).toBe(1);
    expect(times.records).toBe(2);
  });

  test('no batch: says so', () => {
    expect(describeTimes('score', emptyTimes())).toBe('score: no batch handled');
  });
});
