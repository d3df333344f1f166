/**
 * The event names the pipeline knows. An event name is free text a producer chose: a name outside
 * this vocabulary is stored and published as `custom` (CUSTOM_EVENT), never verbatim, since
 * nothing downstream can act on it and it may carry anything (`Email bob@example.com Clicked`).
 *
 * The vocabulary: the configuration's `scoring.eventWeights` and `scoring.closers` keys and the
 * events named by `templates[].when.event`; the call types' fixed names; the events enrich itself
 * reads (consumer-initiated, passive, life events); and the Segment Spec semantic events
 * (E-commerce v2, Video, Mobile lifecycle), so analytics consumers of the enriched stream keep them.
 */
import type { MicroMomentsConfig } from '../config/types';
import { CONSUMER_INITIATED_EVENTS, PASSIVE_EVENTS } from './consumer-initiated';

export const CUSTOM_EVENT = 'custom';

/** The names enrich gives the call types that have no event name of their own. */
export const CALL_EVENT_NAMES = ['Page Viewed', 'Screen Viewed', 'Identify'] as const;

/** Segment Spec semantic events (segment.com/docs/connections/spec): e-commerce v2, video, mobile. */
export const SEGMENT_SPEC_EVENTS: readonly string[] = [
  // E-commerce v2
  'Products Searched', 'Product List Viewed', 'Product List Filtered', 'Promotion Viewed', 'Promotion Clicked',
  'Product Clicked', 'Product Viewed', 'Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started',
  'Checkout Step Viewed', 'Checkout Step Completed', 'Payment Info Entered', 'Order Updated', 'Order Completed',
  'Order Refunded', 'Order Cancelled', 'Coupon Entered', 'Coupon Applied', 'Coupon Denied', 'Coupon Removed',
  'Product Added to Wishlist', 'Product Removed from Wishlist', 'Wishlist Product Added to Cart', 'Product Shared',
  'Cart Shared', 'Product Reviewed',
  // Video
  'Video Playback Started', 'Video Playback Paused', 'Video Playback Interrupted', 'Video Playback Buffer Started',
  'Video Playback Buffer Completed', 'Video Playback Seek Started', 'Video Playback Seek Completed',
  'Video Playback Resumed', 'Video Playback Completed', 'Video Playback Exited', 'Video Content Started',
  'Video Content Playing', 'Video Content Completed', 'Video Ad Started', 'Video Ad Playing', 'Video Ad Completed',
  'Video Quality Updated',
  // Mobile lifecycle
  'Application Installed', 'Application Opened', 'Application Updated', 'Application Backgrounded',
  'Application Crashed', 'Application Uninstalled', 'Push Notification Received', 'Push Notification Tapped',
  'Push Notification Bounced', 'Deep Link Opened', 'Deep Link Clicked', 'Install Attributed',
];

const LIFE_EVENT = 'Life Event';

const cache = new WeakMap<MicroMomentsConfig, ReadonlySet<string>>();

export function eventVocabulary(config: Pick<MicroMomentsConfig, 'scoring' | 'templates'>): ReadonlySet<string> {
  const hit = cache.get(config as MicroMomentsConfig);
  if (hit) return hit;
  const names = new Set<string>([
    ...Object.keys(config.scoring.eventWeights),
    ...Object.keys(config.scoring.closers),
    // The behaviour features' events and the outcomes evaluation predicts are scoring's too.
    ...Object.values(config.scoring.behaviour.events).flat(),
    ...Object.values(config.scoring.intents).flatMap((i) => i.outcomeEvents ?? []),
    ...config.templates.flatMap((t) => (t.when?.event !== undefined ? [t.when.event] : [])),
    ...CALL_EVENT_NAMES,
    ...CONSUMER_INITIATED_EVENTS,
    ...PASSIVE_EVENTS,
    LIFE_EVENT,
    ...SEGMENT_SPEC_EVENTS,
  ]);
  cache.set(config as MicroMomentsConfig, names);
  return names;
}

/** The event name as stored and published: a known name as it is, anything else `custom`. */
export function publicEventName(name: string, vocabulary: ReadonlySet<string>): string {
  return vocabulary.has(name) ? name : CUSTOM_EVENT;
}
