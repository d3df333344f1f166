/**
 * What `npm start` puts on the signals stream: the journey simulator's records, paced at their
 * due times, or the lines of a JSON-lines file. Records are written as they are (Producer.sendRaw):
 * a malformed line reaches the stream and is quarantined with its reason, never lost here.
 */
import { readFileSync } from 'node:fs';
import { partitionKeyOf, type Producer, type RawRecord } from '../shared/producer';

export interface FeedRecord extends RawRecord {
  /** Milliseconds from the start at which the record is due. */
  at: number;
}

export interface FeedProgress {
  sent: number;
  failed: number;
}

/** One record per non-empty line; the partition key is the user (or anonymous) id when the line is JSON. */
export function readInputFile(path: string): FeedRecord[] {
  const text = readFileSync(path, 'utf8');
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const obj = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      const messageId = typeof obj?.messageId === 'string' && obj.messageId !== '' ? obj.messageId : undefined;
      return {
        at: 0,
        partitionKey: obj ? partitionKeyOf(obj) : 'unidentified',
        data: Buffer.from(line, 'utf8'),
        ...(messageId ? { messageId } : {}),
      };
    });
}

/**
 * Sends `records` (in order of `at`) in ticks of `tickMs`, each tick writing what is due.
 * Stops early when `stopped()` turns true. Records still failing after the producer's retries
 * are counted, not thrown.
 */
export async function runFeed(
  producer: Producer,
  records: Iterable<FeedRecord>,
  opts: { tickMs?: number; stopped?: () => boolean; progress?: FeedProgress } = {},
): Promise<FeedProgress> {
  const tickMs = opts.tickMs ?? 100;
  const progress = opts.progress ?? { sent: 0, failed: 0 };
  const start = Date.now();
  let due: RawRecord[] = [];
  const flush = async () => {
    if (due.length === 0) return;
    const batch = due;
    due = [];
    const res = await producer.sendRaw(batch);
    progress.sent += res.sent;
    progress.failed += res.failed.length;
  };
  for (const r of records) {
    if (opts.stopped?.()) break;
    if (start + r.at > Date.now()) {
      await flush();
      while (start + r.at > Date.now() && !opts.stopped?.()) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(tickMs, start + r.at - Date.now())));
      }
    }
    due.push({ partitionKey: r.partitionKey, data: r.data, ...(r.messageId ? { messageId: r.messageId } : {}) });
    if (due.length >= 500) await flush();
  }
  await flush();
  return progress;
}
