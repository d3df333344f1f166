/**
 * NotifyStore (shared/notify/notify-store.ts) on the single table. Every write is a single-item conditional write (no
 * transactions: dynalite has none, and the marker states make them unnecessary).
 *
 * Caps: `CAP#D#<local date>` / `CAP#W#<ISO week>` items hold `count` and `ids` (the string set
 * of notification ids holding a slot). Taking a slot is
 *   UpdateItem ADD #count :one, #ids :id
 *   ConditionExpression (attribute_not_exists(#count) OR #count < :cap) AND NOT contains(#ids, :idValue)
 * which DynamoDB evaluates and applies atomically: N concurrent invocations take at most `cap`
 * slots. `ids` makes it idempotent: a retry of a notification that holds a slot finds it (the
 * condition fails, a consistent read shows the id) instead of taking a second one.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from './request-counter';
import type { MomentIntent } from '../contracts/enriched';
import { customerPk, SK, TABLE_KEYS } from '../store/keys';
import type { Profile } from '../store/profile';
import { pickProfile } from '../store/profile-store';
import type { Tombstone } from '../privacy/tombstone';
import { readTombstone } from './dynamo-tombstones';
import type { RenderedMessage } from '../notify/render';
import type { ClaimRequest, DecisionClaim, DecisionRef, DecisionResult, NotificationRecord, NotifyStore } from '../notify/notify-store';

/** What DynamoNotifyStore sends (the tombstone read included): infra grants these to a function that uses the `notify` port. */
export const NOTIFY_STORE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

const isConditionFailure = (err: unknown) => (err as Error)?.name === 'ConditionalCheckFailedException';

