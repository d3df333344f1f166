/**
 * What a notification decision reads and writes in the customer's partition: one consistent read
 * of PROFILE, TOMBSTONE and the NOTIFY item (notify-item.ts: decisions, cap slots, cooldowns),
 * one conditional write of the NOTIFY item, and the audit item `N#<decidedAt>#<notificationId>`.
 *
 * A decision in the NOTIFY item is a small state machine:
 *
 *   (none) ──claim (+ reservations, or none for a suppression)──▶ pending ──audit put──▶ recorded
 *                                                                     └── (a later delivery) ──▶ done
 *
 * - `claim` is part of the one conditional write (version): it succeeds when there is no entry,
 *   or the entry is pending, its lease has run out and its audit item does not exist.
 * - The audit item is the evidence: written once the channel accepted (or the suppression was
 *   decided), with the same key on every attempt (`decidedAt` is fixed by the first claim).
 *   A pending decision with an audit item is recorded; a delivery that finds it so sends nothing.
 * - `done` means recorded and announced: written only by a delivery that found the lease run
 *   out and the audit item there (it published the event again to be sure), so that later
 *   deliveries read nothing else.
 */
import type { Channel, MomentIntent } from '../contracts/enriched';
import type { SuppressionReason } from '../contracts/events';
import type { Profile } from '../store/profile';
import type { Tombstone } from '../privacy/tombstone';
import type { NotifyItem } from './notify-item';

export interface DecisionRef {
  customerKey: string;
  momentId: string;
  channel: Channel;
}

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

/** What a decision reads of its customer: consent and contact, an erasure, and notify's own item. */
export interface CustomerSnapshot {
  profile?: Profile;
  tombstone?: Tombstone;
  notify: NotifyItem;
}

export interface NotifyStore {
  /** PROFILE, TOMBSTONE and NOTIFY together, read consistently now (one Query on DynamoDB). */
  getCustomer(customerKey: string): Promise<CustomerSnapshot>;
  /**
   * Writes the NOTIFY item as version `item.version + 1` if it is still at `item.version` (0: if
   * there is none). Answers false when another write came first: nothing was written.
   */
  writeNotify(customerKey: string, item: NotifyItem, expiresAt: number): Promise<boolean>;
  /** The audit item of a decision, by its key; undefined when it was never written. */
  getAudit(customerKey: string, decidedAt: string, notificationId: string): Promise<NotificationRecord | undefined>;
  /** The audit item of a decision decided at or after `decidedFrom` (ISO), whenever that was (a slower read). */
  findAudit(customerKey: string, notificationId: string, decidedFrom: string): Promise<NotificationRecord | undefined>;
  /** Writes the audit item once (a retry writing the same key is a no-op). */
  putAudit(record: NotificationRecord): Promise<void>;
}
