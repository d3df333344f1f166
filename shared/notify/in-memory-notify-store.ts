/**
 * NotifyStore in memory, with the semantics of DynamoNotifyStore (each operation atomic, the
 * same conditions, the NOTIFY item stored encoded as on the table): property tests, replay and
 * benchmarks. `failNextWrites` refuses that many NOTIFY writes as if another invocation had
 * written first (tests of the re-read and re-decide path).
 */
import { weekOfDay } from '../guardrails/reservations';
import { SK } from '../store/keys';
import type { Profile } from '../store/profile';
import type { Tombstone } from '../privacy/tombstone';
import { decodeNotifyItem, encodeNotifyItem, type NotifyAttributes, type NotifyItem } from './notify-item';
import type { CustomerSnapshot, NotificationRecord, NotifyStore } from './notify-store';

export class InMemoryNotifyStore implements NotifyStore {
  readonly profiles = new Map<string, Profile>();
  readonly tombstones = new Map<string, Tombstone>();
  /** customerKey → the NOTIFY item's attributes, as written. */
  readonly notifyItems = new Map<string, NotifyAttributes & { expiresAt: number }>();
  /** `customerKey|N#…` → audit item. */
  readonly audit = new Map<string, NotificationRecord>();
  failNextWrites = 0;

  private auditKey(customerKey: string, decidedAt: string, notificationId: string) {
    return `${customerKey}|${SK.notification(decidedAt, notificationId)}`;
  }

  async getCustomer(customerKey: string): Promise<CustomerSnapshot> {
    const profile = this.profiles.get(customerKey);
    const tombstone = this.tombstones.get(customerKey);
    return {
      ...(profile ? { profile: structuredClone(profile) } : {}),
      ...(tombstone ? { tombstone: { ...tombstone } } : {}),
      notify: this.notifyOf(customerKey),
    };
  }

  async writeNotify(customerKey: string, item: NotifyItem, expiresAt: number): Promise<boolean> {
    if (this.failNextWrites > 0) {
      this.failNextWrites--;
      return false;
    }
    const stored = this.notifyItems.get(customerKey);
    if ((stored?.v ?? 0) !== item.version) return false;
    this.notifyItems.set(customerKey, { ...encodeNotifyItem(item, item.version + 1), expiresAt });
    return true;
  }

  async getAudit(customerKey: string, decidedAt: string, notificationId: string): Promise<NotificationRecord | undefined> {
    const r = this.audit.get(this.auditKey(customerKey, decidedAt, notificationId));
    return r ? structuredClone(r) : undefined;
  }

  async findAudit(customerKey: string, notificationId: string, decidedFrom: string): Promise<NotificationRecord | undefined> {
    for (const r of this.audit.values()) {
      if (r.customerKey === customerKey && r.notificationId === notificationId && r.decidedAt >= decidedFrom) return structuredClone(r);
    }
    return undefined;
  }

  async putAudit(record: NotificationRecord): Promise<void> {
    const key = this.auditKey(record.customerKey, record.decidedAt, record.notificationId);
    if (!this.audit.has(key)) this.audit.set(key, structuredClone(record));
  }

  /** The customer's NOTIFY item, decoded (tests). */
  notifyOf(customerKey: string): NotifyItem {
    return decodeNotifyItem(this.notifyItems.get(customerKey));
  }

  /** How many cap slots a customer holds in a period, `D#2026-11-24` or `W#2026-W48` (tests). */
  capCount(customerKey: string, period: string): number {
    const r = this.notifyOf(customerKey).reservations;
    const [kind, value] = [period.slice(0, 2), period.slice(2)];
    let total = 0;
    for (const [day, holders] of r.capDays) if ((kind === 'D#' ? day : weekOfDay(day)) === value) total += holders.length;
    return total;
  }
}
