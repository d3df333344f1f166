/**
 * The `TOMBSTONE` item of a customer's partition (shared/privacy/tombstone.ts says what it is for):
 * written by an erasure, read by notify before every send.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from './request-counter';
import { tombstoneOf, type Tombstone } from '../privacy/tombstone';
import { customerPk, SK, TABLE_KEYS, ttlFromNow } from '../store/keys';

export function tombstoneItem(t: Tombstone, retentionDays: number | undefined): Record<string, unknown> {
  return {
    [TABLE_KEYS.partitionKey]: customerPk(t.customerKey),
    [TABLE_KEYS.sortKey]: SK.tombstone,
    kind: 'tombstone',
    customerKey: t.customerKey,
    erasedAt: t.erasedAt,
    ...(retentionDays !== undefined ? { [TABLE_KEYS.ttl]: ttlFromNow(Date.parse(t.erasedAt), retentionDays) } : {}),
  };
}

/** One customer's tombstone, read consistently. */
export async function readTombstone(doc: DynamoDBDocumentClient, table: string, customerKey: string, counter?: RequestCounter): Promise<Tombstone | undefined> {
  counter?.add('dynamodb.GetItem');
  const res = await doc.send(
    new GetCommand({
      TableName: table,
      Key: { [TABLE_KEYS.partitionKey]: customerPk(customerKey), [TABLE_KEYS.sortKey]: SK.tombstone },
      ConsistentRead: true,
    }),
  );
  return tombstoneOf(res.Item);
}

/**
 * Writes the tombstone unless a later erasure's is there already (erasing again moves it
 * forward; a retry of an older request never moves it back). No transaction needed: one item.
 */
export async function writeTombstone(
  doc: DynamoDBDocumentClient,
  table: string,
  t: Tombstone,
  retentionDays: number | undefined,
  counter?: RequestCounter,
): Promise<void> {
  counter?.add('dynamodb.PutItem');
  try {
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: tombstoneItem(t, retentionDays),
        ConditionExpression: 'attribute_not_exists(#pk) OR #erasedAt < :erasedAt',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#erasedAt': 'erasedAt' },
        ExpressionAttributeValues: { ':erasedAt': t.erasedAt },
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}
