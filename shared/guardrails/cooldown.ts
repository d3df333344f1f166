/**
 * Guardrail 6: cooldown per intent. After a notification of an intent, none of the same intent
 * for `guardrails.cooldownMinutes[intent]` minutes, whatever the channel (`COOL#<intent>`,
 * taken with a conditional write).
 */
import { ttlFromNow } from '../store/keys';
import type { ReservationStore } from './reservation-store';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

export async function reserveCooldown(
  store: ReservationStore,
  { moment, now, config }: Pick<GuardrailContext, 'moment' | 'now' | 'config'>,
  notificationId: string,
): Promise<Verdict> {
  const minutes = config.guardrails.cooldownMinutes[moment.intent];
  const nowMs = now.getTime();
  const untilMs = nowMs + minutes * 60_000;
  // The marker outlives the cooldown by a day, so a late retry of the same notification still finds it.
  const expiresAt = ttlFromNow(untilMs, 1);
  const taken = await store.takeCooldown(moment.customerKey, moment.intent, notificationId, nowMs, untilMs, expiresAt);
  return taken ? ALLOW : stop('COOLDOWN');
}
