/**
 * The input contract: Segment Spec messages (track, identify, page, screen), so producers that
 * already speak Segment or RudderStack need no new format. The JSON Schema in
 * schemas/signal.schema.json is the published form of these types; test/contracts keeps them
 * in step.
 */

export const SIGNAL_TYPES = ['track', 'identify', 'page', 'screen'] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

/** Limits stated in the contract (and enforced by the schema and the validator). */
export const SIGNAL_LIMITS = {
  /** Whole record, bytes of UTF-8 JSON: Segment's own per-message limit. */
  maxRecordBytes: 32 * 1024,
  maxIdLength: 256,
  maxMessageIdLength: 128,
  maxEventLength: 128,
  maxStringLength: 2048,
  maxQueryLength: 512,
  maxProperties: 100,
  maxDepth: 6,
} as const;

/** Keys of `context.consent.categoryPreferences` that micro-moments reads. */
export const CONSENT_CATEGORIES = {
  personalization: 'personalization',
  locationOffers: 'locationOffers',
} as const;

export interface SignalDevice {
  type?: string; // 'ios' | 'android' | 'mobile' | 'tablet' | 'desktop' | 'tv' ...
  model?: string;
  manufacturer?: string;
  id?: string;
  [key: string]: unknown;
}

export interface SignalLocation {
  latitude?: number;
  longitude?: number;
  city?: string;
  country?: string;
  [key: string]: unknown;
}

export interface SignalConsent {
  categoryPreferences?: Record<string, boolean>;
}

export interface SignalContext {
  timezone?: string;
  locale?: string;
  device?: SignalDevice;
  location?: SignalLocation;
  consent?: SignalConsent;
  ip?: string;
  userAgent?: string;
  app?: Record<string, unknown>;
  os?: Record<string, unknown>;
  page?: Record<string, unknown>;
  /** Set by producers when the signal came from the app in the background (e.g. a geofence). */
  background?: boolean;
  [key: string]: unknown;
}

interface SignalBase {
  type: SignalType;
  messageId: string;
  /** ISO 8601 date-time with offset, when the action happened. */
  timestamp: string;
  userId?: string;
  anonymousId?: string;
  context?: SignalContext;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  sentAt?: string;
  receivedAt?: string;
  originalTimestamp?: string;
  integrations?: Record<string, unknown>;
  version?: number | string;
  [key: string]: unknown;
}

export interface TrackSignal extends SignalBase {
  type: 'track';
  event: string;
}
export interface IdentifySignal extends SignalBase {
  type: 'identify';
}
export interface PageSignal extends SignalBase {
  type: 'page' | 'screen';
  name?: string;
  category?: string;
}

export type Signal = TrackSignal | IdentifySignal | PageSignal;
