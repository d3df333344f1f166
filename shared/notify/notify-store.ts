/**
 * What a notification decision reads and writes in the customer's partition: the PROFILE (read
 * now), the idempotency marker `DEC#<momentId>#<channel>`, the reservations of the guardrails
 * (`CAP#…`, `COOL#…`) and the audit item `N#<decidedAt>#<notificationId>`.
 *
 * The marker is a small state machine that makes a redelivered or retried event safe:
 *
 *   (none) ──claim──▶ pending ──send ok──▶ sent ──audit+event──▶ done
 *                        └────────── suppressed: audit+event ──────▶ done
 *
 * - `claim` is one conditional write: it succeeds when there is no marker, or when the marker is
 *   not `done` and its lease has run out (an earlier invocation failed or died). A live lease
 *   means another invocation is deciding right now: `busy`, and the event is retried later.
 * - `done` means the decision is recorded and announced: a redelivery does nothing at all.
 * - `sent` is written as soon as the channel has accepted the notification, so a retry after a
 *   failure further on (audit, event) finishes the record without sending again.
 * - `decidedAt` is fixed by the first claim, so every retry writes the same audit key and
 *   counts against the same cap periods.
 */
import type { Channel, MomentIntent } from '../contracts/enriched';
import type { SuppressionReason } from '../contracts/events';
import type { ReservationStore } from '../guardrails/reservation-store';
import type { Profile } from '../store/profile';
import type { Tombstone } from '../privacy/tombstone';
import type { RenderedMessage } from './render';

export interface DecisionRef {
  customerKey: string;
  momentId: string;
  channel: Channel;
}

export interface ClaimRequest extends DecisionRef {
  notificationId: string;
  /** Used only if this is the first claim. */
  decidedAt: string;
  nowMs: number;
  leaseUntilMs: number;
  expiresAt: number;
}

export type DecisionClaim =
  | { kind: 'claimed'; state: 'pending'; decidedAt: string; attempt: number }
  | { kind: 'claimed'; state: 'sent'; decidedAt: string; attempt: number; rendered: RenderedMessage }
  | { kind: 'done' }
  | { kind: 'busy' };

export type DecisionResult = { outcome: 'sent'; templateId: string } | { outcome: 'suppressed'; reason: SuppressionReason };

/** The audit item of one decision. */
export interface NotificationRecord extends DecisionRef {
  notificationId: string;
  intent: MomentIntent;
  decidedAt: string;
  outcome: 'sent' | 'suppressed';
  reason?: SuppressionReason;
  templateId?: string;
  /** The rendered message (absent when the moment was refused as sensitive). */
  message?: { title: string; body: string };
  expiresAt: number;
}

/** What a decision reads of its customer before it claims: consent and contact, and an erasure. */
export interface CustomerSnapshot {
  profile?: Profile;
  tombstone?: Tombstone;
}

export interface NotifyStore extends ReservationStore {
  /** PROFILE and TOMBSTONE together, read consistently now (one Query on DynamoDB). */
  getCustomer(customerKey: string): Promise<CustomerSnapshot>;
  /** The PROFILE item, read consistently now; undefined when there is none. */
  getProfile(customerKey: string): Promise<Profile | undefined>;
  /** The customer's tombstone if they were erased (shared/privacy/tombstone.ts), read consistently now. */
  getTombstone(customerKey: string): Promise<Tombstone | undefined>;
  claimDecision(request: ClaimRequest): Promise<DecisionClaim>;
  markSent(ref: DecisionRef, rendered: RenderedMessage): Promise<void>;
  markDone(ref: DecisionRef, result: DecisionResult): Promise<void>;
  /** Ends this invocation's lease early after a failure, so the retry need not wait it out. */
  releaseLease(ref: DecisionRef): Promise<void>;
  /** Writes the audit item once (a retry writing the same key is a no-op). */
  putAudit(record: NotificationRecord): Promise<void>;
}
