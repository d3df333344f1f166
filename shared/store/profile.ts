/**
 * The PROFILE item: what is known about a customer's preferences, read by enrich (consent,
 * timezone), notify (consent at send time, timezone, delivery id) and privacy (access, erasure).
 */

/** Consent keys read from Segment's `context.consent.categoryPreferences` and stored here. */
export const CONSENT_KEYS = {
  personalization: 'personalization',
  locationOffers: 'locationOffers',
  push: 'push',
  email: 'email',
  sms: 'sms',
  webhook: 'webhook',
} as const;

export interface ConsentEntry {
  at: string;
  consent: Record<string, boolean>;
}

export interface Profile {
  customerKey: string;
  /** Last known categoryPreferences (only the keys above are kept). */
  consent: Record<string, boolean>;
  /** Timestamp (ISO) of the signal that set the consent: the most recent wins. */
  consentUpdatedAt: string;
  /**
   * The consent choices seen, oldest first, each at the time of the signal that carried it (the
   * last one is `consent`): enrich reads the choice in force at each signal's own time from it,
   * so a redelivered batch is enriched as it was the first time. Kept for the signal time window
   * (signalTimeWindow.maxPastDays) plus the choice in force at its start, at most 20 entries.
   */
  consentHistory?: ConsentEntry[];
  timezone?: string;
  /** Geohash of about 5 km (precision 5): where the customer usually is, never an address. */
  homeArea?: string;
  /**
   * The brand's own id for the customer, needed to deliver a notification. Stored encrypted at
   * rest with the CMK; never logged, never put on the bus or in metrics.
   */
  externalId?: string;
  updatedAt: string;
}
