/**
 * The PROFILE item: what is known about a customer's preferences, read by enrich (consent,
 * timezone), notify (consent at send time, timezone, delivery id) and privacy (access, erasure).
 */
import { CHANNELS, type Channel } from '../contracts/channel-names';

/**
 * Consent keys read from Segment's `context.consent.categoryPreferences` and stored here: two of
 * our own and one per channel name (shared/contracts/channel-names.ts), so a new channel has its
 * consent key without an edit here.
 */
export const CONSENT_KEYS = {
  personalization: 'personalization',
  locationOffers: 'locationOffers',
  ...(Object.fromEntries(CHANNELS.map((c) => [c, c])) as { readonly [C in Channel]: C }),
} as const;

/** A consent choice as it stands from its arrival on: what was in force after it was applied. */
export interface ConsentEntry {
  /** When the choice was made: the signal's timestamp, or its arrival if stamped too far ahead. */
  at: string;
  /** The stream position it arrived at (absent: recorded before choices were ordered by arrival). */
  seq?: string;
  consent: Record<string, boolean>;
}

export interface Profile {
  customerKey: string;
  /** The consent in force: the latest choice by arrival (only the keys above are kept). */
  consent: Record<string, boolean>;
  /** When the choice in force was made (ISO); a choice arriving later but made earlier can only narrow it. */
  consentUpdatedAt: string;
  /** Stream position of the last consent-carrying signal applied: a redelivery below it is not applied twice. */
  consentSeq?: string;
  /**
   * What was in force after each change, in arrival order (the last one is `consent`): enrich
   * reads from it the consent in force when each signal arrived and at the signal's own time, so
   * a redelivered batch is enriched as it was the first time. Kept for the signal time window
   * (signalTimeWindow.maxPastDays), at most 20 entries.
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
