/** Counts requests per API, so benchmarks and tests can compare request counts (not guesses). */
export class RequestCounter {
  private readonly counts = new Map<string, number>();
  add(api: string, n = 1): void {
    this.counts.set(api, (this.counts.get(api) ?? 0) + n);
  }
  get(api: string): number {
    return this.counts.get(api) ?? 0;
  }
  total(prefix = ''): number {
    let sum = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) sum += v;
    return sum;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
  reset(): void {
    this.counts.clear();
  }
}

/** The counters the adapters add to when they retry entries a service did not take the first time. */
export const RETRY_COUNTERS = [
  'dynamodb.retriedKeys',
  'dynamodb.retriedItems',
  'kinesis.retriedRecords',
  'eventbridge.retriedEntries',
  'sqs.retriedEntries',
] as const;

/** Entries retried so far, all adapters together: a handler reports the change over a batch. */
export function retriedEntries(counter: RequestCounter): number {
  return RETRY_COUNTERS.reduce((sum, api) => sum + counter.get(api), 0);
}
