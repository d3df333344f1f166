/**
 * The kinds of item in a customer's partition, by sort key (shared/store/keys.ts). Access
 * groups by them and erasure counts by them.
 */
export const ITEM_KINDS = ['profile', 'state', 'moments', 'notifications', 'notify', 'caps', 'cooldowns', 'decisions', 'tombstone', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export function itemKindOf(sortKey: string): ItemKind {
  if (sortKey === 'PROFILE') return 'profile';
  if (sortKey === 'STATE') return 'state';
  if (sortKey.startsWith('M#')) return 'moments';
  if (sortKey.startsWith('N#')) return 'notifications';
  // Notify's decisions, cap slots and cooldowns (shared/notify/notify-item.ts).
  if (sortKey === 'NOTIFY') return 'notify';
  // The items NOTIFY replaced (issue 12), still found in a partition written before it until their TTL.
  if (sortKey.startsWith('CAP#')) return 'caps';
  if (sortKey.startsWith('COOL#')) return 'cooldowns';
  if (sortKey.startsWith('DEC#')) return 'decisions';
  if (sortKey === 'TOMBSTONE') return 'tombstone';
  // Kinds added later are still read and erased: the partition is the customer's, whole.
  return 'other';
}

export const emptyCounts = (): Record<ItemKind, number> =>
  Object.fromEntries(ITEM_KINDS.map((k) => [k, 0])) as Record<ItemKind, number>;
