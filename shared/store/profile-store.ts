/**
 * Where PROFILE items live. The port is batch-shaped on purpose: enrich reads the profiles of a
 * whole batch in one call (BatchGetItem, UnprocessedKeys retried) and writes the changed ones in
 * one call (BatchWriteItem, UnprocessedItems retried), never one GetItem per record.
 * The in-memory implementation backs replay and benchmarks with the same semantics.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite, type Item } from '../adapters/dynamo';
import type { RequestCounter } from '../adapters/request-counter';
import type { RetryPolicy } from '../adapters/retry';
import { customerPk, SK, TABLE_KEYS, ttlFromNow } from './keys';
import type { ConsentEntry, Profile } from './profile';
import { tombstoneOf, type Tombstone } from '../privacy/tombstone';

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

export class DynamoProfileStore implements ProfileStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: { counter?: RequestCounter; retry?: RetryPolicy; retentionDays?: number } = {},
  ) {}

  async getProfiles(customerKeys: readonly string[]): Promise<Map<string, Profile>> {
    return (await this.read(customerKeys, false)).profiles;
  }

  getCustomerRecords(customerKeys: readonly string[]): Promise<CustomerRecords> {
    return this.read(customerKeys, true);
  }

  /** One BatchGetItem per 100 keys for both kinds of item (one call for a batch of up to 50 customers). */
  private async read(customerKeys: readonly string[], withTombstones: boolean): Promise<CustomerRecords> {
    const out: CustomerRecords = { profiles: new Map(), tombstones: new Map() };
    if (customerKeys.length === 0) return out;
    const sortKeys = withTombstones ? [SK.profile, SK.tombstone] : [SK.profile];
    const items = await batchGet(
      this.doc,
      this.table,
      customerKeys.flatMap((k) => sortKeys.map((sk) => ({ [TABLE_KEYS.partitionKey]: customerPk(k), [TABLE_KEYS.sortKey]: sk }))),
      { keyNames: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey], counter: this.opts.counter, retry: this.opts.retry, consistent: withTombstones },
    );
    for (const item of items) {
      if (item[TABLE_KEYS.sortKey] === SK.tombstone) {
        const t = tombstoneOf(item);
        if (t) out.tombstones.set(t.customerKey, t);
        continue;
      }
      const profile = pickProfile(item);
      if (typeof profile.customerKey === 'string') out.profiles.set(profile.customerKey, profile);
    }
    return out;
  }

  async putProfiles(profiles: readonly Profile[]): Promise<void> {
    if (profiles.length === 0) return;
    // BatchWriteItem refuses two writes to one key in a call: the last one of a customer wins.
    const latest = new Map<string, Profile>();
    for (const p of profiles) latest.set(p.customerKey, p);
    const requests = [...latest.values()].map((p) => {
      const item: Item = {
        ...pickProfile(p as unknown as Record<string, unknown>),
        [TABLE_KEYS.partitionKey]: customerPk(p.customerKey),
        [TABLE_KEYS.sortKey]: SK.profile,
      };
      // An idle profile expires; the clock is the profile's own update time, so a replay is deterministic.
      if (this.opts.retentionDays) item[TABLE_KEYS.ttl] = ttlFromNow(Date.parse(p.updatedAt), this.opts.retentionDays);
      return { put: item };
    });
    await batchWrite(this.doc, this.table, requests, { counter: this.opts.counter, retry: this.opts.retry });
  }
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
