/**
 * The score Lambda: enriched stream → per-customer intent state and moments in DynamoDB +
 * `Moment Detected` on the bus. Thin on purpose: decode, run the domain pipeline
 * (shared/scoring/pipeline.ts, which owns the write → publish → commit order), count, and answer
 * with a partial batch response naming the records whose effect could not be made durable.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Runtime } from '../common/runtime';
import { countsBy, createObservability, withObservability } from '../common/observability';
import { batchResponse, decodeRecords, toStreamRecord } from '../common/kinesis-batch';
import { retriedEntries } from '../../shared/adapters/request-counter';
import { scoreBatch, type ScorePorts } from '../../shared/scoring/pipeline';
import { DynamoStateStore, type StateStore } from '../../shared/store/state-store';
import { DynamoProfileStore } from '../../shared/store/profile-store';
import { ProfileGuardReader, type GuardReader } from '../../shared/privacy/customer-guard';
import { METRIC } from '../../shared/observability/metric-names';

export interface ScoreHandlerOptions {
  /** Defaults to DynamoDB on the runtime's table. */
  store?: StateStore;
  /** Defaults to the profiles and tombstones in the runtime's table. */
  guards?: GuardReader;
}

export function createScoreHandler(runtime: Runtime, opts: ScoreHandlerOptions = {}) {
  const { config } = runtime;
  const obs = createObservability('score', config.stage);
  const { logger, metrics } = obs;
  const momentsBy = countsBy(metrics, 'intent');
  const droppedBy = countsBy(metrics, 'policy');
  const states =
    opts.store ??
    new DynamoStateStore(runtime.clients.doc, runtime.resources.table, { retention: config.retention, counter: runtime.counter });
  // Profiles and tombstones where enrich keeps them: one consistent BatchGetItem beside the states'.
  const guards = opts.guards ?? new ProfileGuardReader(new DynamoProfileStore(runtime.clients.doc, runtime.resources.table, { counter: runtime.counter }));
  const ports: ScorePorts = {
    scoring: config.scoring,
    window: config,
    sensitive: config.sensitive,
    states,
    guards,
    publisher: runtime.publisher,
    quarantine: runtime.quarantine,
    now: runtime.now,
    logger,
  };

  const handle = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const startedMs = Date.now();
    const retriedBefore = retriedEntries(runtime.counter);
    const records = decodeRecords(event).map(toStreamRecord);
    metrics.addMetric(METRIC.enrichedIn, MetricUnit.Count, records.length);

    const result = await scoreBatch(records, ports);

    const c = result.counts;
    if (c.skipped > 0) metrics.addMetric(METRIC.redeliveriesSkipped, MetricUnit.Count, c.skipped);
    if (c.sensitive > 0) droppedBy(METRIC.signalsDropped, 'sensitive', c.sensitive);
    for (const [policy, count] of Object.entries(c.dropped)) if (count > 0) droppedBy(METRIC.signalsDropped, policy, count);
    const byIntent = new Map<string, number>();
    for (const m of result.published) byIntent.set(m.intent, (byIntent.get(m.intent) ?? 0) + 1);
    for (const [intent, count] of byIntent) momentsBy(METRIC.momentsDetected, intent, count);
    const retried = retriedEntries(runtime.counter) - retriedBefore;
    if (retried > 0) metrics.addMetric(METRIC.entriesRetried, MetricUnit.Count, retried);
    metrics.addMetric(METRIC.batchDurationMs, MetricUnit.Milliseconds, Date.now() - startedMs);
    logger.info('batch scored', { ...c });
    return batchResponse(result.failed);
  };

  return withObservability(handle, obs);
}
