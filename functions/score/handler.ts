/**
 * The score Lambda: enriched stream → per-customer intent state and moments in DynamoDB +
 * `Moment Detected` on the bus. Thin on purpose: decode, run the domain pipeline
 * (shared/scoring/pipeline.ts, which owns the write → publish → commit order), count, and answer
 * with a partial batch response naming the records whose effect could not be made durable.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Runtime } from '../../shared/adapters/runtime';
import { countsBy, createObservability, withObservability } from '../common/observability';
import { batchResponse, streamRecordsOf } from '../common/kinesis-batch';
import { retriedEntries } from '../../shared/adapters/request-counter';
import { scoreBatch, type ScorePorts } from '../../shared/scoring/pipeline';
import { METRIC } from '../../shared/observability/metric-names';

export function createScoreHandler(runtime: Runtime) {
  const { config } = runtime;
  const obs = createObservability('score', config.stage);
  const { logger, metrics } = obs;
  const momentsBy = countsBy(metrics, 'intent');
  const droppedBy = countsBy(metrics, 'policy');
  const ports: ScorePorts = {
    scoring: config.scoring,
    window: config,
    sensitive: config.sensitive,
    states: runtime.stores.states,
    guards: runtime.stores.guards,
    publisher: runtime.publisher,
    quarantine: runtime.quarantine,
    now: runtime.now,
    logger,
  };

  const handle = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const startedMs = Date.now();
    const retriedBefore = retriedEntries(runtime.counter);
    const records = streamRecordsOf(event);
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
