/**
 * Entry-level retries for the batch APIs that fail partially (DynamoDB UnprocessedItems, Kinesis
 * FailedRecordCount, EventBridge FailedEntryCount): only the entries that failed are sent again,
 * with exponential backoff and full jitter, a bounded number of times.
 */

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 25, maxDelayMs: 1000 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

export interface EntryFailure<T> {
  entry: T;
  error: string;
}

export interface RetryOutcome<T> {
  failed: EntryFailure<T>[];
  /** Calls made, including the first. */
  calls: number;
  /** Entries sent again after a partial failure. */
  retriedEntries: number;
}

/**
 * Sends `entries` through `send`, which answers, for the entries it was given, those that failed
 * (with a reason). Retries the failed ones until none fail or the attempts run out.
 */
export async function sendWithEntryRetries<T>(
  entries: T[],
  send: (batch: T[]) => Promise<EntryFailure<T>[]>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (count: number, attempt: number) => void,
): Promise<RetryOutcome<T>> {
  let pending = entries;
  let calls = 0;
  let retriedEntries = 0;
  let failed: EntryFailure<T>[] = [];
  for (let attempt = 0; pending.length > 0 && attempt < policy.maxAttempts; attempt++) {
    if (attempt > 0) {
      retriedEntries += pending.length;
      onRetry?.(pending.length, attempt);
      await sleep(backoffDelay(attempt, policy));
    }
    calls++;
    failed = await send(pending);
    pending = failed.map((f) => f.entry);
  }
  return { failed, calls, retriedEntries };
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
