/**
 * The decision engine: one `Moment Detected` detail and one channel in; the guardrails checked
 * in order; the message sent through the channel adapter or the reason it was not; the decision
 * recorded (audit item) and announced (`Notification Sent` / `Notification Suppressed`).
 *
 * Idempotency, step by step (marker states in notify-store.ts):
 * 1. claim `DEC#<momentId>#<channel>` (conditional). `done` → a redelivery: nothing happens.
 *    `busy` → another invocation holds the lease: DecisionInProgressError, retried later.
 * 2. marker `sent` (an earlier attempt delivered, then failed to record): skip to 6.
 * 0. a moment from before its customer's erasure (tombstone) is dropped before anything is written.
 * 3. guardrails 1-4 (pure) → caps (reserve) → cooldown (reserve) → moment age. Reservations
 *    belong to the notification id, so a retry re-finds its own instead of taking new ones;
 *    whenever the outcome is not a send they are given back.
 * 4. send. Before every attempt (the channel's retries included) consent and the tombstone are
 *    read again: revoked → suppressed NO_CHANNEL_CONSENT, erased → dropped. Delivered → marker `sent` at once (the narrowest window for a duplicate: if that very
 *    write fails after the channel accepted, a retry sends again; receivers drop it by
 *    notificationId). Rejected (4xx) → reservations back, suppressed CHANNEL_REJECTED.
 *    Unavailable after retries → the error propagates with the marker `pending` and its lease
 *    released: the retry of the whole event claims it again and can still send.
 * 5. any suppression → the decision is recorded as such.
 * 6. audit item (conditional put, same key on every attempt) → event → marker `done`.
 *    An event published twice (a crash between publish and `done`) carries the same
 *    notificationId: subscribers dedupe on it.
 */
import { createHash } from 'node:crypto';
import type { MicroMomentsConfig } from '../config/types';
import type { EventPublisher } from '../events/publisher';
import { CHANNELS, type Channel } from '../contracts/enriched';
import {
  DETAIL_TYPES,
  type MomentDetectedDetail,
  type NotificationSentDetail,
  type NotificationSuppressedDetail,
  type SuppressionReason,
} from '../contracts/events';
import { validateMomentDetected, validateNotificationSent, validateNotificationSuppressed } from '../contracts/validate';
import {
  capPeriodsOf,
  checkChannelConsent,
  checkMomentAge,
  checkPolicyGuardrails,
  customerLocalTime,
  releaseCaps,
  reserveCaps,
  reserveCooldown,
  type GuardrailContext,
} from '../guardrails';
import { ttlFromNow } from '../store/keys';
import type { ChannelAdapter, NotificationMessage, SendGuard } from './channel';
import { isBeforeErasure, type Tombstone } from '../privacy/tombstone';
import type { DecisionRef, NotifyStore } from './notify-store';
import { renderMessage, type RenderedMessage } from './render';

/** First 128 bits of SHA-256 over `momentId|channel`, hex: the same decision always has the same id. */
export function notificationIdOf(momentId: string, channel: Channel): string {
  return createHash('sha256').update(`${momentId}|${channel}`).digest('hex').slice(0, 32);
}

export class InvalidMomentError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'InvalidMomentError';
  }
}

/** Another invocation is deciding the same moment and channel right now; retry later. */
export class DecisionInProgressError extends Error {
  constructor(readonly momentId: string, readonly channel: Channel) {
    super(`decision for moment ${momentId} on ${channel} is in progress in another invocation`);
    this.name = 'DecisionInProgressError';
  }
}

export interface DecideDeps {
  config: MicroMomentsConfig;
  store: NotifyStore;
  adapter: ChannelAdapter;
  publisher: EventPublisher;
  now: () => Date;
  /** How long a claim holds off others; default the notify function timeout plus 5 s. */
  leaseMs?: number;
}

export type DecisionOutcome =
  | { status: 'sent'; notificationId: string; momentId: string; customerKey: string; templateId: string; attempts: number }
  | { status: 'suppressed'; notificationId: string; momentId: string; customerKey: string; reason: SuppressionReason }
  | { status: 'duplicate'; notificationId: string; momentId: string; customerKey: string }
  /** A moment from before its customer's erasure: no decision, nothing written or published. */
  | { status: 'erased'; notificationId: string; momentId: string; customerKey: string };

