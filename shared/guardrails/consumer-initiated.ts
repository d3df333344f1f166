/**
 * Guardrail 3: brand-initiated contact answers something the customer did, recently. A moment
 * triggered by a consumer-initiated signal passes while that signal is younger than
 * `guardrails.consumerInitiatedWindowMinutes` (older: TRIGGER_TOO_OLD); a passive-only moment (a
 * geofence while the app sleeps) passes only if the customer opted in to location offers (read
 * from the profile now), and within the same window (otherwise NOT_CONSUMER_INITIATED).
 */
import { CONSENT_KEYS } from '../store/profile';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

export function checkConsumerInitiated({ moment, profile, now, config }: Omit<GuardrailContext, 'channel'>): Verdict {
  const triggeredMs = Date.parse(moment.trigger.time);
  const windowMs = config.guardrails.consumerInitiatedWindowMinutes * 60_000;
  // An unparseable trigger time cannot be shown to be recent: the cautious answer is no. A reason
  // of its own, so an operator can tell a stale trigger from a passive one.
  if (!Number.isFinite(triggeredMs) || now.getTime() - triggeredMs > windowMs) return stop('TRIGGER_TOO_OLD');
  if (moment.consumerInitiated) return ALLOW;
  return profile?.consent?.[CONSENT_KEYS.locationOffers] === true ? ALLOW : stop('NOT_CONSUMER_INITIATED');
}