export class DynamoNotifyStore implements NotifyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: { counter?: RequestCounter } = {},
  ) {}

  private key(customerKey: string, sk: string) {
    return { [TABLE_KEYS.partitionKey]: customerPk(customerKey), [TABLE_KEYS.sortKey]: sk };
  }

  private decisionKey(ref: DecisionRef) {
    return this.key(ref.customerKey, SK.decision(ref.momentId, ref.channel));
  }

  private async get(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    this.opts.counter?.add('dynamodb.GetItem');
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return res.Item;
  }

  private async update(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<Record<string, unknown> | undefined> {
    this.opts.counter?.add('dynamodb.UpdateItem');
    const res = await this.doc.send(new UpdateCommand({ TableName: this.table, ...input }));
    return res.Attributes;
  }

  async getProfile(customerKey: string): Promise<Profile | undefined> {
    const item = await this.get(this.key(customerKey, SK.profile));
    return item ? pickProfile(item) : undefined;
  }

  getTombstone(customerKey: string): Promise<Tombstone | undefined> {
    return readTombstone(this.doc, this.table, customerKey, this.opts.counter);
  }

  async claimDecision(r: ClaimRequest): Promise<DecisionClaim> {
    try {
      const item = await this.update({
        Key: this.decisionKey(r),
        UpdateExpression:
          'SET #kind = :kind, #state = if_not_exists(#state, :pending), #decidedAt = if_not_exists(#decidedAt, :decidedAt), ' +
          '#nid = :nid, #momentId = :momentId, #channel = :channel, #lease = :lease, ' +
          '#attempt = if_not_exists(#attempt, :zero) + :one, #exp = :exp',
        ConditionExpression: 'attribute_not_exists(#pk) OR (#state <> :done AND #lease < :now)',
        ExpressionAttributeNames: {
          '#pk': TABLE_KEYS.partitionKey,
          '#kind': 'kind',
          '#state': 'state',
          '#decidedAt': 'decidedAt',
          '#nid': 'notificationId',
          '#momentId': 'momentId',
          '#channel': 'channel',
          '#lease': 'leaseUntil',
          '#attempt': 'attempt',
          '#exp': TABLE_KEYS.ttl,
        },
        ExpressionAttributeValues: {
          ':kind': 'decision',
          ':pending': 'pending',
          ':done': 'done',
          ':decidedAt': r.decidedAt,
          ':nid': r.notificationId,
          ':momentId': r.momentId,
          ':channel': r.channel,
          ':lease': r.leaseUntilMs,
          ':now': r.nowMs,
          ':zero': 0,
          ':one': 1,
          ':exp': r.expiresAt,
        },
        ReturnValues: 'ALL_NEW',
      });
      const a = item ?? {};
      const decidedAt = String(a.decidedAt);
      const attempt = Number(a.attempt ?? 1);
      if (a.state === 'sent') {
        const rendered: RenderedMessage = { templateId: String(a.templateId), title: String(a.title), body: String(a.body) };
        return { kind: 'claimed', state: 'sent', decidedAt, attempt, rendered };
      }
      return { kind: 'claimed', state: 'pending', decidedAt, attempt };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const existing = await this.get(this.decisionKey(r));
      return existing?.state === 'done' ? { kind: 'done' } : { kind: 'busy' };
    }
  }

  async markSent(ref: DecisionRef, rendered: RenderedMessage): Promise<void> {
    await this.update({
      Key: this.decisionKey(ref),
      UpdateExpression: 'SET #state = :sent, #templateId = :templateId, #title = :title, #body = :body',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#state': 'state', '#templateId': 'templateId', '#title': 'title', '#body': 'body' },
      ExpressionAttributeValues: { ':sent': 'sent', ':templateId': rendered.templateId, ':title': rendered.title, ':body': rendered.body },
    });
  }

  async markDone(ref: DecisionRef, result: DecisionResult): Promise<void> {
    await this.update({
      Key: this.decisionKey(ref),
      UpdateExpression: 'SET #state = :done, #outcome = :outcome, #detail = :detail REMOVE #lease',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#state': 'state', '#outcome': 'outcome', '#detail': 'detail', '#lease': 'leaseUntil' },
      ExpressionAttributeValues: {
        ':done': 'done',
        ':outcome': result.outcome,
        ':detail': result.outcome === 'sent' ? result.templateId : result.reason,
      },
    });
  }

  async releaseLease(ref: DecisionRef): Promise<void> {
    try {
      await this.update({
        Key: this.decisionKey(ref),
        UpdateExpression: 'SET #lease = :zero',
        ConditionExpression: 'attribute_exists(#pk) AND #state <> :done',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#state': 'state', '#lease': 'leaseUntil' },
        ExpressionAttributeValues: { ':zero': 0, ':done': 'done' },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async putAudit(record: NotificationRecord): Promise<void> {
    this.opts.counter?.add('dynamodb.PutItem');
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...this.key(record.customerKey, SK.notification(record.decidedAt, record.notificationId)),
            kind: 'notification',
            notificationId: record.notificationId,
            momentId: record.momentId,
            channel: record.channel,
            intent: record.intent,
            decidedAt: record.decidedAt,
            outcome: record.outcome,
            ...(record.reason !== undefined ? { reason: record.reason } : {}),
            ...(record.templateId !== undefined ? { templateId: record.templateId } : {}),
            ...(record.message !== undefined ? { message: record.message } : {}),
            [TABLE_KEYS.ttl]: record.expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async takeCapSlot(customerKey: string, period: string, cap: number, notificationId: string, expiresAt: number): Promise<boolean> {
    // `attribute_not_exists(#count)` would let a first slot through a cap of 0.
    if (cap <= 0) return false;
    const key = this.key(customerKey, SK.cap(period));
    try {
      await this.update({
        Key: key,
        UpdateExpression: 'ADD #count :one, #ids :idSet SET #kind = :kind, #exp = :exp',
        ConditionExpression: '(attribute_not_exists(#count) OR #count < :cap) AND NOT contains(#ids, :id)',
        ExpressionAttributeNames: { '#count': 'count', '#ids': 'ids', '#kind': 'kind', '#exp': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':one': 1, ':idSet': new Set([notificationId]), ':id': notificationId, ':cap': cap, ':kind': 'cap', ':exp': expiresAt },
      });
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const item = await this.get(key);
      const ids = item?.ids;
      return ids instanceof Set && ids.has(notificationId);
    }
  }

  async releaseCapSlot(customerKey: string, period: string, notificationId: string): Promise<void> {
    try {
      await this.update({
        Key: this.key(customerKey, SK.cap(period)),
        UpdateExpression: 'ADD #count :minusOne DELETE #ids :idSet',
        ConditionExpression: 'contains(#ids, :id)',
        ExpressionAttributeNames: { '#count': 'count', '#ids': 'ids' },
        ExpressionAttributeValues: { ':minusOne': -1, ':idSet': new Set([notificationId]), ':id': notificationId },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async takeCooldown(
    customerKey: string,
    intent: MomentIntent,
    notificationId: string,
    nowMs: number,
    untilMs: number,
    expiresAt: number,
  ): Promise<boolean> {
    try {
      await this.update({
        Key: this.key(customerKey, SK.cooldown(intent)),
        UpdateExpression: 'SET #kind = :kind, #until = :until, #nid = :nid, #at = :now, #exp = :exp',
        ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now OR #nid = :nid',
        ExpressionAttributeNames: { '#kind': 'kind', '#until': 'untilMs', '#nid': 'notificationId', '#at': 'takenAtMs', '#exp': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':kind': 'cooldown', ':until': untilMs, ':nid': notificationId, ':now': nowMs, ':exp': expiresAt },
      });
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return false;
    }
  }

  async releaseCooldown(customerKey: string, intent: MomentIntent, notificationId: string): Promise<void> {
    try {
      await this.update({
        Key: this.key(customerKey, SK.cooldown(intent)),
        UpdateExpression: 'SET #until = :zero',
        ConditionExpression: '#nid = :nid',
        ExpressionAttributeNames: { '#until': 'untilMs', '#nid': 'notificationId' },
        ExpressionAttributeValues: { ':zero': 0, ':nid': notificationId },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }
}
