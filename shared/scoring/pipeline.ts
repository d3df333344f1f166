/**
 * The score stage as a function of a batch of enriched records and its ports (shared/scoring/ports.ts):
 * parse, quarantine the bad records, score each customer's signals in stream order, and make the
 * result durable in the order that at-least-once delivery needs. The Lambda handler, replay, the
 * benchmarks and the evaluation all run this, with DynamoDB/EventBridge/SQS or memory behind the ports.
 *
 * Ordering (see docs/SCORING.md): for each customer, moments are written (conditional puts)
 * before they are published, and published before the customer's state is written. The state
 * write is the commit point: until it happens, a redelivery re-derives the same moments
 * (deterministic ids), finds them written, and publishes them again at worst (notify is idempotent
 * per moment and channel). After it, a redelivery is skipped as already applied. A customer whose
 * write or publish fails gets all its records of the batch reported failed, and its state is not
 * written. Bad data never fails the batch: it is quarantined.
 *
 * Before scoring, the customers' tombstones and profiles are read again: a signal from before its
 * customer's erasure, or of a customer who withdrew personalization after it was enriched, is
 * dropped (no state, no moment): an erasure or a revocation applies to everything not yet processed.
 */
import { enrichedSignalContract, parseRecord, type EnrichedSignal, type RecordFailureCode } from '../contracts';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../contracts/events';
import { PublishError, type OutgoingEvent } from '../events/publisher';
import { quarantineEntry, sendToQuarantine, type QuarantineEntry } from '../stream/quarantine';
import type { StreamRecord } from '../stream/record';
import { classifySensitive, sensitiveInputOfEnriched } from '../privacy/sensitive';
import { groupByCustomer } from './group';
import type { ScorePorts, StageLogger } from './ports';
import { scoreCustomer, type SignalScores } from './score-customer';
import type { ScoreState } from './state';
import { isBeforeErasure } from '../privacy/tombstone';

export type { ScorePorts, StageLogger, StateStore, MomentWriteOutcome } from './ports';

export interface ScoreBatchOptions {
  /** Also return every applied signal's per-intent scores (replay's `--scores`, evaluation). */
  withScores?: boolean;
}

export interface QuarantinedRecord {
  sequenceNumber: string;
  code: RecordFailureCode;
  entry: QuarantineEntry;
}

export interface ScoreBatchCounts {
  records: number;
  /** Records that passed the contract and were scored (the sensitive ones are counted apart). */
  valid: number;
  /** Valid records not scored: their customer was erased since, or withdrew personalization. */
  dropped: { erased: number; 'no-consent': number };
  quarantined: number;
  /** Valid records dropped as sensitive (defence in depth: enrich should have dropped them). */
  sensitive: number;
  customers: number;
  /** Moments derived from this batch (published or not). */
  moments: number;
  /** Signals already applied by an earlier delivery (or beyond the horizon). */
  skipped: number;
  /** Records reported failed (their effect is not durable). */
  failedRecords: number;
}

export interface ScoreBatchResult {
  /** Sequence numbers of the records to report for retry; empty when the whole batch is durable. */
  failed: Set<string>;
  quarantined: QuarantinedRecord[];
  /** Every moment derived from the batch, grouped by customer, each customer's in stream order. */
  moments: MomentDetectedDetail[];
  /** The moments published, of customers whose writes and publish succeeded (the state write may still have failed). */
  published: MomentDetectedDetail[];
  /** With `withScores`: one per applied signal. */
  scores: SignalScores[];
  counts: ScoreBatchCounts;
}

interface Scored {
  record: StreamRecord;
  signal: EnrichedSignal;
}

