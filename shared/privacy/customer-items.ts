/**
 * Reads one customer's partition, page by page: one Query per page on `pk = C#<customerKey>`,
 * strongly consistent. The key condition is the only way in, so nothing of another customer
 * can be reached through it.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from '../adapters/request-counter';
import { customerPk, TABLE_KEYS } from '../store/keys';

export type TableItem = Record<string, unknown>;

export const CUSTOMER_KEY_PATTERN = /^[0-9a-f]{64}$/;

export interface CustomerQueryOptions {
  counter?: RequestCounter;
  /** Only the keys (erasure needs nothing else). */
  keysOnly?: boolean;
  /** Items per page (DynamoDB also stops at 1 MB); tests make it small to exercise paging. */
  pageSize?: number;
}

export async function* customerItemPages(
  doc: DynamoDBDocumentClient,
  table: string,
  customerKey: string,
  opts: CustomerQueryOptions = {},
): AsyncGenerator<TableItem[]> {
  if (!CUSTOMER_KEY_PATTERN.test(customerKey)) throw new Error('customerKey: must be 64 lower-case hex characters');
  let start: Record<string, unknown> | undefined;
  do {
    opts.counter?.add('dynamodb.Query');
    const res = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, ...(opts.keysOnly ? { '#sk': TABLE_KEYS.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': customerPk(customerKey) },
        ...(opts.keysOnly ? { ProjectionExpression: '#pk, #sk' } : {}),
        ConsistentRead: true,
        ...(opts.pageSize ? { Limit: opts.pageSize } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    yield (res.Items ?? []) as TableItem[];
    start = res.LastEvaluatedKey;
  } while (start);
}
