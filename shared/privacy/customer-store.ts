/**
 * What privacy needs of the table, as a port: one customer's partition read page by page, items
 * deleted by key, and the tombstone an erasure leaves. DynamoDB implements it in
 * shared/adapters/dynamo-customer-items.ts (Query on the partition key, BatchWriteItem deletes,
 * a conditional PutItem); access and erasure (access.ts, erase.ts) are written against this.
 */
import type { Tombstone } from './tombstone';

export type TableItem = Record<string, unknown>;

export const CUSTOMER_KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface CustomerItemStore {
  /**
   * The customer's items, a page at a time, read consistently. Only their partition can be
   * reached this way. `keysOnly`: the table keys of each item and nothing else (what erasure needs).
   */
  itemPages(customerKey: string, opts?: { keysOnly?: boolean }): AsyncIterable<TableItem[]>;
  /** Deletes the items with these table keys (UnprocessedItems retried; what still fails throws). */
  deleteItems(keys: readonly Record<string, string>[]): Promise<void>;
  /**
   * Writes the tombstone unless a later erasure's is there already (erasing again moves it
   * forward; a retry of an older request never moves it back). `retentionDays` undefined: kept for ever.
   */
  putTombstone(tombstone: Tombstone, retentionDays: number | undefined): Promise<void>;
}
