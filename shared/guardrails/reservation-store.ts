/**
 * The port behind the two guardrails that need shared state (frequency caps and cooldown). Both
 * are reservations: taking one is atomic (a conditional write), so concurrent invocations for one
 * customer can never take more than there is; and idempotent per notification id, so the retry
 * of an event that took its slots and then failed to send finds them still its own instead of
 * taking them twice. A reservation is given back when the notification is not sent after all.
 *
 * Implementations: DynamoNotifyStore (shared/adapters/dynamo-notify-store.ts) and
 * InMemoryNotifyStore (shared/notify/in-memory-notify-store.ts), with the same semantics.
 */
import type { MomentIntent } from '../contracts/enriched';

export interface ReservationStore {
  /**
   * Takes one slot of the counter `CAP#<period>` for this notification, if fewer than `cap` are
   * taken. Answers true when the slot is (now or already) this notification's.
   */
  takeCapSlot(customerKey: string, period: string, cap: number, notificationId: string, expiresAt: number): Promise<boolean>;
  /** Gives this notification's slot back; a no-op if it holds none. */
  releaseCapSlot(customerKey: string, period: string, notificationId: string): Promise<void>;
  /**
   * Takes the cooldown of an intent until `untilMs`, if the last one has run out (or is this
   * notification's own). Answers whether it is this notification's now.
   */
  takeCooldown(
    customerKey: string,
    intent: MomentIntent,
    notificationId: string,
    nowMs: number,
    untilMs: number,
    expiresAt: number,
  ): Promise<boolean>;
  /** Ends the cooldown if this notification holds it; a no-op otherwise. */
  releaseCooldown(customerKey: string, intent: MomentIntent, notificationId: string): Promise<void>;
}
