/**
 * Issue 6, fault injection 3: EventBridge PutEvents with FailedEntryCount > 0.
 *
 * score (Moment Detected) and notify (Notification Sent / Suppressed) publish through the real
 * EventBridgePublisher; PutEvents answers some entries with an ErrorCode
 * (test/fixtures/faults/eventbridge-faults.ts) and only the others reach the local bus.
 * - Entries that fail a few times are retried within the call, and the run ends exactly where a
 *   fault-free run ends.
 * - Entries that keep failing: score reports the customer's records as batch item failures and
 *   does not commit its state, the poller redelivers them, and the redelivery republishes without
 *   writing a moment twice; notify fails the invocation after sending, the bus retries it, and
 *   the retry records and announces the decision without sending again.
 */
import { DETAIL_TYPES } from '../../shared/contracts/events';
import { SeededDice } from '../fixtures/faults/seeded-dice';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNoNotificationLost, expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome, faultFreeOutcome } from '../fixtures/faults/outcome';
import { tally } from '../fixtures/faults/inspect';
import type { PutEventsEntryView } from '../fixtures/faults/eventbridge-faults';

const config = faultConfig();
const signals = simulatedSignals(400, 63, SIGNALS_START, config);
const ATTEMPTS = 6; // EventBridgePublisher's entry-level attempts (DEFAULT_RETRY.maxAttempts)
let clean: Outcome;

/** A stable draw per event: the moment id, else the notification id. */
function drawOf(dice: SeededDice, e: PutEventsEntryView): number {
  return dice.fixed(String(e.detail.momentId ?? '') + String(e.detail.notificationId ?? ''));
}

beforeAll(async () => {
  clean = await faultFreeOutcome(signals, { config, now: fixedClock(), putEvents: () => false });
});

test('entries failing a few times are retried alone within the publish: same end state, each event on the bus once', async () => {
  const dice = new SeededDice(31);
  // Up to 3 failures per event: always within the publisher's 6 attempts.
  const run = await runFaultPipeline(signals, {
    config,
    now: fixedClock(),
    putEvents: (e) => e.occurrence < Math.floor(drawOf(dice, e) * 4),
  });
  try {
    const o = await readOutcome(run, signals);
    const f = run.putEvents;
    expect(f?.failedByType[DETAIL_TYPES.momentDetected]).toBeGreaterThan(0);
    expect((f?.failedByType[DETAIL_TYPES.notificationSent] ?? 0) + (f?.failedByType[DETAIL_TYPES.notificationSuppressed] ?? 0)).toBeGreaterThan(0);
    // Nothing had to be redelivered or retried by the bus.
    expect(run.mappings.score.stats.partialFailures).toBe(0);
    expect(run.bus.stats.failedInvocations).toBe(0);
    // A failed entry never reached the bus, and a retried one reached it once.
    expect([...tally(o.momentEvents.map((e) => String((e.detail as { momentId: string }).momentId))).values()].every((n) => n === 1)).toBe(true);
    expect([...tally(o.notificationEvents.map((e) => String((e.detail as { notificationId: string }).notificationId))).values()].every((n) => n === 1)).toBe(true);
    expect(o.onFailure.score).toEqual([]);
    expectNoNotificationLost(o);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});

test('entries failing every attempt: the record is redelivered (score) or the invocation retried (notify), nothing written, sent or lost twice', async () => {
  const dice = new SeededDice(32);
  const run = await runFaultPipeline(signals, {
    config,
    now: fixedClock(),
    putEvents: (e) => {
      const draw = drawOf(dice, e);
      // ~20% of moments fail one whole publish: score reports the customer's records.
      if (e.detailType === DETAIL_TYPES.momentDetected) return draw < 0.2 && e.occurrence < ATTEMPTS;
      // ~30% of decisions fail one whole publish and the first attempt of the next: notify is
      // retried by the bus after the message went out.
      return draw < 0.3 && e.occurrence < ATTEMPTS + 1;
    },
  });
  try {
    const o = await readOutcome(run, signals);
    const score = run.mappings.score.stats;
    expect(score.partialFailures).toBeGreaterThan(0);
    expect(score.recordsRedelivered).toBeGreaterThan(0);
    expect(run.bus.stats.failedInvocations).toBeGreaterThan(0);
    // Retried, not given up on.
    expect(o.onFailure.score).toEqual([]);
    expectNoNotificationLost(o);
    // Some decisions were delivered before their event failed; the retry did not deliver again.
    expect(o.delivered.length).toBeGreaterThan(0);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});
