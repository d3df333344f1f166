/**
 * NotifyStore (shared/notify/notify-store.ts) on the single table: one Query, one conditional
 * PutItem of the NOTIFY item, the audit PutItem. No transactions (dynalite has none): the
 * NOTIFY item is one item, written whole with a version condition
 *   PutItem … ConditionExpression attribute_not_exists(#pk)   (version 0: no item yet)
 *   PutItem … ConditionExpression #v = :read                  (otherwise)
 * which DynamoDB evaluates and applies atomically: of N concurrent invocations that read the same
 * version, one writes and the others re-read and decide again (shared/notify/decide.ts), so caps
 * and cooldowns hold under any concurrency.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from './request-counter';
import { customerPk, SK, TABLE_KEYS } from '../store/keys';
import { pickProfile } from '../store/profile-store';
import { tombstoneOf } from '../privacy/tombstone';
import { decodeNotifyItem, encodeNotifyItem, type NotifyItem } from '../notify/notify-item';
import type { CustomerSnapshot, NotificationRecord, NotifyStore } from '../notify/notify-store';

/** What DynamoNotifyStore sends: infra grants these to a function that uses the `notify` port. */
export const NOTIFY_STORE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'] as const;

const isConditionFailure = (err: unknown) => (err as Error)?.name === 'ConditionalCheckFailedException';

const AUDIT_FIELDS = ['notificationId', 'momentId', 'channel', 'intent', 'decidedAt', 'outcome', 'reason', 'templateId', 'message'] as const;

function recordOf(customerKey: string, item: Record<string, unknown>): NotificationRecord {
  const picked = Object.fromEntries(AUDIT_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
  return { customerKey, ...picked, expiresAt: Number(item[TABLE_KEYS.ttl] ?? 0) } as NotificationRecord;
}

export class DynamoNotifyStore implements NotifyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly opts: { counter?: RequestCounter } = {},
  ) {}

  private key(customerKey: string, sk: string) {
    return { [TABLE_KEYS.partitionKey]: customerPk(customerKey), [TABLE_KEYS.sortKey]: sk };
  }

  /**
   * NOTIFY, PROFILE, (STATE,) TOMBSTONE sort next to each other: one consistent Query of that
   * key range reads them. STATE comes back too (under 1 KB, issue 12) and is ignored: a filter
   * may not name the sort key.
   */
  async getCustomer(customerKey: string): Promise<CustomerSnapshot> {
    this.opts.counter?.add('dynamodb.Query');
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey },
        ExpressionAttributeValues: { ':pk': customerPk(customerKey), ':from': SK.notify, ':to': SK.tombstone },
        ConsistentRead: true,
      }),
    );
    const items = res.Items ?? [];
    const bySk = (sk: string) => items.find((i) => i[TABLE_KEYS.sortKey] === sk);
    const profileItem = bySk(SK.profile);
    const tombstone = tombstoneOf(bySk(SK.tombstone));
    return {
      ...(profileItem ? { profile: pickProfile(profileItem) } : {}),
      ...(tombstone ? { tombstone } : {}),
      notify: decodeNotifyItem(bySk(SK.notify)),
    };
  }

  async writeNotify(customerKey: string, item: NotifyItem, expiresAt: number): Promise<boolean> {
    this.opts.counter?.add('dynamodb.PutItem');
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...this.key(customerKey, SK.notify), kind: 'notify', ...encodeNotifyItem(item, item.version + 1), [TABLE_KEYS.ttl]: expiresAt },
          ...(item.version === 0
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }
            : { ConditionExpression: '#v = :read', ExpressionAttributeNames: { '#v': 'v' }, ExpressionAttributeValues: { ':read': item.version } }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getAudit(customerKey: string, decidedAt: string, notificationId: string): Promise<NotificationRecord | undefined> {
    this.opts.counter?.add('dynamodb.GetItem');
    const res = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: this.key(customerKey, SK.notification(decidedAt, notificationId)), ConsistentRead: true }),
    );
    return res.Item ? recordOf(customerKey, res.Item) : undefined;
  }

  /** The audit items from `decidedFrom` on, page by page, until one is this notification's (rare: a redrive or replay of an old moment). */
  async findAudit(customerKey: string, notificationId: string, decidedFrom: string): Promise<NotificationRecord | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      this.opts.counter?.add('dynamodb.Query');
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          FilterExpression: '#nid = :nid',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey, '#nid': 'notificationId' },
          ExpressionAttributeValues: { ':pk': customerPk(customerKey), ':from': `N#${decidedFrom}`, ':to': 'N#~', ':nid': notificationId },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const found = res.Items?.[0];
      if (found) return recordOf(customerKey, found);
      start = res.LastEvaluatedKey;
    } while (start);
    return undefined;
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
}
