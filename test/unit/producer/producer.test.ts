import { KinesisClient, PutRecordsCommand, type PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { RequestCounter } from '../../../shared/adapters/request-counter';
import { Producer, type ProducerOptions } from '../../../shared/adapters/kinesis-producer';
import { partitionKeyOf } from '../../../shared/producer/encode';

const kinesisMock = mockClient(KinesisClient);
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

let seq = 0;
function signal(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'track',
    event: 'Products Searched',
    messageId: `m-${seq}`,
    timestamp: '2026-11-23T08:00:00.000Z',
    userId: `user-${seq}`,
    properties: { query: 'coffee near me' },
    ...overrides,
  };
}

function producer(extra: Partial<ProducerOptions> = {}): Producer {
  return new Producer({ kinesis: new KinesisClient({ region: 'eu-west-1' }), streamName: 'signals', retry: FAST_RETRY, ...extra });
}

/** The records of every PutRecords call, decoded: [call][entry] = { key, json }. */
function calls(): { key: string; json: Record<string, unknown> }[][] {
  return kinesisMock.commandCalls(PutRecordsCommand).map((c) =>
    (c.args[0].input as PutRecordsCommandInput).Records!.map((r) => ({
      key: r.PartitionKey!,
      json: JSON.parse(Buffer.from(r.Data!).toString('utf8')) as Record<string, unknown>,
    })),
  );
}

const allOk = (input: PutRecordsCommandInput) => ({
  FailedRecordCount: 0,
  Records: input.Records!.map((_, i) => ({ SequenceNumber: String(i), ShardId: 'shardId-000000000000' })),
});

beforeEach(() => {
  kinesisMock.reset();
  kinesisMock.on(PutRecordsCommand).callsFake(allOk);
});

describe('Producer.send', () => {
  it('sends valid signals, keyed by userId else anonymousId, and reports each put time', async () => {
    const puts: [string, number][] = [];
    let clock = 1000;
    const p = producer({ now: () => ++clock, onPut: (id, t) => puts.push([id, t]) });
    const a = signal();
    const b = signal({ userId: undefined, anonymousId: 'anon-7' });
    const res = await p.send([a, b]);

    expect(res.sent).toBe(2);
    expect(res.failed).toEqual([]);
    expect(res.invalid).toEqual([]);
    expect(calls()).toEqual([[{ key: a.userId, json: a }, { key: 'anon-7', json: JSON.parse(JSON.stringify(b)) }]]);
    expect(res.outcomes).toEqual([
      { status: 'sent', messageId: a.messageId, putAtMs: 1001 },
      { status: 'sent', messageId: b.messageId, putAtMs: 1001 },
    ]);
    expect(puts).toEqual([
      [a.messageId, 1001],
      [b.messageId, 1001],
    ]);
  });

  it('returns invalid signals with the reason naming the field, and sends only the valid ones', async () => {
    const good = signal();
    const noId = signal({ messageId: undefined });
    const badTz = signal({ context: { timezone: 5 } });
    const huge = signal({ properties: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(2000)])) });
    const res = await producer().send([noId, good, badTz, huge]);

    expect(calls()).toEqual([[{ key: good.userId, json: good }]]);
    expect(res.sent).toBe(1);
    expect(res.invalid.map((i) => [i.index, i.reason])).toEqual([
      [0, 'Signal.messageId: is required (required)'],
      [2, 'Signal.context.timezone: must be string (type)'],
      [3, expect.stringMatching(/^Signal: record is \d+ bytes, more than 32768 \(maxRecordBytes\)$/)],
    ]);
    expect(res.invalid[0].signal).toBe(noId);
    expect(res.outcomes.map((o) => o.status)).toEqual(['invalid', 'sent', 'invalid', 'invalid']);
  });

  it('sends malformed signals as they are when validation is off', async () => {
    const broken = { type: 'alias', messageId: 'x-1', timestamp: 'yesterday' };
    const res = await producer({ validate: false }).send([broken]);
    expect(res.sent).toBe(1);
    // Neither userId nor anonymousId: the messageId keeps the partition key non-empty.
    expect(calls()).toEqual([[{ key: 'x-1', json: broken }]]);
  });

  it('retries only the entries that failed, then reports them sent', async () => {
    let call = 0;
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      call++;
      if (call > 1) return allOk(input);
      return {
        FailedRecordCount: 2,
        Records: input.Records!.map((_, i) =>
          i === 1 || i === 3 ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' } : { SequenceNumber: String(i), ShardId: 's' },
        ),
      };
    });
    const counter = new RequestCounter();
    const puts: string[] = [];
    const signals = [signal(), signal(), signal(), signal()];
    const res = await producer({ counter, onPut: (id) => puts.push(id) }).send(signals);

    const sent = calls();
    expect(sent).toHaveLength(2);
    expect(sent[0].map((r) => r.json.messageId)).toEqual(signals.map((s) => s.messageId));
    expect(sent[1].map((r) => r.json.messageId)).toEqual([signals[1].messageId, signals[3].messageId]);
    expect(res.sent).toBe(4);
    expect(res.failed).toEqual([]);
    expect(res.calls).toBe(2);
    expect(res.retriedEntries).toBe(2);
    expect(counter.get('kinesis.PutRecords')).toBe(2);
    expect(counter.get('kinesis.retriedRecords')).toBe(2);
    expect(puts.sort()).toEqual(signals.map((s) => String(s.messageId)).sort());
  });

  it('reports the entries that still fail after the retries, with the error, and sends the others once', async () => {
    const stuck = signal();
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
      FailedRecordCount: 1,
      Records: input.Records!.map((r) =>
        JSON.parse(Buffer.from(r.Data!).toString('utf8')).messageId === stuck.messageId
          ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }
          : { SequenceNumber: '1', ShardId: 's' },
      ),
    }));
    const puts: string[] = [];
    const others = [signal(), signal()];
    const res = await producer({ onPut: (id) => puts.push(id) }).send([others[0], stuck, others[1]]);

    const sent = calls();
    expect(sent).toHaveLength(FAST_RETRY.maxAttempts);
    for (const later of sent.slice(1)) expect(later.map((r) => r.json.messageId)).toEqual([stuck.messageId]);
    expect(res.sent).toBe(2);
    expect(res.failed).toEqual([{ index: 1, messageId: stuck.messageId, error: 'InternalFailure: boom' }]);
    expect(res.outcomes[1]).toEqual({ status: 'failed', messageId: stuck.messageId, error: 'InternalFailure: boom' });
    expect(puts).toEqual(others.map((s) => s.messageId));
  });

  it('chunks large sends into calls of at most 500 records', async () => {
    const signals = Array.from({ length: 1201 }, () => signal());
    const res = await producer().send(signals);
    expect(calls().map((c) => c.length)).toEqual([500, 500, 201]);
    expect(res.sent).toBe(1201);
    expect(res.outcomes).toHaveLength(1201);
  });

  it('reports every record not yet accepted as failed when a call throws, keeping the accepted ones', async () => {
    let call = 0;
    kinesisMock.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
      call++;
      if (call === 2) throw Object.assign(new Error('Stream signals not found'), { name: 'ResourceNotFoundException' });
      return allOk(input);
    });
    const res = await producer().send(Array.from({ length: 700 }, () => signal()));
    expect(res.sent).toBe(500);
    expect(res.failed).toHaveLength(200);
    expect(res.failed[0]).toMatchObject({ index: 500, error: 'ResourceNotFoundException: Stream signals not found' });
    expect(res.outcomes[499].status).toBe('sent');
    expect(res.outcomes[500].status).toBe('failed');
  });
});

