/**
 * Events that micro-moments publishes on its EventBridge bus. `source` is always `micro-moments`
 * and every detail carries `version`, so subscribers can route on it and evolve safely.
 * Events carry the pseudonymous customerKey only.
 */
import type { Channel, Daypart, DeviceClass, MomentIntent, NearestLocation } from './enriched';

export const EVENT_SOURCE = 'micro-moments';
export const DETAIL_TYPES = {
  momentDetected: 'Moment Detected',
  notificationSent: 'Notification Sent',
  notificationSuppressed: 'Notification Suppressed',
  customerErased: 'Customer Erased',
  accessRequested: 'Access Requested',
  erasureRequested: 'Erasure Requested',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

export type ReasonKind = 'event' | 'lexicon' | 'content' | 'context' | 'behaviour' | 'life-event';

export interface MomentReason {
  kind: ReasonKind;
  /** What contributed: the event name, the lexicon phrase, the content category or context feature. */
  feature: string;
  /** The signal that brought it. */
  messageId: string;
  /** Weight as configured. */
  weight: number;
  /** What is left of it at detection time, after decay. */
  contribution: number;
}

export interface MomentTrigger {
  messageId: string;
  event: string;
  time: string;
}

export interface MomentContext {
  localTime: string;
  daypart: Daypart;
  timezone: string;
  weekend: boolean;
  device: DeviceClass;
  area?: string;
  nearestLocation?: NearestLocation;
}

export interface MomentDetectedDetail {
  version: 1;
  momentId: string;
  customerKey: string;
  intent: MomentIntent;
  score: number;
  threshold: number;
  reasons: MomentReason[];
  trigger: MomentTrigger;
  context: MomentContext;
  consent: { channels: Channel[]; locationOffers: boolean };
  consumerInitiated: boolean;
  /** Life event type, for `life-event` moments. */
  lifeEventType?: string;
  detectedAt: string;
  scoringVersion: string;
}

export const SUPPRESSION_REASONS = [
  'NO_CHANNEL_CONSENT',
  'SENSITIVE_CATEGORY',
  'TRIGGER_TOO_OLD',
  'NOT_CONSUMER_INITIATED',
  'QUIET_HOURS',
  'DAILY_CAP',
  'WEEKLY_CAP',
  'COOLDOWN',
  'MOMENT_TOO_OLD',
  'CHANNEL_REJECTED',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface NotificationDetailBase {
  version: 1;
  notificationId: string;
  momentId: string;
  customerKey: string;
  channel: Channel;
  intent: MomentIntent;
  decidedAt: string;
}
export interface NotificationSentDetail extends NotificationDetailBase {
  outcome: 'sent';
  templateId: string;
}
export interface NotificationSuppressedDetail extends NotificationDetailBase {
  outcome: 'suppressed';
  reason: SuppressionReason;
}

export interface CustomerErasedDetail {
  version: 1;
  customerKey: string;
  requestId: string;
  erasedAt: string;
  itemsDeleted: number;
}

/** Inbound requests on the bus; a request names the customer by key, never by raw id. */
export interface PrivacyRequestDetail {
  version: 1;
  requestId: string;
  customerKey: string;
}

export interface BusEvent<D> {
  source: typeof EVENT_SOURCE;
  'detail-type': DetailType;
  detail: D;
  time?: string;
  id?: string;
  account?: string;
  region?: string;
  resources?: string[];
}
