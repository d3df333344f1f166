/**
 * What an erasure leaves behind: a tombstone `{ customerKey, erasedAt }` (the `TOMBSTONE` item of
 * the customer's partition; no personal data), so that what was already on its way when the
 * customer was erased cannot bring them back. enrich, score and notify read it and drop, with
 * reason `erased`, everything from before the erasure:
 *
 * - a signal stamped at or before the erasure plus `signalTimeWindow.maxFutureMinutes`: the
 *   timestamp is the producer's and a clock may run that far ahead and still be accepted, so a
 *   signal made before the erasure can carry a time up to then (a device's backlog sent later);
 * - or one that **arrived** (Kinesis's arrival time, which no producer sets) at or before the
 *   erasure plus ARRIVAL_MARGIN_MS, however it is stamped: it was in flight;
 * - an enriched signal likewise, or one enriched before the erasure (it was in the enriched stream);
 * - a moment detected, or triggered, at or before the erasure plus the same skew (a retry, a redrive
 *   from the failure queue, a replay of the bus archive): its times come from producer clocks.
 *
 * So what the customer does in the first minutes after an erasure is dropped too: the safe side
 * (they have no consent on record any more anyway).
 */
import type { MicroMomentsConfig } from '../config/types';

export interface Tombstone {
  customerKey: string;
  erasedAt: string;
}

type WindowConfig = Pick<MicroMomentsConfig, 'signalTimeWindow'>;
type RetentionConfig = Pick<MicroMomentsConfig, 'signalTimeWindow' | 'retention'>;

/** Arrival and enrichment times are AWS clocks, which agree with the erasure's to far better than this. */
export const ARRIVAL_MARGIN_MS = 2_000;

/** What a record says of its own time (producer clocks) and what the pipeline saw (AWS clocks). */
export interface RecordTimes {
  /** Timestamps from producers: a signal's, a moment's detection and trigger (ISO or epoch ms). */
  stamped: readonly (string | number | undefined)[];
  /** Arrival in a stream, enrichment (epoch ms or ISO). */
  arrived: readonly (string | number | undefined)[];
}

const msOf = (time: string | number): number => (typeof time === 'number' ? time : Date.parse(time));

/** True when the record is from before the customer's erasure (see above); false without a tombstone. */
export function isBeforeErasure(t: Tombstone | undefined, times: RecordTimes, config: WindowConfig): boolean {
  if (!t) return false;
  const erasedMs = Date.parse(t.erasedAt);
  // An unreadable time cannot prove it is after the erasure.
  const notAfter = (limit: number) => (time: string | number | undefined) => time !== undefined && !(msOf(time) > limit);
  return (
    times.stamped.some(notAfter(erasedMs + config.signalTimeWindow.maxFutureMinutes * 60_000)) ||
    times.arrived.some(notAfter(erasedMs + ARRIVAL_MARGIN_MS))
  );
}

/**
 * How long a tombstone is kept, in days; undefined: for ever. It must outlive every way
 * something from before the erasure can still reach a stage:
 * - a signal: enrich accepts a timestamp up to `signalTimeWindow.maxPastDays` old (older ones are
 *   quarantined), and a record waits in a stream up to `retention.streamHours`;
 * - a moment: a failure queue keeps it `retention.queueDays` for a redrive, the bus archive
 *   `retention.archiveDays` for a replay (0: for ever, and so is the tombstone);
 * plus one day for clocks and for DynamoDB's TTL, which deletes within days after expiry anyway.
 */
export function tombstoneRetentionDays(config: RetentionConfig): number | undefined {
  const r = config.retention;
  if (r.archiveDays === 0) return undefined;
  return Math.ceil(Math.max(r.streamHours / 24 + config.signalTimeWindow.maxPastDays, r.queueDays, r.archiveDays)) + 1;
}

/** The tombstone an item holds (the `TOMBSTONE` item of a partition), if it is one. */
export const tombstoneOf = (item: Record<string, unknown> | undefined): Tombstone | undefined =>
  item && typeof item.customerKey === 'string' && typeof item.erasedAt === 'string'
    ? { customerKey: item.customerKey, erasedAt: item.erasedAt }
    : undefined;
