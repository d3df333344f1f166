/**
 * The right to erasure, in this order:
 *
 * 1. the **tombstone** `{ customerKey, erasedAt }` (tombstone.ts): from now on enrich, score and
 *    notify drop whatever was stamped, arrived or detected before the erasure, so a signal or
 *    moment in flight cannot recreate what is deleted next;
 * 2. every other item of the partition deleted, a page of keys at a time (through the
 *    CustomerItemStore port: Query and BatchWriteItem on DynamoDB), read again until a pass finds nothing;
 * 3. the customer's records in the quarantine, where they can be found (quarantine-purge.ts);
 * 4. after `settleMs` (the longest a stage invocation runs, so every one that read before the
 *    tombstone has finished), one more sweep of the partition: what those wrote goes too;
 * 5. `Customer Erased` published, so that subscribers erase their copies.
 *
 * Idempotent: erasing an erased customer deletes nothing, moves the tombstone forward and
 * announces it again (a retry after a failed publish must).
 */
import type { EventPublisher } from '../events/publisher';
import { sleep as defaultSleep } from '../adapters/retry';
import { DETAIL_TYPES, type CustomerErasedDetail } from '../contracts/events';
import { validateCustomerErased } from '../contracts/validate';
import { SK, TABLE_KEYS, ttlFromNow } from '../store/keys';
import type { PrivacyStoreDeps } from './access';
import { emptyCounts, itemKindOf, type ItemKind } from './item-kinds';
import type { QuarantinePurge, QuarantinePurgeReport } from './quarantine-purge';

const MAX_PASSES = 3;

export interface ErasureReport {
  customerKey: string;
  requestId: string;
  erasedAt: string;
  itemsDeleted: number;
  byKind: Record<ItemKind, number>;
  /** When the tombstone expires (ISO); null: kept for ever (an archive kept for ever), or none left. */
  tombstoneUntil: string | null;
  /** One report per quarantine searched (SQS, local files). */
  quarantine: QuarantinePurgeReport[];
}

export interface EraseDeps extends PrivacyStoreDeps {
  publisher: EventPublisher;
  /** How long the tombstone is kept: tombstoneRetentionDays(config); undefined: for ever. */
  tombstoneDays: number | undefined;
  /** Wait before the last sweep: the longest a stage invocation runs (erasureSettleMs(config)). */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  quarantines?: QuarantinePurge[];
  /** False for a partition nothing writes to any more (keys before 0.2): no tombstone needed. */
  leaveTombstone?: boolean;
}

/** Deletes the partition's items but the tombstone; answers what was deleted, by kind. */
export async function deleteCustomerItems(deps: EraseDeps, customerKey: string, byKind = emptyCounts()): Promise<Record<ItemKind, number>> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let found = 0;
    // Deleting the page just read does not disturb paging: ExclusiveStartKey need not exist.
    for await (const page of deps.customers.itemPages(customerKey, { keysOnly: true })) {
      const doomed = page.filter((item) => item[TABLE_KEYS.sortKey] !== SK.tombstone);
      if (doomed.length === 0) continue;
      found += doomed.length;
      await deps.customers.deleteItems(
        doomed.map((item) => ({ [TABLE_KEYS.partitionKey]: String(item[TABLE_KEYS.partitionKey]), [TABLE_KEYS.sortKey]: String(item[TABLE_KEYS.sortKey]) })),
      );
      for (const item of doomed) byKind[itemKindOf(String(item[TABLE_KEYS.sortKey]))]++;
    }
    if (found === 0) break;
  }
  return byKind;
}

export async function eraseCustomer(deps: EraseDeps, customerKey: string, requestId: string, now: () => Date): Promise<ErasureReport> {
  const erasedAt = now().toISOString();
  if (deps.leaveTombstone !== false) await deps.customers.putTombstone({ customerKey, erasedAt }, deps.tombstoneDays);
  const byKind = await deleteCustomerItems(deps, customerKey);
  const quarantine: QuarantinePurgeReport[] = [];
  for (const q of deps.quarantines ?? []) quarantine.push(await q.purge(customerKey));
  if (deps.settleMs && deps.settleMs > 0) {
    await (deps.sleep ?? defaultSleep)(deps.settleMs);
    await deleteCustomerItems(deps, customerKey, byKind);
  }
  const itemsDeleted = Object.values(byKind).reduce((a, b) => a + b, 0);
  const detail: CustomerErasedDetail = { version: 1, customerKey, requestId, erasedAt, itemsDeleted };
  const check = validateCustomerErased(detail);
  if (!check.ok) throw new Error(`Customer Erased does not match its schema: ${check.error}`);
  await deps.publisher.publish([{ detailType: DETAIL_TYPES.customerErased, detail, time: new Date(erasedAt) }]);
  const tombstoneUntil =
    deps.leaveTombstone === false || deps.tombstoneDays === undefined
      ? null : new Date(ttlFromNow(Date.parse(erasedAt), deps.tombstoneDays) * 1000).toISOString();
  return { customerKey, requestId, erasedAt, itemsDeleted, byKind, tombstoneUntil, quarantine };
}

/**
 * How long to wait before the last sweep: the longest invocation of a stage that writes to the
 * customer's partition (enrich, score, notify), plus 5 s. One that read before the tombstone has
 * finished its writes by then.
 */
export function erasureSettleMs(config: { functions: Record<'enrich' | 'score' | 'notify', { timeoutSeconds: number }> }): number {
  const f = config.functions;
  return Math.max(f.enrich.timeoutSeconds, f.score.timeoutSeconds, f.notify.timeoutSeconds) * 1000 + 5000;
}
