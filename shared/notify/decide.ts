/**
 * The decision engine: one `Moment Detected` detail and one channel in; the guardrails checked
 * in order; the message sent through the channel adapter or the reason it was not; the decision
 * recorded (audit item) and announced (`Notification Sent` / `Notification Suppressed`).
 *
 * Three DynamoDB requests in the common path (issue 12), a send or a suppression alike:
 * 1. one consistent read of PROFILE, TOMBSTONE and NOTIFY (notify-item.ts). A moment from before
 *    its customer's erasure (tombstone) is dropped before anything is written. A decision the
 *    item already holds: `done` → a redelivery, nothing happens; pending with a live lease →
 *    DecisionInProgressError, retried later; pending, lease run out, its audit item written → the
 *    record is finished (the event published again, same notificationId, the decision marked
 *    `done`); pending, lease run out, no audit item → taken over.
 * 2. guardrails 1-7 decided on that read (policy, caps, cooldown, moment age), then one
 *    conditional write of the NOTIFY item (its version) that claims the decision with a lease
 *    and, for a send, takes the cap slot and the cooldown (a suppression gives back whatever the
 *    decision held). Refused (another invocation wrote the item first): read again (consent and
 *    erasure included) and decide again. Reservations belong to the decision, so a retry
 *    re-finds its own instead of taking new ones.
 * 3. send (a suppression skips it), then the audit item (conditional put, the same key on every
 *    attempt): the evidence that the decision was recorded, written the moment the channel
 *    accepted (if that very write fails after the channel accepted, a retry sends again;
 *    receivers drop it by notificationId, as before). Then the event.
 * Consent and erasure are read again before every retry of the channel (the first attempt is
 * checked against the read of step 1, one write earlier). Rejected or withdrawn → reservations
 * given back (a write of NOTIFY), suppressed. Unavailable after retries → the error propagates
 * and the lease is released (a write of NOTIFY): the retry of the event takes it over and can
 * still send. An event published twice (a crash between audit and publish, or the finishing
 * delivery above) carries the same notificationId: subscribers dedupe on it.
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
  capKeepFrom,
  capPeriodsOf,
  checkCaps,
  checkChannelConsent,
  checkCooldown,
  checkMomentAge,
  checkPolicyGuardrails,
  cooldownUntil,
  customerLocalTime,
  holdsAny,
  pruneReservations,
  release,
  reserve,
  type GuardrailContext,
  type Verdict,
} from '../guardrails';
import { ttlFromNow } from '../store/keys';
import type { ChannelAdapter, NotificationMessage, SendGuard } from './channel';
import { isBeforeErasure, type Tombstone } from '../privacy/tombstone';
import type { CustomerSnapshot, NotificationRecord, NotifyStore } from './notify-store';
import { decisionKeyOf, notifyItemExpiresAt, pruneDecisions, redeliveryHorizonMs, type NotifyDecision, type NotifyItem } from './notify-item';
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

/** Another invocation is deciding the same moment and channel (or, under heavy contention, the same customer) right now; retry later. */
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

/** How far notify's clock may run behind score's: a decision is taken no earlier than this before its moment's detection. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Writes of the NOTIFY item refused in a row before the event is handed back to be retried later. */
const MAX_WRITE_RACES = 50;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The decision's own NOTIFY item after a change: decisions past the horizon and reservations
 * that can no longer count are pruned with every write, so the item stays small.
 */
function nextItem(
  item: NotifyItem,
  changes: { key: string; decision: NotifyDecision; reservations: NotifyItem['reservations'] },
  prune: { nowMs: number; horizonMs: number; keepFromDay: string },
): NotifyItem {
  const decisions = pruneDecisions(item.decisions, prune.nowMs - prune.horizonMs);
  decisions.set(changes.key, changes.decision);
  return { version: item.version, decisions, reservations: pruneReservations(changes.reservations, prune.keepFromDay, prune.nowMs) };
}

