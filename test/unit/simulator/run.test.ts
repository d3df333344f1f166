import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { defaultConfig } from '../../../shared/config/defaults';
import { parseSignal } from '../../../shared/contracts';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { createSimulator, type SimulatorOptions } from '../../../local/simulator';
import { formatSummary, sendToStream, writeSignalsFile } from '../../../local/simulator/run';

const START = new Date('2026-11-23T08:00:00.000Z');
const sim: SimulatorOptions = { seed: 5, customers: 40, ratePerSecond: 50, durationSeconds: 20, config: defaultConfig, startTime: START, malformedShare: 0.05 };
const lines = (path: string) => readFileSync(path).toString('latin1').split('\n').slice(0, -1);

describe('writeSignalsFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mm-sim-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the valid and sensitive records, one per line, and counts the malformed ones left out', () => {
    const path = join(dir, 'signals.jsonl');
    const s = writeSignalsFile(sim, path, false);
    const expected = [...createSimulator(sim)].filter((r) => r.kind !== 'malformed');
    expect(lines(path)).toEqual(expected.map((r) => Buffer.from(r.record).toString('latin1')));
    expect(s.generated).toBe(1000);
    expect(s.written + s.skipped).toBe(s.generated);
    expect(s.skipped).toBeGreaterThan(0);
    expect(s.byKind.malformed).toBe(0);
    for (const line of lines(path)) expect(parseSignal(Buffer.from(line, 'latin1')).ok).toBe(true);
  });

  it('writes the malformed records too when asked', () => {
    const path = join(dir, 'all.jsonl');
    const s = writeSignalsFile(sim, path, true);
    expect(lines(path)).toHaveLength(1000);
    expect(s.written).toBe(1000);
    expect(s.byKind.valid + s.byKind.sensitive + s.byKind.malformed).toBe(1000);
    expect(formatSummary(s, path)).toContain(`${path}: 1000 records written`);
  });
});

describe('sendToStream', () => {
  const kinesisMock = mockClient(KinesisClient);
  beforeEach(() => kinesisMock.reset());
  const producer = () =>
    new Producer({ kinesis: new KinesisClient({ region: 'eu-west-1' }), streamName: 'signals', validate: false, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });

  it('puts every record, malformed ones included, each customer in order, in calls of at most 500 with one record per customer', async () => {
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({ FailedRecordCount: 0, Records: input.Records!.map(() => ({ SequenceNumber: '1', ShardId: 's' })) }));
    const progress: number[] = [];
    const s = await sendToStream(sim, { producer: producer(), pace: false, onProgress: (p) => progress.push(p.written) });

    const calls = kinesisMock.commandCalls(PutRecordsCommand).map((c) => (c.args[0].input as PutRecordsCommandInput).Records!);
    const sent = calls.flat();
    const expected = [...createSimulator(sim)];
    const text = (data: Uint8Array) => Buffer.from(data).toString('latin1').replace(/"timestamp":"[^"]*"/, '');
    // Per partition key, the order given; across keys, calls interleave them.
    const byKey = (records: { key: string; text: string }[]) => {
      const out = new Map<string, string[]>();
      for (const r of records) out.set(r.key, [...(out.get(r.key) ?? []), r.text]);
      return out;
    };
    expect(byKey(sent.map((r) => ({ key: r.PartitionKey!, text: text(r.Data!) })))).toEqual(
      byKey(expected.map((r) => ({ key: r.partitionKey, text: text(r.record) }))),
    );
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(500);
      expect(new Set(call.map((r) => r.PartitionKey)).size).toBe(call.length);
    }
    expect(s).toMatchObject({ generated: 1000, written: 1000, failed: 0, putRecordsCalls: calls.length });
    expect(s.byKind.malformed).toBeGreaterThan(0);
    expect(progress).toEqual([500, 1000]);
  });

  it('counts the records still failing after the retries, with the reason, so that the counts add up', async () => {
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: 1,
      Records: input.Records!.map((_, i) => (i === 0 ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' } : { SequenceNumber: '1', ShardId: 's' })),
    }));
    const s = await sendToStream({ ...sim, durationSeconds: 2 }, { producer: producer(), pace: false });
    expect(s.generated).toBe(100);
    // The record that kept failing, and the later records of its customer, held back to keep its order.
    expect(s.failed).toBeGreaterThan(1);
    expect(s.written + s.failed).toBe(100);
    expect(s.errors).toContain('ProvisionedThroughputExceededException: Rate exceeded');
    expect(s.errors.filter((e) => e.startsWith('not sent: an earlier record of its partition key was not accepted'))).toHaveLength(1);
    expect(formatSummary(s, 'signals')).toContain(`FAILED after retries: ${s.failed}`);
  });

  it('paces the records at the simulated rate and stops when aborted', async () => {
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({ FailedRecordCount: 0, Records: input.Records!.map(() => ({ SequenceNumber: '1', ShardId: 's' })) }));
    let t = 0;
    const abort = new AbortController();
    // A fake clock that moves 100 ms per reading: paced runs send only what is due.
    const s = await sendToStream(
      { ...sim, ratePerSecond: 10, durationSeconds: 100 },
      {
        producer: producer(),
        pace: true,
        now: () => (t += 100),
        abort: abort.signal,
        onProgress: (p) => {
          if (p.written >= 5) abort.abort();
        },
      },
    );
    const batches = kinesisMock.commandCalls(PutRecordsCommand).map((c) => (c.args[0].input as PutRecordsCommandInput).Records!.length);
    expect(batches.every((n) => n <= 2)).toBe(true);
    expect(s.written).toBeGreaterThanOrEqual(5);
    expect(s.written).toBeLessThan(10);
  });
});