type Suppression = { reason: SuppressionReason; rendered?: RenderedMessage };
type Erased = { erased: true };

/** A moment detected (or triggered) at or before the erasure: its customer is gone. */
const predatesErasure = (moment: MomentDetectedDetail, tombstone: Tombstone | undefined, config: MicroMomentsConfig) =>
  isBeforeErasure(tombstone, { stamped: [moment.detectedAt, moment.trigger.time], arrived: [] }, config);

export async function decideAndSend(detail: unknown, channel: Channel, deps: DecideDeps): Promise<DecisionOutcome> {
  if (!CHANNELS.includes(channel)) throw new InvalidMomentError(`channel: must be one of ${JSON.stringify(CHANNELS)}`);
  if (deps.adapter.channel !== channel) throw new Error(`adapter is for channel ${deps.adapter.channel}, not ${channel}`);
  const valid = validateMomentDetected(detail);
  if (!valid.ok) throw new InvalidMomentError(valid.error);
  const moment = valid.value;
  const { config, store } = deps;

  const notificationId = notificationIdOf(moment.momentId, channel);
  const ref: DecisionRef = { customerKey: moment.customerKey, momentId: moment.momentId, channel };
  const ids = { notificationId, momentId: moment.momentId, customerKey: moment.customerKey };
  // Before anything is written: a decision about an erased customer would recreate their partition.
  if (predatesErasure(moment, await store.getTombstone(moment.customerKey), config)) return { status: 'erased', ...ids };
  const startedAt = deps.now();
  const leaseMs = deps.leaseMs ?? config.functions.notify.timeoutSeconds * 1000 + 5000;
  const expiresAt = ttlFromNow(startedAt.getTime(), config.retention.notificationsDays);

  const claim = await store.claimDecision({
    ...ref,
    notificationId,
    decidedAt: startedAt.toISOString(),
    nowMs: startedAt.getTime(),
    leaseUntilMs: startedAt.getTime() + leaseMs,
    expiresAt,
  });
  if (claim.kind === 'done') return { status: 'duplicate', ...ids };
  if (claim.kind === 'busy') throw new DecisionInProgressError(moment.momentId, channel);
  const decidedAt = claim.decidedAt;

  const record = async (result: { rendered?: RenderedMessage; reason?: SuppressionReason }) => {
    const sent = result.reason === undefined;
    await store.putAudit({
      ...ref,
      notificationId,
      intent: moment.intent,
      decidedAt,
      outcome: sent ? 'sent' : 'suppressed',
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      ...(result.rendered ? { templateId: result.rendered.templateId, message: { title: result.rendered.title, body: result.rendered.body } } : {}),
      expiresAt,
    });
    const base = { version: 1 as const, notificationId, momentId: moment.momentId, customerKey: moment.customerKey, channel, intent: moment.intent, decidedAt };
    if (sent) {
      const eventDetail: NotificationSentDetail = { ...base, outcome: 'sent', templateId: (result.rendered as RenderedMessage).templateId };
      const check = validateNotificationSent(eventDetail);
      if (!check.ok) throw new Error(`Notification Sent does not match its schema: ${check.error}`);
      await deps.publisher.publish([{ detailType: DETAIL_TYPES.notificationSent, detail: eventDetail, time: new Date(decidedAt) }]);
      await store.markDone(ref, { outcome: 'sent', templateId: eventDetail.templateId });
    } else {
      const eventDetail: NotificationSuppressedDetail = { ...base, outcome: 'suppressed', reason: result.reason as SuppressionReason };
      const check = validateNotificationSuppressed(eventDetail);
      if (!check.ok) throw new Error(`Notification Suppressed does not match its schema: ${check.error}`);
      await deps.publisher.publish([{ detailType: DETAIL_TYPES.notificationSuppressed, detail: eventDetail, time: new Date(decidedAt) }]);
      await store.markDone(ref, { outcome: 'suppressed', reason: eventDetail.reason });
    }
  };

  try {
    if (claim.state === 'sent') {
      await record({ rendered: claim.rendered });
      return { status: 'sent', ...ids, templateId: claim.rendered.templateId, attempts: 0 };
    }

    const outcome = await guardAndSend(moment, channel, notificationId, decidedAt, claim.attempt, deps);
    // Erased while deciding: the erasure's last sweep removes what this decision wrote.
    if ('erased' in outcome) return { status: 'erased', ...ids };
    if ('reason' in outcome) {
      await record(outcome);
      return { status: 'suppressed', ...ids, reason: outcome.reason };
    }
    await record({ rendered: outcome.rendered });
    return { status: 'sent', ...ids, templateId: outcome.rendered.templateId, attempts: outcome.attempts };
  } catch (err) {
    // Let the retry of this event claim at once rather than wait for the lease to run out.
    await store.releaseLease(ref).catch(() => undefined);
    throw err;
  }
}

