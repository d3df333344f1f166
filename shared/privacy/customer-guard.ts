/**
 * What a stage after enrich must know of a customer before it processes their signals: whether
 * they were erased (their tombstone) and whether they have withdrawn personalization since the
 * signal was enriched (their PROFILE now). A revocation or an erasure applies to everything not yet
 * processed; the enriched stream can hold a customer's signals for as long as its retention.
 */
import type { CustomerRecords, ProfileStore } from '../store/profile-store';
import type { Tombstone } from './tombstone';

export interface CustomerGuards {
  tombstones: Map<string, Tombstone>;
  /** Customers whose profile now refuses personalization (no profile: nothing withdrawn, nothing known). */
  withdrawn: Set<string>;
}

export interface GuardReader {
  /** One consistent read for the batch; throws when it cannot be made (the batch is retried). */
  readGuards(customerKeys: readonly string[]): Promise<CustomerGuards>;
}

export function guardsOf(records: CustomerRecords): CustomerGuards {
  const withdrawn = new Set<string>();
  for (const [key, profile] of records.profiles) if (profile.consent?.personalization !== true) withdrawn.add(key);
  return { tombstones: records.tombstones, withdrawn };
}

/** From the profiles and tombstones where enrich keeps them (DynamoDB, or memory in replay). */
export class ProfileGuardReader implements GuardReader {
  constructor(private readonly profiles: ProfileStore) {}
  async readGuards(customerKeys: readonly string[]): Promise<CustomerGuards> {
    if (customerKeys.length === 0) return { tombstones: new Map(), withdrawn: new Set() };
    return guardsOf(await this.profiles.getCustomerRecords(customerKeys));
  }
}

/**
 * For offline evaluation of recorded history, where nobody has a profile or was erased: the score
 * stage runs as deployed, with nothing to drop. Never for a stage that serves customers.
 */
export const NOTHING_WITHDRAWN: GuardReader = {
  readGuards: async () => ({ tombstones: new Map(), withdrawn: new Set() }),
};
