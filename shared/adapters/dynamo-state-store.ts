/**
 * The scorer's StateStore (shared/scoring/ports.ts) on DynamoDB, the single table of
 * shared/store/keys.ts; the in-memory one (replay, benchmarks, tests) is
 * shared/store/in-memory-state-store.ts.
 *
 * DynamoDB items:
 * - `STATE`: `{ pk, sk: 'STATE', v: 2, w, …, expiresAt }`, the compact encoding of
 *   shared/store/state-codec.ts (under 1 KB: one write unit), read for a whole batch with one
 *   BatchGetItem (a version 1 item, `state: ScoreState`, is still read), written with
 *   BatchWriteItem once per customer whose state a batch changed; the TTL runs
 *   `retention.idleStateDays` from the latest signal.
 * - `M#<detectedAt>#<momentId>`: `{ pk, sk, v: 2, i, s, …, expiresAt }`, the compact encoding of
 *   shared/store/moment-codec.ts (under 1 KB; `momentOfItem` decodes either version), written
 *   with a conditional put (`attribute_not_exists(pk)`), so a redelivery never writes a
 *   moment twice; the TTL runs `retention.momentsDays` from detection.
 * TTLs are computed from signal times (not the clock), so a replayed batch writes the same items.
 * No transactions: dynalite has none, and the ordering in shared/scoring/pipeline.ts makes them
 * unnecessary.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchWrite, type Item } from './dynamo';
import { chunk, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';
import type { MomentDetectedDetail } from '../contracts/events';
import type { RetentionSettings } from '../config/types';
import type { MomentWriteOutcome, StateStore } from '../scoring/ports';
import type { ScoreState } from '../scoring/state';
import { customerPk, SK, TABLE_KEYS, ttlFromNow } from '../store/keys';
import { encodeState, stateFromItem } from '../store/state-codec';
import { encodeMoment } from '../store/moment-codec';

/** What DynamoStateStore sends: infra grants these to a function that uses the `states` port. */
export const STATE_STORE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem'] as const;

export const momentItem = (m: MomentDetectedDetail, retention: Pick<RetentionSettings, 'momentsDays'>): Item => ({
  [TABLE_KEYS.partitionKey]: customerPk(m.customerKey),
  [TABLE_KEYS.sortKey]: SK.moment(m.detectedAt, m.momentId),
  ...encodeMoment(m),
  [TABLE_KEYS.ttl]: ttlFromNow(Date.parse(m.detectedAt), retention.momentsDays),
});

/** The customer key is the partition key's: it is not stored again. */
export const stateItem = (s: ScoreState, retention: Pick<RetentionSettings, 'idleStateDays'>): Item => ({
  [TABLE_KEYS.partitionKey]: customerPk(s.customerKey),
  [TABLE_KEYS.sortKey]: SK.state,
  ...encodeState(s),
  [TABLE_KEYS.ttl]: ttlFromNow(s.watermarkMs, retention.idleStateDays),
});

/** The customer key of a `C#<key>` partition key. */
export const customerKeyOfPk = (pk: unknown): string => String(pk).slice(2);

/** The state of a STATE item of either version (undefined when it holds none). */
export const stateOfItem = (item: Item): ScoreState | undefined => stateFromItem(customerKeyOfPk(item[TABLE_KEYS.partitionKey]), item);

const KEY_NAMES = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey] as const;

/** Conditional puts in flight at once: enough to hide latency, few enough not to throttle. */
const PUT_CONCURRENCY = 16;

export interface DynamoStateStoreOptions {
  retention: Pick<RetentionSettings, 'momentsDays' | 'idleStateDays'>;
  counter?: RequestCounter;
  retry?: RetryPolicy;
}

export class DynamoStateStore implements StateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: DynamoStateStoreOptions,
  ) {}

  async getStates(customerKeys: readonly string[]): Promise<Map<string, ScoreState>> {
    const out = new Map<string, ScoreState>();
    if (customerKeys.length === 0) return out;
    const items = await batchGet(
      this.doc,
      this.table,
      customerKeys.map((k) => ({ [TABLE_KEYS.partitionKey]: customerPk(k), [TABLE_KEYS.sortKey]: SK.state })),
      { keyNames: KEY_NAMES, counter: this.opts.counter, retry: this.opts.retry },
    );
    for (const item of items) {
      const state = stateOfItem(item);
      if (state) out.set(state.customerKey, state);
    }
    return out;
  }

  async putMoments(moments: readonly MomentDetectedDetail[]): Promise<MomentWriteOutcome[]> {
    const outcomes: MomentWriteOutcome[] = new Array(moments.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < moments.length) {
        const i = next++;
        outcomes[i] = await this.putMoment(moments[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, moments.length) }, worker));
    return outcomes;
  }

  private async putMoment(m: MomentDetectedDetail): Promise<MomentWriteOutcome> {
    try {
      this.opts.counter?.add('dynamodb.PutItem');
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: momentItem(m, this.opts.retention),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      );
      return { status: 'written' };
    } catch (err) {
      // Already written by an earlier delivery of the same record: the id is deterministic.
      if ((err as Error).name === 'ConditionalCheckFailedException') return { status: 'exists' };
      return { status: 'failed', error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  async putStates(states: readonly ScoreState[]): Promise<{ failed: string[] }> {
    const failed: string[] = [];
    // One BatchWriteItem request (25 items) at a time, so a failure is pinned to its customers.
    for (const part of chunk([...states], 25)) {
      try {
        await batchWrite(
          this.doc,
          this.table,
          part.map((s) => ({ put: stateItem(s, this.opts.retention) })),
          { counter: this.opts.counter, retry: this.opts.retry },
        );
      } catch {
        failed.push(...part.map((s) => s.customerKey));
      }
    }
    return { failed };
  }
}
