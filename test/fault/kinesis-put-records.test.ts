/**
 * Issue 6, fault injection 2: Kinesis PutRecords with failed entries (enrich → enriched stream).
 *
 * Enrich's Kinesis client answers a share of the entries of each PutRecords call with ErrorCode
 * ProvisionedThroughputExceededException (test/fixtures/faults/kinesis-faults.ts); those entries
 * never reach kinesalite. Only they are sent again; every enriched signal is on the enriched
 * stream once; no moment or notification is duplicated.
 *
 * A customer's records go to PutRecords one at a time, the next only after the one before was
 * accepted (shared/adapters/kinesis.ts), so retried entries cannot land behind later records of
 * their customer: the run ends as a fault-free run does, moments and scores included. When a
 * record is given up, the later records of its customer are not sent either and are reported
 * failed, so the redelivery puts them after it.
 */
import { resourceNames } from '../../shared/names';
import { injectPutRecordsFailures, type PutRecordsFaultStats } from '../fixtures/faults/kinesis-faults';
import { runFaultPipeline } from '../fixtures/faults/fault-pipeline';
import { faultConfig, fixedClock, SIGNALS_START, simulatedSignals } from '../fixtures/faults/input';
import { expectNoNotificationLost, expectNothingDuplicated, expectSameOutcome, readOutcome, type Outcome, faultFreeOutcome } from '../fixtures/faults/outcome';

const config = faultConfig();
const enrichedStream = resourceNames(config.stage).enrichedStream;
const signals = simulatedSignals(400, 62, SIGNALS_START, config);
let clean: Outcome;

beforeAll(async () => {
  clean = await faultFreeOutcome(signals, { config, now: fixedClock() });
});

test('failed entries are the only ones sent again; every enriched signal reaches the stream once; the same outcome as a fault-free run', async () => {
  let faults: PutRecordsFaultStats | undefined;
  const run = await runFaultPipeline(signals, {
    config,
    now: fixedClock(),
    clients: {
      enrich: ({ kinesis }) => {
        // A seed under which every entry gets through within the adapter's attempts (the dice are keyed by the record's messageId digest).
        faults = injectPutRecordsFailures(kinesis, { seed: 6, streamName: enrichedStream, entryFailureShare: 0.3 });
      },
    },
  });
  try {
    expect(clean.enriched.size).toBeGreaterThan(100);
    const f = faults as PutRecordsFaultStats;
    expect(f.entriesFailed).toBeGreaterThan(clean.enriched.size * 0.2);
    const o = await readOutcome(run, signals);
    // Each record was accepted once, so each offer beyond the first answers one failed entry:
    // an entry that had succeeded was never sent again.
    const offers = [...f.offered.values()].reduce((a, b) => a + b, 0);
    expect(f.entriesSent).toBe(clean.enriched.size);
    expect(offers).toBe(clean.enriched.size + f.entriesFailed);
    // The retries were enough: no record reported, no batch redelivered.
    expect(run.mappings.enrich.stats.partialFailures).toBe(0);
    expect(run.mappings.enrich.stats.recordsRedelivered).toBe(0);
    expect([...o.enriched.values()].every((n) => n === 1)).toBe(true);
    expect(o.onFailure.enrich).toEqual([]);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
    expectNoNotificationLost(o);
  } finally {
    await run.stop();
  }
});

test('entries still failing after the retries: reported, redelivered from there, the same outcome as a fault-free run, nothing duplicated', async () => {
  let faults: PutRecordsFaultStats | undefined;
  const run = await runFaultPipeline(signals, {
    config,
    now: fixedClock(),
    clients: {
      enrich: ({ kinesis }) => {
        faults = injectPutRecordsFailures(kinesis, {
          seed: 20,
          streamName: enrichedStream,
          entryFailureShare: 0.1,
          // About 3% of the records fail all 6 attempts of their first delivery.
          stubborn: (draw, occurrence) => draw < 0.03 && occurrence < 6,
        });
      },
    },
  });
  try {
    const o = await readOutcome(run, signals);
    const f = faults as PutRecordsFaultStats;
    expect([...f.offered.values()].some((n) => n >= 7)).toBe(true);
    // Enrich reported the records it could not put; the poller redelivered from the lowest.
    expect(run.mappings.enrich.stats.partialFailures).toBeGreaterThan(0);
    expect(run.mappings.enrich.stats.recordsRedelivered).toBeGreaterThan(0);
    // At least once: records after a reported one are put again; score skips them as applied.
    expect([...o.enriched.values()].some((n) => n > 1)).toBe(true);
    expect(o.onFailure.enrich).toEqual([]);
    expectSameOutcome(o, clean);
    expectNothingDuplicated(o);
    expectNoNotificationLost(o);
  } finally {
    await run.stop();
  }
});
