/**
 * Consumer-initiated or passive? A brand may answer what the customer did (searched, asked,
 * tapped), not what a phone noticed. Initiated: a page or screen in the foreground, and the
 * track events below. Passive: `Location Entered` (a geofence), anything the producer marks
 * `context.background: true`, `identify`, and any event not in the list (unknown is passive,
 * the cautious default).
 */
import type { Signal } from '../contracts';

export const CONSUMER_INITIATED_EVENTS: readonly string[] = [
  'Products Searched',
  'Product Viewed',
  'Product List Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Order Completed',
  'Product Reviewed',
  'Review Read',
  'Store Locator Viewed',
  'Directions Requested',
  'Video Playback Started',
  'Life Event',
];

export const PASSIVE_EVENTS: readonly string[] = ['Location Entered'];

export function isConsumerInitiated(signal: Signal, events: readonly string[] = CONSUMER_INITIATED_EVENTS): boolean {
  if (signal.context?.background === true) return false;
  switch (signal.type) {
    case 'page':
    case 'screen':
      return true;
    case 'identify':
      return false;
    case 'track':
      return !PASSIVE_EVENTS.includes(signal.event) && events.includes(signal.event);
  }
}
