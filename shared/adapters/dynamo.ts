/**
 * Batched DynamoDB access: BatchGetItem (100 keys a call) and BatchWriteItem (25 items a call),
 * retrying UnprocessedKeys / UnprocessedItems with backoff. Throttling exceptions are retried by
 * the SDK itself; what is still unprocessed after the attempts is an error the caller reports
 * as a batch failure (so Lambda retries the batch), never silently dropped.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk, DEFAULT_RETRY, sendWithEntryRetries, type RetryPolicy } from './retry';
import type { RequestCounter } from './request-counter';

export type Key = Record<string, string>;
export type Item = Record<string, unknown>;

export type WriteRequest = { put: Item } | { delete: Key };

export class UnprocessedError extends Error {
  constructor(
    readonly api: string,
    readonly count: number,
  ) {
    super(`${api}: ${count} item(s) still unprocessed after retries`);
    this.name = 'UnprocessedError';
  }
}

const keyString = (key: Key, keyNames: readonly string[]) => keyNames.map((k) => key[k]).join('\u0000');

export async function batchGet(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: Key[],
  opts: { keyNames: readonly string[]; counter?: RequestCounter; retry?: RetryPolicy; consistent?: boolean },
): Promise<Item[]> {
  const unique = new Map<string, Key>();
  for (const k of keys) unique.set(keyString(k, opts.keyNames), k);
  const found: Item[] = [];
  // The calls of one read are independent: in parallel, so 2 × 100 keys cost one round trip.
  await Promise.all(
    chunk([...unique.values()], 100).map(async (part) => {
      const outcome = await sendWithEntryRetries(
        part,
        async (batch) => {
          opts.counter?.add('dynamodb.BatchGetItem');
          const res = await doc.send(
            new BatchGetCommand({ RequestItems: { [table]: { Keys: batch, ...(opts.consistent ? { ConsistentRead: true } : {}) } } }),
          );
          found.push(...((res.Responses?.[table] ?? []) as Item[]));
          const unprocessed = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
          return unprocessed.map((entry) => ({ entry, error: 'UnprocessedKeys' }));
        },
        opts.retry ?? DEFAULT_RETRY,
        (n) => opts.counter?.add('dynamodb.retriedKeys', n),
      );
      if (outcome.failed.length > 0) throw new UnprocessedError('BatchGetItem', outcome.failed.length);
    }),
  );
  return found;
}

export async function batchWrite(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
  opts: { counter?: RequestCounter; retry?: RetryPolicy } = {},
): Promise<void> {
  for (const part of chunk(requests, 25)) {
    const outcome = await sendWithEntryRetries(
      part,
      async (batch) => {
        opts.counter?.add('dynamodb.BatchWriteItem');
        const res = await doc.send(
          new BatchWriteCommand({
            RequestItems: {
              [table]: batch.map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } })),
            },
          }),
        );
        const unprocessed = res.UnprocessedItems?.[table] ?? [];
        return unprocessed.map((u) => ({
          entry: u.PutRequest?.Item ? { put: u.PutRequest.Item as Item } : { delete: (u.DeleteRequest?.Key ?? {}) as Key },
          error: 'UnprocessedItems',
        }));
      },
      opts.retry ?? DEFAULT_RETRY,
      (n) => opts.counter?.add('dynamodb.retriedItems', n),
    );
    if (outcome.failed.length > 0) throw new UnprocessedError('BatchWriteItem', outcome.failed.length);
  }
}
