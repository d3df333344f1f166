/**
 * How long the handlers themselves take during the latency run, so a missed target can be
 * explained: when enrich and score (with the emulators, all in this one process) need more than
 * the time the stream gives them, batches queue up and the latency is waiting, not work.
 */
import type { KinesisHandler } from '../local/poller';

export interface HandlerTimes {
  batches: number;
  records: number;
  totalMs: number;
  maxBatchMs: number;
}

export const emptyTimes = (): HandlerTimes => ({ batches: 0, records: 0, totalMs: 0, maxBatchMs: 0 });

/** Wraps a Kinesis handler (LocalPipeline's `wrap` option) to add each call's duration to `times`. */
export function timedHandler(handler: KinesisHandler, times: HandlerTimes, now: () => number = () => performance.now()): KinesisHandler {
  return async (event, context) => {
    const start = now();
    try {
      return await handler(event, context);
    } finally {
      const ms = now() - start;
      times.batches++;
      times.records += event.Records.length;
      times.totalMs += ms;
      if (ms > times.maxBatchMs) times.maxBatchMs = ms;
    }
  };
}

/** "enrich 40 batches, 2000 records, mean batch 120 ms (max 410), 2.4 ms/record". */
export function describeTimes(name: string, t: HandlerTimes): string {
  if (t.batches === 0) return `${name}: no batch handled`;
  return (
    `${name} ${t.batches} batches, ${t.records} records, mean batch ${Math.round(t.totalMs / t.batches)} ms (max ${Math.round(t.maxBatchMs)}), ` +
    `${(t.totalMs / Math.max(t.records, 1)).toFixed(2)} ms/record`
  );
}
