/**
 * The ProfileStore (shared/store/profile-store.ts) on the single table: the profiles of a batch
 * read in one BatchGetItem (UnprocessedKeys retried), the changed ones written in one
 * BatchWriteItem (UnprocessedItems retried).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite, type Item } from './dynamo';
import type { RequestCounter } from './request-counter';
import type { RetryPolicy } from './retry';
import { customerPk, SK, TABLE_KEYS, ttlFromNow } from '../store/keys';
import type { Profile } from '../store/profile';
import { pickProfile, type CustomerRecords, type ProfileStore } from '../store/profile-store';
import { tombstoneOf } from '../privacy/tombstone';

/** What DynamoDBProfileStore sends: infra grants these to a function that uses the `profiles` port. */
export const PROFILE_STORE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'] as const;
/** The guards (ProfileGuardReader) read through the profile store's batch read only. */
export const GUARD_READER_ACTIONS = ['dynamodb:BatchGetItem'] as const;

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
