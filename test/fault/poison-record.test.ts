/**
 * Issue 6, fault injection 5: a poison record, one the function always fails on (the wrap throws
 * whenever a batch holds it, before the handler runs). Bisect on error halves the batch until the
 * poison is alone, its bounded retries (config.eventSources.*.retryAttempts) run out, and it goes
 * to the on-failure destination with its stream coordinates, which lead back to exactly that
 * record. Every other record is processed, once: the run ends like a fault-free run without it.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { eventPayloads } from '../../local/pipeline';
import type { KinesisHandler, KinesisOnFailureRecord } from '../../local/poller';
import type { Emulators } from '../../local/emulators';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { appliedIds, expectNoNotificationLost, expectNothingDuplicated, readOutcome, type Outcome, faultFreeOutcome } from '../fixtures/faults/outcome';
import { messageDigestOf } from '../../shared/enrich/pseudonymise';

const config = faultConfig();
const signals = simulatedSignals(400, 65, SIGNALS_START, config);
let clean: Outcome;

beforeAll(async () => {
  clean = await faultFreeOutcome(signals, { config, now: fixedClock() });
});

/** A wrap that throws whenever the batch holds the record with this messageId; counts the calls where it was alone. */
function poisonWrap(messageId: string): { wrap: (inner: KinesisHandler) => KinesisHandler; alone: number; handled: Map<string, number> } {
  const state = {
    alone: 0,
    handled: new Map<string, number>(),
    wrap: (inner: KinesisHandler): KinesisHandler => async (event, context) => {
      const ids = eventPayloads(event).map((p) => (p.json as { messageId?: unknown } | undefined)?.messageId);
      if (ids.includes(messageId)) {
        if (ids.length === 1) state.alone++;
        throw new Error('poison record: cannot be handled');
      }
      for (const id of ids) if (typeof id === 'string') state.handled.set(id, (state.handled.get(id) ?? 0) + 1);
      return inner(event, context);
    },
  };
  return state;
}

/** Reads the record at the on-failure coordinates, as a redrive would. */
async function recordAt(emu: Emulators, streamName: string, info: KinesisOnFailureRecord['KinesisBatchInfo']): Promise<unknown> {
  const it = await emu.clients.kinesis.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: info.startSequenceNumber }),
  );
  const res = await emu.clients.kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1 }));
  const r = res.Records?.[0];
  expect(r?.SequenceNumber).toBe(info.startSequenceNumber);
  return JSON.parse(Buffer.from(r?.Data ?? new Uint8Array()).toString('utf8')) as unknown;
}

function expectIsolated(record: KinesisOnFailureRecord | undefined, streamArn: string, retryAttempts: number): KinesisOnFailureRecord['KinesisBatchInfo'] {
  expect(record).toBeDefined();
  const r = record as KinesisOnFailureRecord;
  expect(r.requestContext.condition).toBe('RetryAttemptsExhausted');
  expect(r.requestContext.approximateInvokeCount).toBe(1 + retryAttempts);
  expect(r.responseContext.functionError).toBe('Unhandled');
  expect(r.KinesisBatchInfo.batchSize).toBe(1);
  expect(r.KinesisBatchInfo.startSequenceNumber).toBe(r.KinesisBatchInfo.endSequenceNumber);
  expect(r.KinesisBatchInfo.streamArn).toBe(streamArn);
  return r.KinesisBatchInfo;
}

/** The moments of every customer but one. */
const others = (items: Outcome['moments'], pk: string) => items.filter((m) => m.pk !== pk);

test('a poison signal in enrich: isolated by bisection, tried 1 + retryAttempts times alone, in the on-failure destination; all others enriched once', async () => {
  // A valid signal in the middle of the second batch, of a customer with a moment.
  // The enriched stream carries messageIds as digests (the pipeline keys them with the localPepper).
  const digest = (id: string) => messageDigestOf(config.localPepper, id);
  const poisonId = signals.slice(150).find((s) => s.messageId && clean.enriched.has(digest(s.messageId)))?.messageId as string;
  const poison = poisonWrap(poisonId);
  const run = await runFaultPipeline(signals, { config, now: fixedClock(), wrap: { enrich: poison.wrap } });
  try {
    const o = await readOutcome(run, signals);
    const retryAttempts = config.eventSources.enrich.retryAttempts;
    expect(run.mappings.enrich.stats.bisections).toBeGreaterThan(0);
    expect(poison.alone).toBe(1 + retryAttempts);
    expect(o.onFailure.enrich).toHaveLength(1);
    const info = expectIsolated(o.onFailure.enrich[0], run.emulators.streams.signals.arn, retryAttempts);
    expect(run.emulators.streams.signals.shardIds).toContain(info.shardId);
    expect((await recordAt(run.emulators, run.emulators.streams.signals.name, info)) as { messageId: string }).toMatchObject({ messageId: poisonId });

    // Every other record: handed to the handler once, and enriched, quarantined or dropped as without the poison.
    expect(poison.handled.has(poisonId)).toBe(false);
    expect([...poison.handled.values()].every((n) => n === 1)).toBe(true);
    expect([...o.enriched.keys()].sort()).toEqual([...clean.enriched.keys()].filter((id) => id !== digest(poisonId)).sort());
    expect([...new Set(o.quarantined)].sort()).toEqual([...new Set(clean.quarantined)].sort());
    // Counts add up: enriched + quarantined + dropped by policy (as without faults) + on-failure.
    expect(o.notPassedOn).toBe(clean.notPassedOn + 1);
    expect(o.enriched.size + new Set(o.quarantined).size + clean.notPassedOn + info.batchSize).toBe(signals.length);
    expectNothingDuplicated(o);
    expectNoNotificationLost(o);
  } finally {
    await run.stop();
  }
});

test('a poison record in score: isolated, in the on-failure destination with its coordinates; every other customer ends as without it', async () => {
  const poisonId = [...clean.enriched.keys()][Math.floor(clean.enriched.size / 2)];
  const poison = poisonWrap(poisonId);
  const run = await runFaultPipeline(signals, { config, now: fixedClock(), wrap: { score: poison.wrap } });
  try {
    const o = await readOutcome(run, signals);
    const retryAttempts = config.eventSources.score.retryAttempts;
    expect(run.mappings.score.stats.bisections).toBeGreaterThan(0);
    expect(poison.alone).toBe(1 + retryAttempts);
    expect(o.onFailure.score).toHaveLength(1);
    const info = expectIsolated(o.onFailure.score[0], run.emulators.streams.enriched.arn, retryAttempts);
    const poisoned = (await recordAt(run.emulators, run.emulators.streams.enriched.name, info)) as { messageId: string; customerKey: string };
    expect(poisoned.messageId).toBe(poisonId);

    // Every other record was scored: each customer applied the same signals, less the poison.
    const expected = appliedIds(clean);
    const pk = `C#${poisoned.customerKey}`;
    expected[pk] = expected[pk].filter((id) => id !== poisonId);
    expect(appliedIds(o)).toEqual(expected);
    expect([...poison.handled.values()].every((n) => n === 1)).toBe(true);
    // The other customers' moments are those of the fault-free run.
    expect(others(o.moments, pk)).toEqual(others(clean.moments, pk));
    expect(o.onFailure.enrich).toEqual([]);
    expectNothingDuplicated(o);
    expectNoNotificationLost(o);
  } finally {
    await run.stop();
  }
});
