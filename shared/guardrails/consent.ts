/**
 * Guardrail 1: consent for this channel, from the PROFILE read now, not from the moment. A
 * revocation between detection and send therefore stops the notification. Withdrawn
 * personalization consent stops every channel: no moment should exist, and none is acted on.
 */
import { CONSENT_KEYS } from '../store/profile';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

export function checkChannelConsent({ profile, channel }: Pick<GuardrailContext, 'profile' | 'channel'>): Verdict {
  if (!profile) return stop('NO_CHANNEL_CONSENT');
  const consent = profile.consent ?? {};
  // Only an explicit `true` is consent; missing, false or anything else is not.
  if (consent[CONSENT_KEYS.personalization] !== true) return stop('NO_CHANNEL_CONSENT');
  if (consent[CONSENT_KEYS[channel]] !== true) return stop('NO_CHANNEL_CONSENT');
  return ALLOW;
}
