/**
 * NotifyStore in memory, with the semantics of DynamoNotifyStore (each operation atomic, the
 * same conditions): property tests, replay and benchmarks. `items` is keyed by `pk|sk` like the
 * table, so a test can count what a customer holds.
 */
import type { MomentIntent } from '../contracts/enriched';
import { customerPk, SK } from '../store/keys';
import type { Profile } from '../store/profile';
import type { Tombstone } from '../privacy/tombstone';
import type { RenderedMessage } from './render';
import type { ClaimRequest, CustomerSnapshot, DecisionClaim, DecisionRef, DecisionResult, NotificationRecord, NotifyStore } from './notify-store';

interface DecisionItem {
  state: 'pending' | 'sent' | 'done';
  decidedAt: string;
  leaseUntil: number;
  attempt: number;
  rendered?: RenderedMessage;
  result?: DecisionResult;
}

export class InMemoryNotifyStore implements NotifyStore {
  readonly profiles = new Map<string, Profile>();
  readonly tombstones = new Map<string, Tombstone>();
  readonly decisions = new Map<string, DecisionItem>();
  readonly caps = new Map<string, { count: number; ids: Set<string> }>();
  readonly cooldowns = new Map<string, { untilMs: number; notificationId: string }>();
  readonly audit = new Map<string, NotificationRecord>();

  private k(customerKey: string, sk: string) {
    return `${customerPk(customerKey)}|${sk}`;
  }
  private dk(ref: DecisionRef) {
    return this.k(ref.customerKey, SK.decision(ref.momentId, ref.channel));
  }

  async getProfile(customerKey: string): Promise<Profile | undefined> {
    const p = this.profiles.get(customerKey);
    return p ? structuredClone(p) : undefined;
  }

  async getTombstone(customerKey: string): Promise<Tombstone | undefined> {
    const t = this.tombstones.get(customerKey);
    return t ? { ...t } : undefined;
  }

  async getCustomer(customerKey: string): Promise<CustomerSnapshot> {
    const [profile, tombstone] = await Promise.all([this.getProfile(customerKey), this.getTombstone(customerKey)]);
    return { ...(profile ? { profile } : {}), ...(tombstone ? { tombstone } : {}) };
  }

  async claimDecision(r: ClaimRequest): Promise<DecisionClaim> {
    const key = this.dk(r);
    const d = this.decisions.get(key);
    if (d && (d.state === 'done' || d.leaseUntil >= r.nowMs)) return d.state === 'done' ? { kind: 'done' } : { kind: 'busy' };
    const next: DecisionItem = d
      ? { ...d, leaseUntil: r.leaseUntilMs, attempt: d.attempt + 1 }
      : { state: 'pending', decidedAt: r.decidedAt, leaseUntil: r.leaseUntilMs, attempt: 1 };
    this.decisions.set(key, next);
    if (next.state === 'sent' && next.rendered) {
      return { kind: 'claimed', state: 'sent', decidedAt: next.decidedAt, attempt: next.attempt, rendered: next.rendered };
    }
    return { kind: 'claimed', state: 'pending', decidedAt: next.decidedAt, attempt: next.attempt };
  }

  async markSent(ref: DecisionRef, rendered: RenderedMessage): Promise<void> {
    const d = this.decisions.get(this.dk(ref));
    if (!d) throw new Error('ConditionalCheckFailedException: no decision marker');
    d.state = 'sent';
    d.rendered = rendered;
  }

  async markDone(ref: DecisionRef, result: DecisionResult): Promise<void> {
    const d = this.decisions.get(this.dk(ref));
    if (!d) throw new Error('ConditionalCheckFailedException: no decision marker');
    d.state = 'done';
    d.result = result;
    d.leaseUntil = 0;
  }

  async releaseLease(ref: DecisionRef): Promise<void> {
    const d = this.decisions.get(this.dk(ref));
    if (d && d.state !== 'done') d.leaseUntil = 0;
  }

  async putAudit(record: NotificationRecord): Promise<void> {
    const key = this.k(record.customerKey, SK.notification(record.decidedAt, record.notificationId));
    if (!this.audit.has(key)) this.audit.set(key, structuredClone(record));
  }

  async takeCapSlot(customerKey: string, period: string, cap: number, notificationId: string): Promise<boolean> {
    const key = this.k(customerKey, SK.cap(period));
    const c = this.caps.get(key) ?? { count: 0, ids: new Set<string>() };
    if (c.ids.has(notificationId)) return true;
    if (c.count >= cap) return false;
    c.count++;
    c.ids.add(notificationId);
    this.caps.set(key, c);
    return true;
  }

  async releaseCapSlot(customerKey: string, period: string, notificationId: string): Promise<void> {
    const c = this.caps.get(this.k(customerKey, SK.cap(period)));
    if (c?.ids.delete(notificationId)) c.count--;
  }

  async takeCooldown(customerKey: string, intent: MomentIntent, notificationId: string, nowMs: number, untilMs: number): Promise<boolean> {
    const key = this.k(customerKey, SK.cooldown(intent));
    const c = this.cooldowns.get(key);
    if (c && c.untilMs > nowMs && c.notificationId !== notificationId) return false;
    this.cooldowns.set(key, { untilMs, notificationId });
    return true;
  }

  async releaseCooldown(customerKey: string, intent: MomentIntent, notificationId: string): Promise<void> {
    const c = this.cooldowns.get(this.k(customerKey, SK.cooldown(intent)));
    if (c && c.notificationId === notificationId) c.untilMs = 0;
  }

  /** How many slots of a period a customer holds (tests). */
  capCount(customerKey: string, period: string): number {
    return this.caps.get(this.k(customerKey, SK.cap(period)))?.count ?? 0;
  }
}
