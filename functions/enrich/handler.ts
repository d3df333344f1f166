/**
 * The enrich Lambda: signals stream → enriched stream. Thin on purpose: decode, run the domain
 * pipeline (shared/enrich), quarantine the bad records in one call, put the enriched ones,
 * count, and answer with a partial batch response.
 *
 * Bad data never fails the batch. A record is reported as a batch item failure only when its
 * effect could not be made durable (its enriched write or its quarantine still failed after
 * the entry-level retries); a dependency that is down (secret, profiles) throws, and Lambda
 * retries the whole batch (bisecting on error).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchResponse, streamRecordsOf } from '../common/kinesis-batch';
import { countsBy, createObservability, withObservability, type Observability } from '../common/observability';
import type { Runtime } from '../../shared/adapters/runtime';
import { putRecords } from '../../shared/adapters/kinesis';
import { retriedEntries } from '../../shared/adapters/request-counter';
import { sendToQuarantine } from '../../shared/stream/quarantine';
import { DROP_POLICIES, METRIC } from '../../shared/observability/metric-names';
import { droppedTotal, enrichBatch, type EnrichOutcome } from '../../shared/enrich/pipeline';

export interface EnrichHandlerOptions {
  observability?: Observability;
}

export function createEnrichHandler(runtime: Runtime, options: EnrichHandlerOptions = {}) {
  const obs = options.observability ?? createObservability('enrich', runtime.config.stage);
  const { logger, metrics } = obs;
  const quarantinedBy = countsBy(metrics, 'code');
  const droppedBy = countsBy(metrics, 'policy');
  const { profiles } = runtime.stores;

  async function handle(event: KinesisStreamEvent, _context: Context): Promise<KinesisStreamBatchResponse> {
    const started = Date.now();
    const retriedBefore = retriedEntries(runtime.counter);
    const decoded = streamRecordsOf(event);
    if (decoded.length === 0) return { batchItemFailures: [] };

    const pepper = await runtime.secrets.get('pepper');
    const result = await enrichBatch(decoded, { config: runtime.config, pepper, profiles, now: runtime.now() });
    const failed = new Set<string>();

    const quarantined = result.outcomes.filter((o): o is Extract<EnrichOutcome, { kind: 'quarantined' }> => o.kind === 'quarantined');
    for (const q of quarantined) {
      // The reason names a field and a rule, never a value (shared/contracts/parse-record.ts); messageId is the digest.
      logger.warn('record quarantined', {
        ...(q.messageId !== undefined ? { messageId: q.messageId } : {}),
        code: q.code,
        reason: q.entry.reason,
        sequenceNumber: q.sequenceNumber,
      });
    }
    const sent = await sendToQuarantine(
      runtime.quarantine,
      quarantined.map((q) => q.entry),
    );
    if (sent.error) {
      // Only what did not reach the quarantine is reported, when the sink says which.
      for (const q of quarantined) if (sent.lost.has(q.entry)) failed.add(q.sequenceNumber);
      logger.error('quarantine failed', { count: sent.lost.size, error: sent.error.name });
    }

    const enriched = result.outcomes.filter((o): o is Extract<EnrichOutcome, { kind: 'enriched' }> => o.kind === 'enriched');
    let putFailed = 0;
    if (enriched.length > 0) {
      const put = await putRecords(
        runtime.clients.kinesis,
        runtime.resources.enrichedStream,
        enriched.map((o) => ({
          partitionKey: o.signal.customerKey,
          data: Buffer.from(JSON.stringify(o.signal)),
          sequenceNumber: o.sequenceNumber,
        })),
        { counter: runtime.counter, retry: runtime.retry },
      );
      putFailed = put.failed.length;
      for (const f of put.failed) failed.add(f.entry.sequenceNumber);
      if (putFailed > 0) logger.error('enriched records not written after retries', { count: putFailed, error: put.failed[0]?.error });
    }

    // Every adapter's retries of the batch: profiles (DynamoDB), quarantine (SQS), enriched (Kinesis).
    const retried = retriedEntries(runtime.counter) - retriedBefore;
    const c = result.counts;
    metrics.addMetric(METRIC.signalsIn, MetricUnit.Count, c.in);
    metrics.addMetric(METRIC.signalsEnriched, MetricUnit.Count, c.enriched);
    metrics.addMetric(METRIC.signalsQuarantined, MetricUnit.Count, c.quarantined);
    metrics.addMetric(METRIC.entriesRetried, MetricUnit.Count, retried);
    metrics.addMetric(METRIC.batchDurationMs, MetricUnit.Milliseconds, Date.now() - started);
    // By reason code as well, beside the total the quarantine-rate alarm reads.
    const byCode = new Map<string, number>();
    for (const q of quarantined) byCode.set(q.code, (byCode.get(q.code) ?? 0) + 1);
    for (const [code, count] of byCode) quarantinedBy(METRIC.signalsQuarantined, code, count);
    for (const policy of DROP_POLICIES) {
      if (c.dropped[policy] === 0) continue;
      droppedBy(METRIC.signalsDropped, policy, c.dropped[policy]);
    }

    const response = batchResponse(failed);
    logger.info('batch enriched', {
      in: c.in,
      enriched: c.enriched,
      quarantined: c.quarantined,
      dropped: droppedTotal(c),
      droppedByPolicy: c.dropped,
      profilesWritten: result.profileWrites.length,
      putFailed,
      entriesRetried: retried,
      reportedFailure: response.batchItemFailures[0]?.itemIdentifier,
    });
    return response;
  }

  return withObservability(handle, obs);
}
