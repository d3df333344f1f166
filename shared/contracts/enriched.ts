/**
 * The record that `enrich` writes to the `enriched` stream (partition key: customerKey). It is a
 * product of its own: analytics consumers read clean, pseudonymised, consented data from it. It
 * carries no direct identifier (no userId, email, phone, name, IP, precise coordinates).
 */
import type { SignalType } from './signal';

export const INTENTS = ['know', 'go', 'do', 'buy'] as const;
export type Intent = (typeof INTENTS)[number];
export type MomentIntent = Intent | 'life-event';
export const MOMENT_INTENTS: readonly MomentIntent[] = [...INTENTS, 'life-event'];

export { CHANNELS, type Channel } from './channel-names';
import type { Channel } from './channel-names';

export const DAYPARTS = ['night', 'morning', 'midday', 'afternoon', 'evening'] as const;
export type Daypart = (typeof DAYPARTS)[number];

export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop', 'tv', 'unknown'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export interface NearestLocation {
  id: string;
  name: string;
  distanceMeters: number;
  open: boolean;
}

export interface EnrichedContext {
  timezone: string;
  /** Local wall-clock time of the signal, `YYYY-MM-DDTHH:mm`, in `timezone`. */
  localTime: string;
  localHour: number;
  /** 0 = Sunday .. 6 = Saturday, local. */
  weekday: number;
  weekend: boolean;
  daypart: Daypart;
  deviceClass: DeviceClass;
  locale?: string;
  /** Geohash of about a kilometre (precision 6); never the precise coordinates. */
  area?: string;
  nearestLocation?: NearestLocation;
}

export interface EnrichedConsent {
  personalization: true;
  channels: Channel[];
  locationOffers: boolean;
}

/** What scoring may read of a signal: an allowlist, never the free-form payload. */
export interface EnrichedFeatures {
  query?: string;
  contentCategories?: string[];
  lifeEventType?: string;
  productId?: string;
  category?: string;
  price?: number;
  currency?: string;
  cartValue?: number;
  contentType?: string;
  title?: string;
}

export interface EnrichedSignal {
  version: 1;
  messageId: string;
  customerKey: string;
  identity: 'user' | 'anonymous';
  type: SignalType;
  /** Track event name, or `Page Viewed` / `Screen Viewed` / `Identify`. */
  event: string;
  timestamp: string;
  /** When enrich handled it (ISO); put-to-moment latency is measured from the stream's own arrival time. */
  enrichedAt: string;
  features: EnrichedFeatures;
  context: EnrichedContext;
  consent: EnrichedConsent;
  consumerInitiated: boolean;
  configVersion: string;
}