describe('Producer.sendRaw', () => {
  it('writes the bytes and partition keys as given, without parsing them', async () => {
    const puts: string[] = [];
    const data = Uint8Array.from([0x7b, 0xff, 0xfe]); // not UTF-8, not JSON
    const res = await producer({ onPut: (id) => puts.push(id) }).sendRaw([{ partitionKey: 'pk-1', data, messageId: 'raw-1' }]);
    const input = kinesisMock.commandCalls(PutRecordsCommand)[0].args[0].input as PutRecordsCommandInput;
    expect(input.Records).toEqual([{ PartitionKey: 'pk-1', Data: data }]);
    expect(res.sent).toBe(1);
    expect(puts).toEqual(['raw-1']);
  });
});

describe('Producer buffered mode', () => {
  it('writes as soon as maxBatchRecords signals wait, and the rest on flush()', async () => {
    const p = producer({ maxBatchRecords: 2, lingerMs: 60_000 });
    const [a, b, c] = [signal(), signal(), signal()];
    const first = [p.put(a), p.put(b)];
    const outcomes = await Promise.all(first);
    expect(outcomes.map((o) => o.status)).toEqual(['sent', 'sent']);
    expect(calls()).toHaveLength(1);

    const third = p.put(c);
    expect(p.pending).toBe(1);
    const flushed = await p.flush();
    expect(flushed.sent).toBe(1);
    expect(await third).toMatchObject({ status: 'sent', messageId: c.messageId });
    expect(calls().map((call) => call.map((r) => r.json.messageId))).toEqual([[a.messageId, b.messageId], [c.messageId]]);
    expect(p.pending).toBe(0);
  });

  it('writes a lone signal once lingerMs has passed, without a flush', async () => {
    const p = producer({ lingerMs: 1 });
    const s = signal();
    await expect(p.put(s)).resolves.toMatchObject({ status: 'sent', messageId: s.messageId });
    expect(calls()).toHaveLength(1);
  });

  it('answers an invalid signal at once and never buffers it', async () => {
    const p = producer({ lingerMs: 60_000 });
    const outcome = await p.put(signal({ type: 'click' }));
    expect(outcome).toMatchObject({ status: 'invalid', reason: expect.stringContaining('Signal.type: must be one of') });
    expect(p.pending).toBe(0);
    await p.flush();
    expect(calls()).toHaveLength(0);
  });

  it('starts a write only after the previous one has finished, so writes keep their order', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let call = 0;
    kinesisMock.on(PutRecordsCommand).callsFake(async (input: PutRecordsCommandInput) => {
      const n = ++call;
      log.push(`start ${n}`);
      if (n === 1) await gate;
      log.push(`end ${n}`);
      return allOk(input);
    });
    const p = producer({ lingerMs: 60_000 });
    const pending = p.put(signal());
    const firstFlush = p.flush();
    const second = p.send([signal()]);
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([pending, firstFlush, second]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });
});

describe('Producer options and partition keys', () => {
  it('rejects out-of-range options naming the option', () => {
    expect(() => producer({ maxBatchRecords: 501 })).toThrow('Producer.maxBatchRecords: must be an integer from 1 to 500, got 501');
    expect(() => producer({ lingerMs: -1 })).toThrow('Producer.lingerMs');
    expect(() => producer({ streamName: '' })).toThrow('Producer.streamName: is required');
  });

  it('keys by userId, else anonymousId, capped at the 256 characters Kinesis accepts', () => {
    expect(partitionKeyOf({ userId: 'u', anonymousId: 'a' })).toBe('u');
    expect(partitionKeyOf({ userId: '', anonymousId: 'a' })).toBe('a');
    expect(partitionKeyOf({})).toBe('unidentified');
    expect(partitionKeyOf({ userId: 'u'.repeat(300) })).toHaveLength(256);
  });
});
