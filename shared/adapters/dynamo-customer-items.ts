/**
 * The CustomerItemStore of privacy (shared/privacy/customer-store.ts) on the single table. One
 * customer's partition is read page by page: one Query per page on `pk = C#<customerKey>`,
 * strongly consistent. The key condition is the only way in, so nothing of another customer can
 * be reached through it. Deletes are BatchWriteItem (25 a call, UnprocessedItems retried).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from './dynamo';
import { writeTombstone } from './dynamo-tombstones';
import type { RequestCounter } from './request-counter';
import type { RetryPolicy } from './retry';
import { CUSTOMER_KEY_PATTERN, type CustomerItemStore, type TableItem } from '../privacy/customer-store';
import type { Tombstone } from '../privacy/tombstone';
import { customerPk, SK, TABLE_KEYS } from '../store/keys';
import { stateOfItem } from './dynamo-state-store';
import { momentItemForAccess } from '../store/moment-codec';

function readable(item: TableItem): TableItem {
  // A moment item is packed too (shared/store/moment-codec.ts).
  if (String(item[TABLE_KEYS.sortKey]).startsWith('M#')) return momentItemForAccess(item) as TableItem;
  if (item[TABLE_KEYS.sortKey] !== SK.state || item.v === undefined) return item;
  const state = stateOfItem(item);
  return { [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey], [TABLE_KEYS.sortKey]: SK.state, kind: 'state', ...(state ? { state } : {}), [TABLE_KEYS.ttl]: item[TABLE_KEYS.ttl] } as TableItem;
}

/** What DynamoCustomerItems sends (the partition's pages, batch deletes, the tombstone): infra grants these to a function that uses the `customers` port. */
export const CUSTOMER_ITEMS_ACTIONS = ['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'] as const;

export interface CustomerQueryOptions {
  counter?: RequestCounter;
  /** Only the keys (erasure needs nothing else). */
  keysOnly?: boolean;
  /** Items per page (DynamoDB also stops at 1 MB); tests make it small to exercise paging. */
  pageSize?: number;
}

export async function* customerItemPages(
  doc: DynamoDBDocumentClient,
  table: string,
  customerKey: string,
  opts: CustomerQueryOptions = {},
): AsyncGenerator<TableItem[]> {
  if (!CUSTOMER_KEY_PATTERN.test(customerKey)) throw new Error('customerKey: must be 64 lower-case hex characters');
  let start: Record<string, unknown> | undefined;
  do {
    opts.counter?.add('dynamodb.Query');
    const res = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, ...(opts.keysOnly ? { '#sk': TABLE_KEYS.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': customerPk(customerKey) },
        ...(opts.keysOnly ? { ProjectionExpression: '#pk, #sk' } : {}),
        ConsistentRead: true,
        ...(opts.pageSize ? { Limit: opts.pageSize } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (res.Items ?? []) as TableItem[];
    // The STATE and moment items are stored packed (shared/store/*-codec.ts); what a customer gets is readable.
    yield opts.keysOnly ? items : items.map(readable);
    start = res.LastEvaluatedKey;
  } while (start);
}

export interface DynamoCustomerItemsOptions {
  counter?: RequestCounter;
  retry?: RetryPolicy;
  /** Items per Query page; tests make it small to exercise paging. */
  pageSize?: number;
}

export class DynamoCustomerItems implements CustomerItemStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: DynamoCustomerItemsOptions = {},
  ) {}

  itemPages(customerKey: string, opts: { keysOnly?: boolean } = {}): AsyncIterable<TableItem[]> {
    return customerItemPages(this.doc, this.table, customerKey, { counter: this.opts.counter, pageSize: this.opts.pageSize, keysOnly: opts.keysOnly });
  }

  deleteItems(keys: readonly Record<string, string>[]): Promise<void> {
    return batchWrite(this.doc, this.table, keys.map((key) => ({ delete: key })), { counter: this.opts.counter, retry: this.opts.retry });
  }

  putTombstone(tombstone: Tombstone, retentionDays: number | undefined): Promise<void> {
    return writeTombstone(this.doc, this.table, tombstone, retentionDays, this.opts.counter);
  }
}
