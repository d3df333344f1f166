/**
 * The guardrails that stand between a moment and a notification, checked at send time in the
 * order of GUARDRAIL_ORDER. Each is a function of what is known now (the moment, the profile read
 * now, the clock, the configuration) answering allow or stop with its own reason code, so every
 * decision can be recorded and explained.
 */
import type { MicroMomentsConfig } from '../config/types';
import type { Channel } from '../contracts/enriched';
import type { MomentDetectedDetail, SuppressionReason } from '../contracts/events';
import type { Profile } from '../store/profile';

export type Verdict = { ok: true } | { ok: false; reason: SuppressionReason };

export const ALLOW: Verdict = Object.freeze({ ok: true });
export const stop = (reason: SuppressionReason): Verdict => ({ ok: false, reason });

export interface GuardrailContext {
  moment: MomentDetectedDetail;
  channel: Channel;
  /** The PROFILE item read at send time; undefined when the customer has none (no consent). */
  profile: Profile | undefined;
  now: Date;
  config: MicroMomentsConfig;
}

/** The guardrails in the order they are checked (and the first that stops names the reason). */
export const GUARDRAIL_ORDER = [
  'NO_CHANNEL_CONSENT',
  'SENSITIVE_CATEGORY',
  'TRIGGER_TOO_OLD',
  'NOT_CONSUMER_INITIATED',
  'QUIET_HOURS',
  'DAILY_CAP',
  'WEEKLY_CAP',
  'COOLDOWN',
  'MOMENT_TOO_OLD',
] as const satisfies readonly SuppressionReason[];