/** Guardrails 1-7 on one read of the customer: what this decision may do now. */
function verdictOf(
  ctx: GuardrailContext,
  item: NotifyItem,
  key: string,
  decidedAtMs: number,
  rendered: RenderedMessage,
): { verdict: Verdict; periods: ReturnType<typeof capPeriodsOf> } {
  const { moment, profile, config } = ctx;
  // Cap periods follow the decision time (fixed by the first claim), so every retry counts
  // against the same day and week and finds the slot it may already hold.
  const periods = capPeriodsOf(customerLocalTime(new Date(decidedAtMs), profile, moment));
  const checks: (() => Verdict)[] = [
    () => checkPolicyGuardrails(ctx, rendered),
    () => checkCaps(item.reservations, periods, config.guardrails.caps, key),
    () => checkCooldown(item.reservations, moment.intent, ctx.now.getTime(), key),
    () => checkMomentAge(ctx),
  ];
  for (const check of checks) {
    const verdict = check();
    if (!verdict.ok) return { verdict, periods };
  }
  return { verdict: { ok: true }, periods };
}

export async function decideAndSend(detail: unknown, channel: Channel, deps: DecideDeps): Promise<DecisionOutcome> {
  if (!CHANNELS.includes(channel)) throw new InvalidMomentError(`channel: must be one of ${JSON.stringify(CHANNELS)}`);
  if (deps.adapter.channel !== channel) throw new Error(`adapter is for channel ${deps.adapter.channel}, not ${channel}`);
  const valid = validateMomentDetected(detail);
  if (!valid.ok) throw new InvalidMomentError(valid.error);
  const moment = valid.value;
  const { config, store } = deps;
  const { customerKey } = moment;

  const notificationId = notificationIdOf(moment.momentId, channel);
  const key = decisionKeyOf(notificationId);
  const ids = { notificationId, momentId: moment.momentId, customerKey };
  const leaseMs = deps.leaseMs ?? config.functions.notify.timeoutSeconds * 1000 + 5000;
  const horizonMs = redeliveryHorizonMs(config, leaseMs);
  const rendered = renderMessage(moment, config);

  /** The event of a recorded decision (published again, identical, by a delivery that finishes it). */
  const announce = async (r: NotificationRecord) => {
    const base = { version: 1 as const, notificationId, momentId: moment.momentId, customerKey, channel, intent: moment.intent, decidedAt: r.decidedAt };
    if (r.outcome === 'sent') {
      const eventDetail: NotificationSentDetail = { ...base, outcome: 'sent', templateId: String(r.templateId) };
      const check = validateNotificationSent(eventDetail);
      if (!check.ok) throw new Error(`Notification Sent does not match its schema: ${check.error}`);
      await deps.publisher.publish([{ detailType: DETAIL_TYPES.notificationSent, detail: eventDetail, time: new Date(r.decidedAt) }]);
    } else {
      const eventDetail: NotificationSuppressedDetail = { ...base, outcome: 'suppressed', reason: r.reason as SuppressionReason };
      const check = validateNotificationSuppressed(eventDetail);
      if (!check.ok) throw new Error(`Notification Suppressed does not match its schema: ${check.error}`);
      await deps.publisher.publish([{ detailType: DETAIL_TYPES.notificationSuppressed, detail: eventDetail, time: new Date(r.decidedAt) }]);
    }
  };
  const outcomeOf = (r: NotificationRecord, attempts: number): DecisionOutcome =>
    r.outcome === 'sent'
      ? { status: 'sent', ...ids, templateId: String(r.templateId), attempts }
      : { status: 'suppressed', ...ids, reason: r.reason as SuppressionReason };

  /**
   * Applies `change` to the NOTIFY item from `item` on, reading again whenever another write came
   * first; `change` answers undefined when there is nothing (left) to write. Answers the item written.
   */
  const updateItem = async (item: NotifyItem, change: (item: NotifyItem, nowMs: number) => NotifyItem | undefined): Promise<NotifyItem | undefined> => {
    let current = item;
    for (let race = 0; race < MAX_WRITE_RACES; race++) {
      const nowMs = deps.now().getTime();
      const next = change(current, nowMs);
      if (!next) return undefined;
      if (await store.writeNotify(customerKey, next, notifyItemExpiresAt(next, horizonMs, nowMs))) return { ...next, version: next.version + 1 };
      current = (await store.getCustomer(customerKey)).notify;
    }
    throw new DecisionInProgressError(moment.momentId, channel);
  };
  const withDecision = (item: NotifyItem, change: (d: NotifyDecision) => NotifyDecision | undefined): NotifyItem | undefined => {
    const d = item.decisions.get(key);
    const changed = d && change(d);
    return changed ? { ...item, decisions: new Map(item.decisions).set(key, changed) } : undefined;
  };

  type Claim = { item: NotifyItem; decidedAt: string; verdict: Verdict; customer: CustomerSnapshot };
  // Steps 1 and 2: read, decide, claim; again on a fresh read whenever another write came first.
  const claimDecision = async (): Promise<Claim | DecisionOutcome> => {
    let customer = await store.getCustomer(customerKey);
    for (let race = 0; ; race++) {
      // Before anything is written: a decision about an erased customer would recreate their partition.
      if (predatesErasure(moment, customer.tombstone, config)) return { status: 'erased', ...ids };
      const now = deps.now();
      const nowMs = now.getTime();
      const entry = customer.notify.decisions.get(key);
      if (entry?.state === 'done') return { status: 'duplicate', ...ids };
      if (entry) {
        // A live lease: the invocation holding it is deciding, or failed after its audit put and
        // before its event (and could not release the lease); only it, or a delivery after the
        // lease, may finish the record.
        if (entry.leaseUntilMs >= nowMs) throw new DecisionInProgressError(moment.momentId, channel);
        const audit = await store.getAudit(customerKey, iso(entry.decidedAtMs), notificationId);
        if (audit) {
          // Recorded, and whoever recorded it is gone: its event may not have been published.
          await announce(audit);
          await updateItem(customer.notify, (item) => withDecision(item, (d) => (d.state === 'done' ? undefined : { ...d, state: 'done', leaseUntilMs: 0 })));
          return outcomeOf(audit, 0);
        }
      } else if (!(nowMs - Date.parse(moment.detectedAt) < horizonMs - CLOCK_SKEW_MS)) {
        // Old enough that its decision may have been pruned from the item: its audit item says.
        if (await store.findAudit(customerKey, notificationId, iso(Date.parse(moment.detectedAt) - CLOCK_SKEW_MS))) return { status: 'duplicate', ...ids };
      }
      const decidedAtMs = entry?.decidedAtMs ?? nowMs;
      const ctx: GuardrailContext = { moment, channel, profile: customer.profile, now, config };
      const { verdict, periods } = verdictOf(ctx, customer.notify, key, decidedAtMs, rendered);
      // A suppression holds nothing: whatever an earlier attempt of this decision took is given back.
      const reservations = verdict.ok
        ? reserve(customer.notify.reservations, key, periods, moment.intent, cooldownUntil(config, moment.intent, nowMs))
        : release(customer.notify.reservations, key);
      const next = nextItem(
        customer.notify,
        { key, decision: { state: 'pending', decidedAtMs, leaseUntilMs: nowMs + leaseMs, attempt: (entry?.attempt ?? 0) + 1 }, reservations },
        { nowMs, horizonMs, keepFromDay: capKeepFrom(customerLocalTime(now, customer.profile, moment)) },
      );
      if (await store.writeNotify(customerKey, next, notifyItemExpiresAt(next, horizonMs, nowMs))) {
        return { item: { ...next, version: next.version + 1 }, decidedAt: iso(decidedAtMs), verdict, customer };
      }
      if (race + 1 >= MAX_WRITE_RACES) throw new DecisionInProgressError(moment.momentId, channel);
      customer = await store.getCustomer(customerKey);
    }
  };
  const claim = await claimDecision();
  if ('status' in claim) return claim;

  const { decidedAt } = claim;
  const record = async (result: { rendered?: RenderedMessage; reason?: SuppressionReason }) => {
    const r: NotificationRecord = {
      customerKey,
      momentId: moment.momentId,
      channel,
      notificationId,
      intent: moment.intent,
      decidedAt,
      outcome: result.reason === undefined ? 'sent' : 'suppressed',
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      ...(result.rendered ? { templateId: result.rendered.templateId, message: { title: result.rendered.title, body: result.rendered.body } } : {}),
      expiresAt: ttlFromNow(Date.parse(decidedAt), config.retention.notificationsDays),
    };
    await store.putAudit(r);
    await announce(r);
  };
  let held = claim.item;
  const giveBack = async () => {
    const written = await updateItem(held, (item) => (holdsAny(item.reservations, key) ? { ...item, reservations: release(item.reservations, key) } : undefined));
    if (written) held = written;
  };

  try {
    if (!claim.verdict.ok) {
      const reason = claim.verdict.reason;
      await record(reason === 'SENSITIVE_CATEGORY' ? { reason } : { reason, rendered });
      return { status: 'suppressed', ...ids, reason };
    }
    const outcome = await send(moment, channel, notificationId, decidedAt, rendered, claim.customer, deps);
    if ('erased' in outcome) {
      // Erased while deciding: the erasure's last sweep removes what this decision wrote.
      await giveBack();
      return { status: 'erased', ...ids };
    }
    if ('reason' in outcome) {
      await giveBack();
      await record(outcome);
      return { status: 'suppressed', ...ids, reason: outcome.reason };
    }
    await record({ rendered });
    return { status: 'sent', ...ids, templateId: rendered.templateId, attempts: outcome.attempts };
  } catch (err) {
    // Let the retry of this event take the decision over at once rather than wait for the lease.
    await updateItem(held, (item) => withDecision(item, (d) => (d.state === 'done' || d.leaseUntilMs === 0 ? undefined : { ...d, leaseUntilMs: 0 }))).catch(() => undefined);
    throw err;
  }
}

