/**
 * The right to erasure: every item of one customer deleted, paging through the partition
 * (Query for the keys, BatchWriteItem deletes of 25, UnprocessedItems retried), then
 * `Customer Erased` published so that subscribers erase their copies. Idempotent: erasing an
 * erased customer deletes nothing and announces it again (a retry after a failed publish must).
 *
 * A signal in flight can recreate an item while the erasure runs (a profile, a state): the
 * partition is read again after each pass, until a pass finds nothing or MAX_PASSES is reached.
 */
import type { EventPublisher } from '../adapters/events';
import { batchWrite } from '../adapters/dynamo';
import type { RetryPolicy } from '../adapters/retry';
import { DETAIL_TYPES, type CustomerErasedDetail } from '../contracts/events';
import { validateCustomerErased } from '../contracts/validate';
import { TABLE_KEYS } from '../store/keys';
import type { PrivacyStoreDeps } from './access';
import { customerItemPages } from './customer-items';
import { emptyCounts, itemKindOf, type ItemKind } from './item-kinds';

const MAX_PASSES = 3;

export interface ErasureReport {
  customerKey: string;
  requestId: string;
  erasedAt: string;
  itemsDeleted: number;
  byKind: Record<ItemKind, number>;
}

export interface EraseDeps extends PrivacyStoreDeps {
  publisher: EventPublisher;
  retry?: RetryPolicy;
}

/** Deletes the partition's items; answers what was deleted, by kind. */
export async function deleteCustomerItems(deps: EraseDeps, customerKey: string): Promise<Record<ItemKind, number>> {
  const byKind = emptyCounts();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let found = 0;
    // Deleting the page just read does not disturb paging: ExclusiveStartKey need not exist.
    for await (const page of customerItemPages(deps.doc, deps.table, customerKey, { counter: deps.counter, keysOnly: true, pageSize: deps.pageSize })) {
      if (page.length === 0) continue;
      found += page.length;
      await batchWrite(
        deps.doc,
        deps.table,
        page.map((item) => ({
          delete: { [TABLE_KEYS.partitionKey]: String(item[TABLE_KEYS.partitionKey]), [TABLE_KEYS.sortKey]: String(item[TABLE_KEYS.sortKey]) },
        })),
        { counter: deps.counter, retry: deps.retry },
      );
      for (const item of page) byKind[itemKindOf(String(item[TABLE_KEYS.sortKey]))]++;
    }
    if (found === 0) break;
  }
  return byKind;
}

export async function eraseCustomer(deps: EraseDeps, customerKey: string, requestId: string, now: () => Date): Promise<ErasureReport> {
  const byKind = await deleteCustomerItems(deps, customerKey);
  const itemsDeleted = Object.values(byKind).reduce((a, b) => a + b, 0);
  const erasedAt = now().toISOString();
  const detail: CustomerErasedDetail = { version: 1, customerKey, requestId, erasedAt, itemsDeleted };
  const check = validateCustomerErased(detail);
  if (!check.ok) throw new Error(`Customer Erased does not match its schema: ${check.error}`);
  await deps.publisher.publish([{ detailType: DETAIL_TYPES.customerErased, detail, time: new Date(erasedAt) }]);
  return { customerKey, requestId, erasedAt, itemsDeleted, byKind };
}
