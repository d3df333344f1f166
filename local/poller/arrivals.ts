/**
 * Enhanced fan-out, locally. In AWS a registered stream consumer does not poll: Kinesis pushes each
 * record to it over SubscribeToShard as the record arrives. kinesalite has no SubscribeToShard, so
 * local mode carries the arrival itself: every Kinesis client of the pipeline reports the streams
 * it wrote to (an SDK middleware, after a successful PutRecord or PutRecords), and a poller in
 * push mode, instead of sleeping a poll interval on a drained shard, waits for the next arrival on
 * its stream and reads at once.
 *
 * Arrivals are counted per stream, so a poller that reads the count before its GetRecords cannot
 * miss a record put while that read was in flight (wait() returns at once when the count moved).
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';

const WRITES = new Set(['PutRecordsCommand', 'PutRecordCommand']);

export interface ArrivalWait {
  /** Resolves with true at an arrival, false at the timeout or when cancelled. */
  arrived: Promise<boolean>;
  cancel(): void;
}

export class StreamArrivals {
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, Set<(arrived: boolean) => void>>();

  /** How many writes to `stream` have been reported so far. */
  count(stream: string): number {
    return this.counts.get(stream) ?? 0;
  }

  /** Reports a successful write to `stream` and wakes whoever waits on it. */
  notify(stream: string): void {
    this.counts.set(stream, this.count(stream) + 1);
    const waiting = this.waiters.get(stream);
    if (!waiting) return;
    this.waiters.delete(stream);
    for (const wake of waiting) wake(true);
  }

  /** Waits for a write to `stream` after the `since` count (at once if there was one), at most `timeoutMs`. */
  wait(stream: string, since: number, timeoutMs: number): ArrivalWait {
    if (this.count(stream) > since) return { arrived: Promise.resolve(true), cancel: () => undefined };
    let settle: (arrived: boolean) => void = () => undefined;
    const arrived = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      settle = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.get(stream)?.delete(settle);
        resolve(value);
      };
    });
    const waiting = this.waiters.get(stream) ?? new Set();
    waiting.add(settle);
    this.waiters.set(stream, waiting);
    return { arrived, cancel: () => settle(false) };
  }

  /**
   * Makes `client` report its writes (any other client passes through unchanged): usable as
   * createClients' `instrument` option, so every client the pipeline builds reports.
   */
  watch<C extends object>(client: C): C {
    if (!(client instanceof KinesisClient)) return client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const stream = (args.input as { StreamName?: unknown }).StreamName;
        if (WRITES.has(String(context.commandName)) && typeof stream === 'string') this.notify(stream);
        return result;
      },
      { step: 'initialize', name: 'localStreamArrivals', override: true },
    );
    return client;
  }
}
