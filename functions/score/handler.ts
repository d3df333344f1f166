/**
 * score: enriched stream → per-customer intent state and moments in DynamoDB + `Moment Detected`
 * on the bus. Thin: the model is shared/scoring (pure), persistence is shared/store/state-store.
 *
 * Ordering, for at-least-once delivery (see docs/SCORING.md): for each customer, moments are
 * written (conditional puts) before they are published, and published before the customer's state
 * is written. The state write is the commit point: until it happens, a redelivery re-derives the
 * same moments (deterministic ids), finds them written, and publishes them again at worst
 * (notify is idempotent per moment and channel). After it, a redelivery is skipped as already
 * applied. A customer whose write or publish fails after retries gets all its records of the
 * batch reported in batchItemFailures and its state is not written.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Runtime } from '../common/runtime';
import { countsBy, createObservability, withObservability } from '../common/observability';
import { batchResponse, decodeRecords, type DecodedRecord } from '../common/kinesis-batch';
import { validateEnrichedSignal, type EnrichedSignal } from '../../shared/contracts';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../../shared/contracts/events';
import { PublishError, type OutgoingEvent } from '../../shared/adapters/events';
import type { QuarantineEntry } from '../../shared/adapters/quarantine';
import { retriedEntries } from '../../shared/adapters/request-counter';
import { groupByCustomer, scoreCustomer } from '../../shared/scoring';
import type { ScoreState } from '../../shared/scoring/state';
import { DynamoStateStore, type StateStore } from '../../shared/store/state-store';
import { METRIC } from '../../shared/observability/metric-names';

interface ScoredRecord {
  record: DecodedRecord;
  signal: EnrichedSignal;
}

type Parsed = { ok: true; value: EnrichedSignal } | { ok: false; code: string; reason: string };

function parseEnriched(record: DecodedRecord): Parsed {
  if (record.decodeError) return { ok: false, code: 'encoding', reason: record.decodeError };
  let value: unknown;
  try {
    value = JSON.parse(record.data.toString('utf8'));
  } catch (err) {
    return { ok: false, code: 'invalid-json', reason: `EnrichedSignal: record is not JSON: ${(err as Error).message} (json)` };
  }
  const v = validateEnrichedSignal(value);
  return v.ok ? { ok: true, value: v.value } : { ok: false, code: 'schema', reason: v.error };
}

export interface ScoreHandlerOptions {
  /** Defaults to DynamoDB on the runtime's table. */
  store?: StateStore;
}

