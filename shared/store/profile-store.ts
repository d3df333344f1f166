/**
 * Where PROFILE items live. The port is batch-shaped on purpose: enrich reads the profiles of a
 * whole batch in one call and writes the changed ones in one call, never one read per record.
 * DynamoDB implements it in shared/adapters/dynamo-profile-store.ts (BatchGetItem and
 * BatchWriteItem); the in-memory implementation here backs replay and benchmarks with the same
 * semantics.
 */
import type { ConsentEntry, Profile } from './profile';
import type { Tombstone } from '../privacy/tombstone';

/** What enrich reads of a batch's customers: their profiles and, for the erased, their tombstones. */
export interface CustomerRecords {
  profiles: Map<string, Profile>;
  tombstones: Map<string, Tombstone>;
}

export interface ProfileStore {
  /** The stored profiles of these customers; a customer without one is absent from the map. */
  getProfiles(customerKeys: readonly string[]): Promise<Map<string, Profile>>;
  /**
   * The profiles and tombstones (shared/privacy/tombstone.ts) of these customers, in one read,
   * consistent: an erasure or a revocation written a moment ago is seen.
   */
  getCustomerRecords(customerKeys: readonly string[]): Promise<CustomerRecords>;
  /** Writes whole profiles (last write wins). One call per batch. */
  putProfiles(profiles: readonly Profile[]): Promise<void>;
}

const PROFILE_FIELDS = ['customerKey', 'consent', 'consentUpdatedAt', 'consentSeq', 'consentHistory', 'timezone', 'homeArea', 'externalId', 'updatedAt'] as const;

const copyEntry = (e: ConsentEntry): ConsentEntry => ({ at: e.at, ...(e.seq !== undefined ? { seq: e.seq } : {}), consent: { ...e.consent } });

/** Copies only the Profile fields, so neither table keys nor stray attributes leak into the domain. */
export function pickProfile(source: Record<string, unknown>): Profile {
  const out: Record<string, unknown> = {};
  for (const f of PROFILE_FIELDS) if (source[f] !== undefined) out[f] = source[f];
  out.consent = { ...((source.consent as Record<string, boolean> | undefined) ?? {}) };
  if (Array.isArray(source.consentHistory)) {
    out.consentHistory = (source.consentHistory as ConsentEntry[]).map(copyEntry);
  }
  return out as unknown as Profile;
}

/** A Profile is flat but for consent: a two-level copy keeps callers from sharing state (and is far cheaper than structuredClone). */
const copy = (p: Profile): Profile => ({
  ...p,
  consent: { ...p.consent },
  ...(p.consentHistory ? { consentHistory: p.consentHistory.map(copyEntry) } : {}),
});

/** Profiles in a Map: replay, benchmarks and tests. Counts its calls so tests can assert "one read per batch". */
export class InMemoryProfileStore implements ProfileStore {
  readonly profiles = new Map<string, Profile>();
  readonly tombstones = new Map<string, Tombstone>();
  /** `getProfiles` counts both reads (getProfiles and getCustomerRecords): one per batch. */
  readonly calls = { getProfiles: 0, putProfiles: 0 };

  async getProfiles(customerKeys: readonly string[]): Promise<Map<string, Profile>> {
    this.calls.getProfiles++;
    const out = new Map<string, Profile>();
    for (const k of customerKeys) {
      const p = this.profiles.get(k);
      if (p) out.set(k, copy(p));
    }
    return out;
  }

  async getCustomerRecords(customerKeys: readonly string[]): Promise<CustomerRecords> {
    const profiles = await this.getProfiles(customerKeys);
    const tombstones = new Map<string, Tombstone>();
    for (const k of customerKeys) {
      const t = this.tombstones.get(k);
      if (t) tombstones.set(k, { ...t });
    }
    return { profiles, tombstones };
  }

  async putProfiles(profiles: readonly Profile[]): Promise<void> {
    this.calls.putProfiles++;
    for (const p of profiles) this.profiles.set(p.customerKey, copy(p));
  }
}
