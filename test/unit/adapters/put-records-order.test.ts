/**
 * shared/adapters/kinesis.ts putRecords keeps each partition key's order when entries fail: a key's
 * records are accepted in input order, each once, and what never got in is a suffix of the key's
 * records, reported failed. Nothing failing costs no extra call when keys are distinct.
 */
import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { BEHIND_FAILED, putRecords, type StreamRecord } from '../../../shared/adapters/kinesis';
import { RequestCounter } from '../../../shared/adapters/request-counter';
import type { RetryPolicy } from '../../../shared/adapters/retry';

const kinesisMock = mockClient(KinesisClient);
const kinesis = new KinesisClient({ region: 'eu-west-1' });
const NO_WAIT: RetryPolicy = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

interface Rec extends StreamRecord {
  id: string;
}

const rec = (partitionKey: string, id: string, bytes = 0): Rec => ({
  partitionKey,
  id,
  data: bytes > 0 ? Buffer.alloc(bytes, id) : Buffer.from(id),
});

const idOf = (entry: { Data?: Uint8Array }) => Buffer.from(entry.Data ?? new Uint8Array()).toString('utf8');

/** Every call's entries, as record ids. */
const sentIds = (): string[][] =>
  kinesisMock.commandCalls(PutRecordsCommand).map((c) => (c.args[0].input as PutRecordsCommandInput).Records!.map(idOf));

/**
 * Answers PutRecords, failing the entries `fails` picks (given the record id and the running
 * offer number), and logs the ids accepted in the order the stream took them.
 */
function fakeStream(fails: (id: string, offer: number) => boolean): { accepted: string[] } {
  const log = { accepted: [] as string[] };
  let offer = 0;
  kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput): Partial<PutRecordsCommandOutput> => {
    const records = (input.Records ?? []).map((r) => {
      const id = idOf(r);
      if (fails(id, offer++)) return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' };
      log.accepted.push(id);
      return { SequenceNumber: String(log.accepted.length), ShardId: 'shardId-000000000000' };
    });
    return { FailedRecordCount: records.filter((r) => 'ErrorCode' in r).length, Records: records };
  });
  return log;
}

beforeEach(() => kinesisMock.reset());

describe('putRecords under random entry failures (property)', () => {
  const batch = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 40 });
  const pattern = fc.record({
    draws: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 60 }),
    failPercent: fc.integer({ min: 0, max: 90 }),
    maxAttempts: fc.integer({ min: 1, max: 4 }),
  });

  it('accepts each key in input order, each record at most once, and reports exactly the suffix that never got in', async () => {
    await fc.assert(
      fc.asyncProperty(batch, pattern, async (keys, p) => {
        kinesisMock.reset();
        const records = keys.map((k, i) => rec(k, `${k}${i}`));
        const log = fakeStream((_, offer) => p.draws[offer % p.draws.length] < p.failPercent);
        const result = await putRecords(kinesis, 'enriched', records, { retry: { ...NO_WAIT, maxAttempts: p.maxAttempts } });

        const acceptedSet = new Set(log.accepted);
        expect(acceptedSet.size).toBe(log.accepted.length);
        for (const key of new Set(keys)) {
          const ofKey = records.filter((r) => r.partitionKey === key).map((r) => r.id);
          const acceptedOfKey = log.accepted.filter((id) => id.startsWith(key));
          // Accepted in input order: a prefix of the key's records; the rest is the suffix reported.
          expect(acceptedOfKey).toEqual(ofKey.slice(0, acceptedOfKey.length));
          const failedOfKey = result.failed.filter((f) => f.entry.partitionKey === key).map((f) => f.entry.id);
          expect(failedOfKey).toEqual(ofKey.slice(acceptedOfKey.length));
        }
        expect(result.failed.length + log.accepted.length).toBe(records.length);
        // The rule itself: never two records of one key in a call; no record offered beyond the attempts.
        const calls = sentIds();
        for (const call of calls) expect(new Set(call.map((id) => id[0])).size).toBe(call.length);
        const offers = new Map<string, number>();
        for (const id of calls.flat()) offers.set(id, (offers.get(id) ?? 0) + 1);
        expect(Math.max(...offers.values())).toBeLessThanOrEqual(p.maxAttempts);
        expect(result.calls).toBe(calls.length);
        expect(result.retriedEntries).toBe(calls.flat().length - offers.size);
      }),
      { numRuns: 150 },
    );
  });
});

