/**
 * The right of access: everything held about one customer, as one JSON document. Built from
 * the customer's partition only (customer-store.ts), grouped by kind, with every moment's
 * reasons and every notification's outcome and reason as stored, and when each item expires.
 */
import { TABLE_KEYS } from '../store/keys';
import type { CustomerItemStore, TableItem } from './customer-store';
import { emptyCounts, itemKindOf, type ItemKind } from './item-kinds';
import { decodeNotifyItem } from '../notify/notify-item';

export interface AccessItem {
  /** The item's sort key: what kind of item it is and when. */
  itemKey: string;
  /** When the item is deleted by TTL (ISO), if it has one. */
  retainedUntil?: string;
  [field: string]: unknown;
}

export interface AccessDocument {
  version: 1;
  customerKey: string;
  generatedAt: string;
  profile: AccessItem | null;
  state: AccessItem | null;
  moments: AccessItem[];
  notifications: AccessItem[];
  /**
   * What notify keeps between decisions: `notify` is the NOTIFY item decoded (decisions by the
   * first 16 hex characters of their notification id, cap slots per local day, cooldowns per
   * intent); caps, cooldowns and decisions are the items it replaced, in partitions written before.
   */
  notificationControls: { notify: NotifyAccess | null; caps: AccessItem[]; cooldowns: AccessItem[]; decisions: AccessItem[] };
  /** What an earlier erasure left: the key and when (kept so that nothing from before it comes back). */
  erasure: AccessItem | null;
  other: AccessItem[];
  counts: Record<ItemKind, number>;
}

export interface NotifyAccess extends AccessItem {
  decisions: { notification: string; state: 'pending' | 'done'; decidedAt: string; attempt: number }[];
  capSlots: { day: string; notifications: string[] }[];
  cooldowns: { intent: string; until: string; notification: string }[];
}

/** The NOTIFY item as a customer reads it: times as ISO strings, no packed body. */
export function toNotifyAccess(item: TableItem): NotifyAccess {
  const n = decodeNotifyItem(item);
  const ttl = item[TABLE_KEYS.ttl];
  return {
    itemKey: String(item[TABLE_KEYS.sortKey]),
    ...(typeof ttl === 'number' ? { retainedUntil: new Date(ttl * 1000).toISOString() } : {}),
    decisions: [...n.decisions].map(([notification, d]) => ({ notification, state: d.state, decidedAt: new Date(d.decidedAtMs).toISOString(), attempt: d.attempt })),
    capSlots: [...n.reservations.capDays].map(([day, notifications]) => ({ day, notifications })),
    cooldowns: [...n.reservations.cooldowns].map(([intent, c]) => ({ intent, until: new Date(c.untilMs).toISOString(), notification: c.holder })),
  };
}

/** Sets (the cap counters' ids) become arrays, so the document is plain JSON. */
function plain(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(plain);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export function toAccessItem(item: TableItem): AccessItem {
  const { [TABLE_KEYS.partitionKey]: _pk, [TABLE_KEYS.sortKey]: sk, [TABLE_KEYS.ttl]: ttl, ...rest } = item;
  return {
    itemKey: String(sk),
    ...(typeof ttl === 'number' ? { retainedUntil: new Date(ttl * 1000).toISOString() } : {}),
    ...(plain(rest) as Record<string, unknown>),
  };
}

export function buildAccessDocument(customerKey: string, items: TableItem[], generatedAt: Date): AccessDocument {
  const doc: AccessDocument = {
    version: 1,
    customerKey,
    generatedAt: generatedAt.toISOString(),
    profile: null,
    state: null,
    moments: [],
    notifications: [],
    notificationControls: { notify: null, caps: [], cooldowns: [], decisions: [] },
    erasure: null,
    other: [],
    counts: emptyCounts(),
  };
  for (const item of items) {
    const kind = itemKindOf(String(item[TABLE_KEYS.sortKey]));
    doc.counts[kind]++;
    const a = toAccessItem(item);
    switch (kind) {
      case 'notify':
        doc.notificationControls.notify = toNotifyAccess(item);
        break;
      case 'profile':
        doc.profile = a;
        break;
      case 'state':
        doc.state = a;
        break;
      case 'moments':
        doc.moments.push(a);
        break;
      case 'notifications':
        doc.notifications.push(a);
        break;
      case 'caps':
      case 'cooldowns':
      case 'decisions':
        doc.notificationControls[kind].push(a);
        break;
      case 'tombstone':
        doc.erasure = a;
        break;
      default:
        doc.other.push(a);
    }
  }
  return doc;
}

export interface PrivacyStoreDeps {
  customers: CustomerItemStore;
}

export async function accessCustomer(deps: PrivacyStoreDeps, customerKey: string, now: Date): Promise<AccessDocument> {
  const items: TableItem[] = [];
  for await (const page of deps.customers.itemPages(customerKey)) {
    items.push(...page);
  }
  return buildAccessDocument(customerKey, items, now);
}
