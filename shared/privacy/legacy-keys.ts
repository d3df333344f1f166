/**
 * Access and erasure of a customer named by id cover two partitions: the one under today's
 * namespaced key, and the one the same id had before keys were namespaced (legacyKey), which a
 * table written by an earlier version keeps until its items expire (retention.profileDays at
 * most). Both are the same id's data; the legacy one may also hold an anonymous visitor's whose
 * anonymous id equalled this user id (the collision namespacing ends), so erasure deletes it and
 * access shows it apart, labelled.
 */
import { accessCustomer, type AccessDocument, type PrivacyStoreDeps } from './access';
import { eraseCustomer, type EraseDeps, type ErasureReport } from './erase';
import type { ResolvedCustomer } from './customer-ref';

export interface AccessWithLegacy extends AccessDocument {
  /** The partition under the key the same id had before 0.2, when it still holds items. */
  legacy?: AccessDocument;
}

export interface ErasureWithLegacy extends ErasureReport {
  /** The erasure of the partition under the pre-0.2 key, when the request named an id. */
  legacy?: ErasureReport;
}

const total = (d: AccessDocument): number => Object.values(d.counts).reduce((a, b) => a + b, 0);

export async function accessCustomerAndLegacy(deps: PrivacyStoreDeps, who: ResolvedCustomer, now: Date): Promise<AccessWithLegacy> {
  const document: AccessWithLegacy = await accessCustomer(deps, who.customerKey, now);
  if (who.legacyKey !== undefined) {
    const legacy = await accessCustomer(deps, who.legacyKey, now);
    if (total(legacy) > 0) document.legacy = legacy;
  }
  return document;
}

export async function eraseCustomerAndLegacy(deps: EraseDeps, who: ResolvedCustomer, requestId: string, now: () => Date): Promise<ErasureWithLegacy> {
  const report: ErasureWithLegacy = await eraseCustomer(deps, who.customerKey, requestId, now);
  // Announced too (Customer Erased under the old key): subscribers may hold copies under it. The
  // stages no longer write under it, so nothing in flight can recreate it (no tombstone, no wait),
  // and the quarantine was searched by the customer's ids already.
  if (who.legacyKey !== undefined) {
    report.legacy = await eraseCustomer({ ...deps, settleMs: 0, quarantines: [], leaveTombstone: false }, who.legacyKey, requestId, now);
  }
  return report;
}
