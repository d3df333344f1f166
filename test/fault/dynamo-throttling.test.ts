/**
 * Issue 6, fault injection 1: DynamoDB throttling and partial batches against dynalite.
 *
 * Every handler's DynamoDB client (enrich, score, notify) carries seeded fault middleware
 * (test/fixtures/faults/dynamo-faults.ts): a share of attempts are throttled
 * (ProvisionedThroughputExceededException, retried by the SDK, some still failing after its
 * attempts) and a share of BatchWriteItem / BatchGetItem calls come back with part of the request
 * as UnprocessedItems / UnprocessedKeys. The run must end exactly where a fault-free run of the
 * same signals ends: every signal enriched, quarantined or dropped by a named policy (counts add
 * up), the same moments and states in the table, one decision per moment and channel, nothing
 * delivered twice.
 */
import { injectDynamoFaults, type DynamoFaultStats } from '../fixtures/faults/dynamo-faults';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNoNotificationLost, expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome } from '../fixtures/faults/outcome';
import { DROP_POLICIES } from '../../shared/observability/metric-names';

const config = faultConfig();
const signals = simulatedSignals(400, 61, SIGNALS_START, config);
// Enough bounded retries that throttling alone never exhausts them (the default is 3).
const eventSources = { enrich: { retryAttempts: 8 }, score: { retryAttempts: 8 } };

let clean: Outcome;
let cleanDropped: Record<string, number>;

beforeAll(async () => {
  const run = await runFaultPipeline(signals, { config, eventSources, now: fixedClock() });
  try {
    clean = await readOutcome(run, signals);
    cleanDropped = { ...run.stats.enrich.dropped };
    // Without faults the enrich metrics account for every signal once.
    const c = run.stats.enrich;
    expect(c.in).toBe(signals.length);
    expect(c.enriched + c.quarantined + DROP_POLICIES.reduce((s, p) => s + c.dropped[p], 0)).toBe(signals.length);
    expect(c.enriched).toBe(clean.enriched.size);
    expect(c.quarantined).toBe(clean.quarantined.length);
  } finally {
    await run.stop();
  }
});

const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

test('the fault-free run of the input has moments, decisions, quarantined and dropped signals', () => {
  expect(clean.moments.length).toBeGreaterThan(0);
  expect(clean.decisions.length).toBeGreaterThan(0);
  expect(clean.quarantined.length).toBeGreaterThan(0);
  expect(clean.notPassedOn).toBe(total(cleanDropped));
  expect(cleanDropped.sensitive).toBeGreaterThan(0);
  expectNothingDuplicated(clean);
});

test('throttling and UnprocessedItems/UnprocessedKeys on every handler: nothing lost, nothing duplicated, same end state', async () => {
  const faults: Partial<Record<'enrich' | 'score', DynamoFaultStats>> & { notify: DynamoFaultStats[] } = { notify: [] };
  const run = await runFaultPipeline(signals, {
    config,
    eventSources,
    now: fixedClock(),
    clients: {
      // Enrich's writes get partial batches (retried within the call) but no throttling the SDK
      // gives up on: a batch that fails after its profile writes is enriched differently when it
      // comes again (a known bug, reported with its own test), which is not what this test is about.
      enrich: ({ dynamo }) =>
        (faults.enrich = injectDynamoFaults(dynamo, { seed: 1, throttleShare: 0.3, unprocessedShare: 0.5, throttled: ['BatchGetItemCommand'], firstInPart: true })),
      score: ({ dynamo }) => (faults.score = injectDynamoFaults(dynamo, { seed: 2, throttleShare: 0.3, unprocessedShare: 0.5, firstInPart: true })),
      // notify makes ~8 single-item calls a decision; a lower share keeps it within the bus's 3 attempts.
      notify: ({ dynamo }) => faults.notify.push(injectDynamoFaults(dynamo, { seed: 3, throttleShare: 0.08, unprocessedShare: 0 })),
    },
  });
  try {
    const o = await readOutcome(run, signals);
    const { enrich, score, notify } = faults as Required<typeof faults>;
    // The faults happened, at every level: SDK-retried throttles, throttles the SDK gave up on
    // (the handlers then failed the batch or its customers, and the poller redelivered), partial batches.
    const notifyThrottled = notify.reduce((sum, n) => sum + total(n.throttled), 0);
    expect(total(enrich.throttled)).toBeGreaterThan(0);
    expect(total(score.throttled)).toBeGreaterThan(0);
    expect(notifyThrottled).toBeGreaterThan(0);
    expect(enrich.partialCalls.BatchGetItemCommand).toBeGreaterThan(0);
    expect(enrich.partialCalls.BatchWriteItemCommand).toBeGreaterThan(0);
    expect(score.partialCalls.BatchGetItemCommand).toBeGreaterThan(0);
    expect(score.partialCalls.BatchWriteItemCommand).toBeGreaterThan(0);
    expect(run.mappings.enrich.stats.functionErrors + run.mappings.score.stats.partialFailures + run.mappings.score.stats.functionErrors).toBeGreaterThan(0);
    expect(run.mappings.enrich.stats.recordsRedelivered + run.mappings.score.stats.recordsRedelivered).toBeGreaterThan(0);

    // Every signal ends enriched, quarantined or dropped by a named policy; nothing given up on.
    expect(o.onFailure.enrich).toEqual([]);
    expect(o.onFailure.score).toEqual([]);
    expectNoNotificationLost(o);
    expect(o.enriched.size + o.quarantined.length + o.notPassedOn).toBe(signals.length);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});