export function createScoreHandler(runtime: Runtime, opts: ScoreHandlerOptions = {}) {
  const { config } = runtime;
  const obs = createObservability('score', config.stage);
  const { logger, metrics } = obs;
  const momentsBy = countsBy(metrics, 'intent');
  const store =
    opts.store ??
    new DynamoStateStore(runtime.clients.doc, runtime.resources.table, { retention: config.retention, counter: runtime.counter });
  const retried = () => retriedEntries(runtime.counter);

  const handle = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const startedMs = Date.now();
    const retriedBefore = retried();
    const records = decodeRecords(event);
    metrics.addMetric(METRIC.enrichedIn, MetricUnit.Count, records.length);
    const failedSeqs = new Set<string>();
    const moments: MomentDetectedDetail[] = [];
    let skipped = 0;

    // 1. Parse and validate; a bad record is quarantined with its reason, never fails the batch.
    const valid: ScoredRecord[] = [];
    const quarantine: QuarantineEntry[] = [];
    const nowIso = runtime.now().toISOString();
    for (const record of records) {
      const parsed = parseEnriched(record);
      if (parsed.ok) {
        valid.push({ record, signal: parsed.value });
        continue;
      }
      // The reason goes to the quarantine; the log carries the code only (a JSON error quotes the data).
      logger.warn('enriched record quarantined', { sequenceNumber: record.sequenceNumber, code: parsed.code });
      quarantine.push({
        reason: parsed.reason,
        code: parsed.code,
        stage: 'score',
        source: {
          stream: record.streamArn,
          shardId: record.shardId,
          sequenceNumber: record.sequenceNumber,
          partitionKey: record.partitionKey,
          arrivedAt: new Date(record.arrivedAtMs).toISOString(),
        },
        payloadBase64: record.data.toString('base64'),
        quarantinedAt: nowIso,
      });
    }
    if (quarantine.length > 0) {
      try {
        await runtime.quarantine.send(quarantine);
      } catch (err) {
        logger.error('quarantine failed; records reported for retry', { count: quarantine.length, error: (err as Error).message });
        for (const q of quarantine) failedSeqs.add(q.source.sequenceNumber);
      }
    }

    // 2. Group by customer and read every state of the batch at once.
    const byCustomer = groupByCustomer(valid, (r) => r.signal.customerKey);
    const failCustomer = (customerKey: string) => {
      for (const r of byCustomer.get(customerKey) ?? []) failedSeqs.add(r.record.sequenceNumber);
    };
    let states: Map<string, ScoreState>;
    try {
      states = await store.getStates([...byCustomer.keys()]);
    } catch (err) {
      logger.error('state read failed; batch reported for retry', { error: (err as Error).message });
      for (const key of byCustomer.keys()) failCustomer(key);
      return finish();
    }

    // 3. Score each customer's records in stream order.
    const newStates: ScoreState[] = [];
    for (const [customerKey, list] of byCustomer) {
      const result = scoreCustomer(states.get(customerKey), list.map((r) => r.signal), config.scoring);
      skipped += result.skipped.length;
      for (const s of result.skipped) logger.debug('already applied, skipped', { messageId: s.messageId, customerKey, reason: s.reason });
      // All skipped: nothing changed, nothing to write (a redelivered batch costs reads only).
      if (result.skipped.length < list.length) newStates.push(result.state);
      moments.push(...result.moments);
    }
    if (skipped > 0) metrics.addMetric(METRIC.redeliveriesSkipped, MetricUnit.Count, skipped);

    // 4. Moments first (conditional: a redelivery writes nothing twice)...
    const failed = new Set<string>();
    const outcomes = await store.putMoments(moments);
    outcomes.forEach((o, i) => {
      if (o.status !== 'failed') return;
      logger.error('moment write failed', { momentId: moments[i].momentId, customerKey: moments[i].customerKey, error: o.error });
      failed.add(moments[i].customerKey);
    });

    // 5. ...then publish (written or found written: the earlier delivery may have stopped before publishing)...
    const toPublish = moments.filter((m) => !failed.has(m.customerKey));
    if (toPublish.length > 0) {
      const events: OutgoingEvent[] = toPublish.map((m) => ({
        detailType: DETAIL_TYPES.momentDetected,
        detail: m,
        time: new Date(m.detectedAt),
      }));
      try {
        await runtime.publisher.publish(events);
      } catch (err) {
        const notPublished =
          err instanceof PublishError ? err.failures.map((f) => f.entry.detail as MomentDetectedDetail) : toPublish;
        for (const m of notPublished) {
          logger.error('moment not published', { momentId: m.momentId, customerKey: m.customerKey });
          failed.add(m.customerKey);
        }
      }
    }
    const byIntent = new Map<string, number>();
    for (const m of toPublish) {
      if (failed.has(m.customerKey)) continue;
      logger.info('moment detected', { momentId: m.momentId, customerKey: m.customerKey, intent: m.intent, messageId: m.trigger.messageId });
      byIntent.set(m.intent, (byIntent.get(m.intent) ?? 0) + 1);
    }
    for (const [intent, count] of byIntent) momentsBy(METRIC.momentsDetected, intent, count);

    // 6. ...and the state last: it is the commit point.
    const stateWrites = newStates.filter((s) => !failed.has(s.customerKey));
    const { failed: stateFailed } = await store.putStates(stateWrites);
    for (const key of stateFailed) {
      logger.error('state write failed', { customerKey: key });
      failed.add(key);
    }
    for (const key of failed) failCustomer(key);
    return finish();

    function finish(): KinesisStreamBatchResponse {
      const retriedNow = retried() - retriedBefore;
      if (retriedNow > 0) metrics.addMetric(METRIC.entriesRetried, MetricUnit.Count, retriedNow);
      metrics.addMetric(METRIC.batchDurationMs, MetricUnit.Milliseconds, Date.now() - startedMs);
      const response = batchResponse(failedSeqs);
      logger.info('batch scored', {
        records: records.length,
        valid: valid.length,
        quarantined: quarantine.length,
        customers: byCustomer.size,
        moments: moments.length,
        skipped,
        failedRecords: failedSeqs.size,
      });
      return response;
    }
  };

  return withObservability(handle, obs);
}