async function send(
  moment: MomentDetectedDetail,
  channel: Channel,
  notificationId: string,
  decidedAt: string,
  rendered: RenderedMessage,
  customer: CustomerSnapshot,
  deps: DecideDeps,
): Promise<Suppression | Erased | { attempts: number }> {
  const { config, store } = deps;
  const { profile } = customer;
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
  // Consent and erasure are read again before every retry of the channel: a revocation that lands
  // while an attempt is in flight stops the next one. The first attempt is checked against the read
  // this decision was taken on, one conditional write earlier (the claim and reservations): a
  // revocation in that window is no different from one a moment after the attempt has left.
  const guard: SendGuard = async (attemptNo) => {
    const fresh = attemptNo <= 1 ? customer : await store.getCustomer(moment.customerKey);
    if (predatesErasure(moment, fresh.tombstone, config)) return 'erased';
    const consent = checkChannelConsent({ profile: fresh.profile, channel });
    return consent.ok ? undefined : 'NO_CHANNEL_CONSENT';
  };
  const result = await deps.adapter.send(
    message,
    { customerKey: moment.customerKey, ...(profile?.externalId !== undefined ? { externalId: profile.externalId } : {}) },
    guard,
  );
  if (result.status === 'withdrawn') return result.reason === 'erased' ? { erased: true } : { reason: result.reason, rendered };
  if (result.status === 'rejected') return { reason: 'CHANNEL_REJECTED', rendered };
  return { attempts: result.attempts };
}
