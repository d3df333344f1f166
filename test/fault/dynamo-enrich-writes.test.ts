/**
 * Enrich's own DynamoDB calls throttled past the SDK's attempts, after part of a batch's profile
 * writes went through: the batch is redelivered and must end exactly as the fault-free run (the
 * consent of each signal does not depend on how far the first delivery got).
 *
 * One difference is legitimate and tolerated by `expectSameOutcome` (see withdrawnLater there): a
 * batch bisected after the failure can process a signal in a half that ends before a revocation
 * which, in the fault-free run, came in the same batch; that signal's moment then keeps the
 * channel, and notify's re-read at send time must suppress it. Which batches the poller reads is
 * timing, so a seed cannot avoid it (CI hit it with seed 2).
 */
import { injectDynamoFaults } from '../fixtures/faults/dynamo-faults';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome, faultFreeOutcome } from '../fixtures/faults/outcome';

const config = faultConfig();
const signals = simulatedSignals(400, 61, SIGNALS_START, config);
const eventSources = { enrich: { retryAttempts: 8 }, score: { retryAttempts: 8 } };
let clean: Outcome;

beforeAll(async () => {
  clean = await faultFreeOutcome(signals, { config, eventSources, now: fixedClock() });
});

test('enrich writes throttled past the SDK retries: the redelivered batches end as the fault-free run', async () => {
  const run = await runFaultPipeline(signals, {
    config,
    eventSources,
    now: fixedClock(),
    clients: { enrich: ({ dynamo }) => void injectDynamoFaults(dynamo, { seed: 2, throttleShare: 0.5, unprocessedShare: 0.5 }) },
  });
  try {
    const o = await readOutcome(run, signals);
    expect(run.mappings.enrich.stats.functionErrors).toBeGreaterThan(0);
    expect(o.onFailure.enrich).toEqual([]);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});
