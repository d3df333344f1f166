/**
 * Fault injection: PutRecords entries of enrich failing (30% per entry and attempt). putRecords
 * (shared/adapters/kinesis.ts) sends a key's next record only once the one before it was
 * accepted, so each customer's enriched signals reach the stream in order and score ends where a
 * fault-free run ends: the same moments, scores and states.
 */
import { resourceNames } from '../../shared/names';
import { injectPutRecordsFailures } from '../fixtures/faults/kinesis-faults';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome } from '../fixtures/faults/outcome';

const config = faultConfig();
const enrichedStream = resourceNames(config.stage).enrichedStream;
const signals = simulatedSignals(400, 62, SIGNALS_START, config);
let clean: Outcome;

beforeAll(async () => {
  const run = await runFaultPipeline(signals, { config, now: fixedClock() });
  try {
    clean = await readOutcome(run, signals);
  } finally {
    await run.stop();
  }
});

test('failed PutRecords entries retried: a customer keeps its order, so the same moments as a fault-free run', async () => {
  const run = await runFaultPipeline(signals, {
    config,
    now: fixedClock(),
    clients: { enrich: ({ kinesis }) => void injectPutRecordsFailures(kinesis, { seed: 5, streamName: enrichedStream, entryFailureShare: 0.3 }) },
  });
  try {
    const o = await readOutcome(run, signals);
    expect(run.mappings.enrich.stats.recordsRedelivered).toBe(0);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
  } finally {
    await run.stop();
  }
});
