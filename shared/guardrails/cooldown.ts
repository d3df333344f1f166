/**
 * Guardrail 6: cooldown per intent. After a notification of an intent, none of the same intent
 * for `guardrails.cooldownMinutes[intent]` minutes, whatever the channel. The cooldown is a
 * reservation in the customer's NOTIFY item (reservations.ts `checkCooldown`, `reserve`).
 */
import type { MicroMomentsConfig } from '../config/types';
import type { MomentIntent } from '../contracts/enriched';

/** Until when a notification of `intent` sent at `nowMs` holds the cooldown. */
export function cooldownUntil(config: MicroMomentsConfig, intent: MomentIntent, nowMs: number): number {
  return nowMs + config.guardrails.cooldownMinutes[intent] * 60_000;
}