async function guardAndSend(
  moment: MomentDetectedDetail,
  channel: Channel,
  notificationId: string,
  decidedAt: string,
  attempt: number,
  deps: DecideDeps,
): Promise<Suppression | Erased | { rendered: RenderedMessage; attempts: number }> {
  const { config, store } = deps;
  const now = deps.now();
  const profile = await store.getProfile(moment.customerKey);
  const ctx: GuardrailContext = { moment, channel, profile, now, config };
  const rendered = renderMessage(moment, config);
  // Cap periods follow the decision time (fixed by the first claim), so every retry counts
  // against the same day and week and finds the slot it may already hold.
  const capCtx = { ...ctx, now: new Date(decidedAt) };

  const giveBack = async (what: { caps?: boolean; cooldown?: boolean }) => {
    if (what.cooldown) await store.releaseCooldown(moment.customerKey, moment.intent, notificationId);
    if (what.caps) {
      const periods = capPeriodsOf(customerLocalTime(capCtx.now, profile, moment));
      await releaseCaps(store, moment.customerKey, periods, notificationId);
    }
  };
  // A retried attempt may hold reservations from before; a suppression now must free them.
  const suppress = async (reason: SuppressionReason, held: { caps?: boolean; cooldown?: boolean }): Promise<Suppression> => {
    await giveBack(attempt > 1 ? { caps: true, cooldown: true } : held);
    return reason === 'SENSITIVE_CATEGORY' ? { reason } : { reason, rendered };
  };

  const policy = checkPolicyGuardrails(ctx, rendered);
  if (!policy.ok) return suppress(policy.reason, {});

  const caps = await reserveCaps(store, capCtx, notificationId);
  if (!caps.verdict.ok) return suppress(caps.verdict.reason, {});

  const cooldown = await reserveCooldown(store, ctx, notificationId);
  if (!cooldown.ok) return suppress(cooldown.reason, { caps: true });

  const age = checkMomentAge(ctx);
  if (!age.ok) return suppress(age.reason, { caps: true, cooldown: true });

  const message: NotificationMessage = {
    version: 1,
    notificationId,
    momentId: moment.momentId,
    customerKey: moment.customerKey,
    channel,
    intent: moment.intent,
    templateId: rendered.templateId,
    title: rendered.title,
    body: rendered.body,
    decidedAt,
  };
  // Consent and erasure are read again right before every attempt, retries included: the profile
  // read above may be seconds old by then, and a revocation must stop the next attempt.
  const guard: SendGuard = async () => {
    const [now, tombstone] = await Promise.all([store.getProfile(moment.customerKey), store.getTombstone(moment.customerKey)]);
    if (predatesErasure(moment, tombstone, config)) return 'erased';
    const consent = checkChannelConsent({ profile: now, channel });
    return consent.ok ? undefined : 'NO_CHANNEL_CONSENT';
  };
  const result = await deps.adapter.send(
    message,
    { customerKey: moment.customerKey, ...(profile?.externalId !== undefined ? { externalId: profile.externalId } : {}) },
    guard,
  );
  if (result.status === 'withdrawn') {
    if (result.reason === 'erased') {
      await giveBack({ caps: true, cooldown: true });
      return { erased: true };
    }
    return suppress(result.reason, { caps: true, cooldown: true });
  }
  if (result.status === 'rejected') return suppress('CHANNEL_REJECTED', { caps: true, cooldown: true });
  await store.markSent({ customerKey: moment.customerKey, momentId: moment.momentId, channel }, rendered);
  return { rendered, attempts: result.attempts };
}
