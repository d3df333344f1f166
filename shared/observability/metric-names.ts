/**
 * Metric names (namespace MicroMoments, dimensions `stage` and `service`, plus the one named
 * here), shared by the handlers, the dashboard and the alarms so they cannot drift apart.
 */

/** The CloudWatch namespace of every metric the functions emit. */
export const METRICS_NAMESPACE = 'MicroMoments';
export const METRIC = {
  /** enrich: every record of a batch counts once in SignalsIn and once in exactly one of the next three. */
  signalsIn: 'SignalsIn',
  signalsEnriched: 'SignalsEnriched',
  signalsQuarantined: 'SignalsQuarantined',
  /** dimension `policy`: duplicate | sensitive | no-consent | erased */
  signalsDropped: 'SignalsDropped',
  /** score */
  enrichedIn: 'EnrichedIn',
  /** score: records already applied (redelivery), skipped. */
  redeliveriesSkipped: 'RedeliveriesSkipped',
  /** dimension `intent` */
  momentsDetected: 'MomentsDetected',
  /** notify: dimension `channel` */
  notificationsSent: 'NotificationsSent',
  /** notify: dimension `reason` (a SuppressionReason) */
  notificationsSuppressed: 'NotificationsSuppressed',
  /** notify: moments of an erased customer, dropped without a decision (nothing written, nothing published). */
  momentsOfErasedDropped: 'MomentsOfErasedDropped',
  /** entries sent again after a partial failure (UnprocessedItems, FailedRecordCount, FailedEntryCount) */
  entriesRetried: 'EntriesRetried',
  batchDurationMs: 'BatchDurationMs',
  /** privacy */
  customersErased: 'CustomersErased',
  accessRequests: 'AccessRequests',
} as const;

export const DROP_POLICIES = ['duplicate', 'sensitive', 'no-consent', 'erased'] as const;
export type DropPolicy = (typeof DROP_POLICIES)[number];