const SILENT: StageLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function scoreBatch(records: readonly StreamRecord[], ports: ScorePorts, options: ScoreBatchOptions = {}): Promise<ScoreBatchResult> {
  const logger = ports.logger ?? SILENT;
  const failed = new Set<string>();
  const moments: MomentDetectedDetail[] = [];
  const published: MomentDetectedDetail[] = [];
  const scores: SignalScores[] = [];
  let skipped = 0;
  let sensitive = 0;

  // 1. Parse and validate; a bad record is quarantined with its reason, never fails the batch.
  const valid: Scored[] = [];
  const quarantined: QuarantinedRecord[] = [];
  const nowIso = ports.now().toISOString();
  for (const record of records) {
    const parsed = parseRecord(record.data, enrichedSignalContract, { decodeError: record.decodeError });
    if (parsed.ok) {
      // Defence in depth, with enrich's classifier: a record that should have been dropped opens
      // nothing and adds no evidence. The log says which record, never what it was about.
      if (classifySensitive(sensitiveInputOfEnriched(parsed.value), ports.sensitive)) {
        sensitive++;
        logger.warn('sensitive record dropped', { sequenceNumber: record.sequenceNumber });
        continue;
      }
      valid.push({ record, signal: parsed.value });
      continue;
    }
    // The log carries the code only: the reason goes to the quarantine, beside the payload.
    logger.warn('enriched record quarantined', { sequenceNumber: record.sequenceNumber, code: parsed.code });
    quarantined.push({ sequenceNumber: record.sequenceNumber, code: parsed.code, entry: quarantineEntry('score', record, parsed, nowIso) });
  }
  const sent = await sendToQuarantine(
    ports.quarantine,
    quarantined.map((q) => q.entry),
  );
  if (sent.error) {
    logger.error('quarantine failed; records reported for retry', { count: sent.lost.size, error: sent.error.message });
    for (const q of quarantined) if (sent.lost.has(q.entry)) failed.add(q.sequenceNumber);
  }

  // 2. Group by customer and read every state of the batch at once, and whether each customer was
  // erased or withdrew consent since enrich passed their signals on.
  const dropped = { erased: 0, 'no-consent': 0 };
  let byCustomer = groupByCustomer(valid, (r) => r.signal.customerKey);
  const failCustomer = (customerKey: string) => {
    for (const r of byCustomer.get(customerKey) ?? []) failed.add(r.record.sequenceNumber);
  };
  let states: Map<string, ScoreState>;
  try {
    const keys = [...byCustomer.keys()];
    const [read, guards] =
      keys.length > 0
        ? await Promise.all([ports.states.getStates(keys), ports.guards.readGuards(keys)])
        : [new Map<string, ScoreState>(), { tombstones: new Map(), withdrawn: new Set<string>() }];
    states = read;
    const kept = valid.filter(({ record, signal }) => {
      const tombstone = guards.tombstones.get(signal.customerKey);
      if (isBeforeErasure(tombstone, { stamped: [signal.timestamp], arrived: [signal.enrichedAt, record.arrivedAtMs] }, ports.window)) {
        dropped.erased++;
        return false;
      }
      if (guards.withdrawn.has(signal.customerKey)) {
        dropped['no-consent']++;
        return false;
      }
      return true;
    });
    if (kept.length < valid.length) byCustomer = groupByCustomer(kept, (r) => r.signal.customerKey);
  } catch (err) {
    logger.error('state read failed; batch reported for retry', { error: (err as Error).message });
    for (const key of byCustomer.keys()) failCustomer(key);
    return finish();
  }

  // 3. Score each customer's records in stream order.
  const newStates: ScoreState[] = [];
  for (const [customerKey, list] of byCustomer) {
    const result = scoreCustomer(
      states.get(customerKey),
      list.map((r) => r.signal),
      ports.scoring,
      { withScores: options.withScores },
    );
    skipped += result.skipped.length;
    for (const s of result.skipped) logger.debug('already applied, skipped', { messageId: s.messageId, customerKey, reason: s.reason });
    // Nothing changed (a redelivery, or signals that carry no evidence): nothing to write.
    if (result.changed) newStates.push(result.state);
    moments.push(...result.moments);
    if (result.scores) scores.push(...result.scores);
  }

  // 4. Moments first (conditional: a redelivery writes nothing twice)...
  const failedCustomers = new Set<string>();
  const outcomes = moments.length > 0 ? await ports.states.putMoments(moments) : [];
  outcomes.forEach((o, i) => {
    if (o.status !== 'failed') return;
    logger.error('moment write failed', { momentId: moments[i].momentId, customerKey: moments[i].customerKey, error: o.error });
    failedCustomers.add(moments[i].customerKey);
  });

  // 5. ...then publish (written or found written: the earlier delivery may have stopped before publishing)...
  const toPublish = moments.filter((m) => !failedCustomers.has(m.customerKey));
  if (toPublish.length > 0) {
    const events: OutgoingEvent[] = toPublish.map((m) => ({ detailType: DETAIL_TYPES.momentDetected, detail: m, time: new Date(m.detectedAt) }));
    try {
      await ports.publisher.publish(events);
    } catch (err) {
      const notPublished = err instanceof PublishError ? err.failures.map((f) => f.entry.detail as MomentDetectedDetail) : toPublish;
      for (const m of notPublished) {
        logger.error('moment not published', { momentId: m.momentId, customerKey: m.customerKey });
        failedCustomers.add(m.customerKey);
      }
    }
  }
  for (const m of toPublish) {
    if (failedCustomers.has(m.customerKey)) continue;
    logger.info('moment detected', { momentId: m.momentId, customerKey: m.customerKey, intent: m.intent, messageId: m.trigger.messageId });
    published.push(m);
  }

  // 6. ...and the state last: it is the commit point.
  const stateWrites = newStates.filter((s) => !failedCustomers.has(s.customerKey));
  const { failed: stateFailed } = stateWrites.length > 0 ? await ports.states.putStates(stateWrites) : { failed: [] };
  for (const key of stateFailed) {
    logger.error('state write failed', { customerKey: key });
    failedCustomers.add(key);
  }
  for (const key of failedCustomers) failCustomer(key);
  return finish();

  function finish(): ScoreBatchResult {
    return {
      failed,
      quarantined,
      moments,
      published,
      scores,
      counts: {
        records: records.length,
        valid: valid.length,
        dropped,
        quarantined: quarantined.length,
        sensitive,
        customers: byCustomer.size,
        moments: moments.length,
        skipped,
        failedRecords: failed.size,
      },
    };
  }
}