describe('putRecords when nothing fails', () => {
  it('makes one call per 500 records when the keys are distinct, in input order, nothing retried', async () => {
    fakeStream(() => false);
    const records = Array.from({ length: 1201 }, (_, i) => rec(`k${i}`, `r${i}`));
    const counter = new RequestCounter();
    const result = await putRecords(kinesis, 'enriched', records, { counter });
    expect(sentIds().map((c) => c.length)).toEqual([500, 500, 201]);
    expect(sentIds().flat()).toEqual(records.map((r) => r.id));
    expect(result).toEqual({ failed: [], calls: 3, retriedEntries: 0 });
    expect(counter.get('kinesis.PutRecords')).toBe(3);
    expect(counter.get('kinesis.retriedRecords')).toBe(0);
  });

  it('starts a new call before a call would pass 5 MiB', async () => {
    fakeStream(() => false);
    const mib = 1024 * 1024;
    const records = Array.from({ length: 6 }, (_, i) => rec(`k${i}`, `${i}`, mib));
    const result = await putRecords(kinesis, 'enriched', records);
    expect(sentIds().map((c) => c.length)).toEqual([4, 2]);
    expect(result.calls).toBe(2);
  });

  it('needs one call per record of the deepest key, each call taking the next record of every key', async () => {
    const log = fakeStream(() => false);
    const records = [rec('a', 'a1'), rec('a', 'a2'), rec('b', 'b1'), rec('a', 'a3'), rec('c', 'c1'), rec('c', 'c2')];
    const result = await putRecords(kinesis, 'enriched', records);
    expect(sentIds()).toEqual([['a1', 'b1', 'c1'], ['a2', 'c2'], ['a3']]);
    expect(log.accepted).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    expect(result).toEqual({ failed: [], calls: 3, retriedEntries: 0 });
  });
});

describe('putRecords when entries fail', () => {
  it('sends a key on only after its failed record was accepted, while the other keys go on', async () => {
    const log = fakeStream((id, offer) => id === 'a1' && offer === 0);
    const counter = new RequestCounter();
    const accepted: string[][] = [];
    const records = [rec('a', 'a1'), rec('b', 'b1'), rec('a', 'a2'), rec('b', 'b2')];
    const result = await putRecords(kinesis, 'enriched', records, { counter, retry: NO_WAIT, onAccepted: (e) => accepted.push(e.map((r) => r.id)) });
    expect(sentIds()).toEqual([['a1', 'b1'], ['a1', 'b2'], ['a2']]);
    expect(log.accepted).toEqual(['b1', 'a1', 'b2', 'a2']);
    expect(accepted).toEqual([['b1'], ['a1', 'b2'], ['a2']]);
    expect(result).toEqual({ failed: [], calls: 3, retriedEntries: 1 });
    expect(counter.get('kinesis.retriedRecords')).toBe(1);
  });

  it('gives up a record after its attempts and reports the later records of its key failed, never sending them', async () => {
    const log = fakeStream((id) => id === 'a2');
    const records = [rec('a', 'a1'), rec('b', 'b1'), rec('a', 'a2'), rec('b', 'b2'), rec('a', 'a3'), rec('b', 'b3'), rec('a', 'a4')];
    const result = await putRecords(kinesis, 'enriched', records, { retry: NO_WAIT });
    expect(sentIds()).toEqual([['a1', 'b1'], ['a2', 'b2'], ['a2', 'b3'], ['a2']]);
    expect(log.accepted).toEqual(['a1', 'b1', 'b2', 'b3']);
    const error = 'ProvisionedThroughputExceededException: Rate exceeded';
    expect(result.failed).toEqual([
      { entry: records[2], error },
      { entry: records[4], error: `${BEHIND_FAILED} (${error})` },
      { entry: records[6], error: `${BEHIND_FAILED} (${error})` },
    ]);
    expect(result.calls).toBe(4);
  });

  it('retries a record the answer has no entry for, as a failed one', async () => {
    let call = 0;
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) =>
      ++call === 1
        ? { FailedRecordCount: 1, Records: [{ ErrorCode: 'InternalFailure' }] }
        : { FailedRecordCount: 0, Records: input.Records!.map(() => ({ SequenceNumber: '1', ShardId: 's' })) },
    );
    const result = await putRecords(kinesis, 'enriched', [rec('a', 'a1'), rec('b', 'b1')], { retry: NO_WAIT });
    expect(sentIds()).toEqual([['a1', 'b1'], ['a1', 'b1']]);
    expect(result).toEqual({ failed: [], calls: 2, retriedEntries: 2 });
  });
});
