/**
 * The single-table layout of DESIGN.md: one partition per customer, item kinds in the sort key,
 * so one Query reads a customer whole and one Query plus batch deletes erase them.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk', ttl: 'expiresAt' } as const;

export const customerPk = (customerKey: string): string => `C#${customerKey}`;
export const SK = {
  profile: 'PROFILE',
  state: 'STATE',
  moment: (isoTime: string, momentId: string) => `M#${isoTime}#${momentId}`,
  notification: (isoTime: string, notificationId: string) => `N#${isoTime}#${notificationId}`,
  /**
   * Notify's item (shared/notify/notify-item.ts): decisions, cap slots, cooldowns. Sorts after
   * every `N#…` and before PROFILE, so one Query of NOTIFY..TOMBSTONE reads what a decision needs.
   */
  notify: 'NOTIFY',
  /** What an erasure leaves: the key and when (shared/privacy/tombstone.ts); never deleted by erasure. */
  tombstone: 'TOMBSTONE',
} as const;

export const ttlFromNow = (nowMs: number, days: number): number => Math.floor(nowMs / 1000) + Math.round(days * 86400);
