/**
 * Issue 6, fault injection 4: a handler process that dies after its writes and before its
 * checkpoint. The poller's fault hook (PollerFaults.crashBeforeCheckpoint, local/poller) drops
 * everything it holds at the moment the checkpoint would move past a batch whose function call
 * succeeded, and reads again from the last checkpoint: the batch is delivered again.
 *
 * What the design promises (DESIGN.md "Failure handling", docs/SCORING.md, docs/SUBSCRIBERS.md):
 * a redelivered batch changes nothing and sends nothing twice. Moments are written once (M#
 * conditional puts); `Moment Detected` may be published again with the same momentId
 * (subscribers dedupe on it); one decision per moment and channel (N#, and the NOTIFY item's decisions), never delivered
 * twice; a Notification event published again carries the same notificationId.
 */
import type { PollerFaults } from '../../local/poller';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNoNotificationLost, expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome, faultFreeOutcome } from '../fixtures/faults/outcome';

const config = faultConfig();
const signals = simulatedSignals(400, 64, SIGNALS_START, config);
let clean: Outcome;

/** Every batch dies once, after the function succeeded on it, before its checkpoint. */
function crashEachBatchOnce(): PollerFaults & { crashed: number } {
  const seen = new Set<string>();
  const faults = {
    crashed: 0,
    crashBeforeCheckpoint: ({ records }: { records: { sequenceNumber: string }[] }) => {
      const first = records[0].sequenceNumber;
      if (seen.has(first)) return false;
      seen.add(first);
      faults.crashed++;
      return true;
    },
  };
  return faults;
}

beforeAll(async () => {
  clean = await faultFreeOutcome(signals, { config, now: fixedClock() });
});

test('score dies before its checkpoint after every batch: redelivered, no moment, decision or delivery twice, same end state', async () => {
  const score = crashEachBatchOnce();
  const run = await runFaultPipeline(signals, { config, now: fixedClock(), pollerFaults: { score } });
  try {
    const o = await readOutcome(run, signals);
    expect(score.crashed).toBeGreaterThan(1);
    expect(run.mappings.score.stats.crashes).toBe(score.crashed);
    expect(run.mappings.score.stats.recordsRedelivered).toBeGreaterThanOrEqual(clean.enriched.size);
    expect(o.moments.length).toBeGreaterThan(0);
    expect(o.moments).toHaveLength(clean.moments.length);
    expect(o.onFailure.score).toEqual([]);
    expectNoNotificationLost(o);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});

test('enrich and score both die before their checkpoints: every signal still ends once, nothing duplicated downstream', async () => {
  const enrich = crashEachBatchOnce();
  const score = crashEachBatchOnce();
  const run = await runFaultPipeline(signals, { config, now: fixedClock(), pollerFaults: { enrich, score } });
  try {
    const o = await readOutcome(run, signals);
    expect(enrich.crashed).toBeGreaterThan(1);
    expect(run.mappings.enrich.stats.recordsRedelivered).toBeGreaterThanOrEqual(signals.length);
    // At least once: enrich put every enriched record again; score skipped the copies.
    expect([...o.enriched.values()].every((n) => n === 2)).toBe(true);
    expect(o.onFailure.enrich).toEqual([]);
    expect(o.onFailure.score).toEqual([]);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});
