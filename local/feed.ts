/**
 * What `npm start` puts on the signals stream: the journey simulator's records, paced at their
 * due times, or the lines of a JSON-lines file. Records are written as they are (Producer.sendRaw):
 * a malformed line reaches the stream and is quarantined with its reason, never lost here.
 */
import { readFileSync } from 'node:fs';
import { partitionKeyOf } from '../shared/producer/encode';
import type { Producer, RawRecord } from '../shared/adapters/kinesis-producer';

export interface FeedRecord extends RawRecord {
  /** Milliseconds from the start at which the record is due. */
  at: number;
}

export interface FeedProgress {
  sent: number;
  failed: number;
}

const TIME_FIELDS = ['timestamp', 'sentAt', 'receivedAt', 'originalTimestamp'] as const;

export type ShiftUnit = 'day' | 'week';
const UNIT_MS: Record<ShiftUnit, number> = { day: 86_400_000, week: 7 * 86_400_000 };

/**
 * Moves every time field of the parseable lines by the same whole number of days (or weeks), the
 * most that leaves the latest `timestamp` no later than `to`: recorded history keeps its gaps and
 * passes enrich's time window (signals older than `signalTimeWindow.maxPastDays` are quarantined,
 * as in AWS). Whole days keep each signal's time of day (UTC; across a daylight-saving change a
 * local time moves by an hour), so quiet hours and dayparts are those of the recording; whole
 * weeks keep the weekday as well. Returns the offset in ms (0 when nothing had a timestamp).
 */
export function shiftTimestamps(objects: (Record<string, unknown> | undefined)[], to: Date, unit: ShiftUnit = 'day'): number {
  let latest = -Infinity;
  for (const o of objects) {
    const t = typeof o?.timestamp === 'string' ? Date.parse(o.timestamp) : NaN;
    if (Number.isFinite(t) && t > latest) latest = t;
  }
  if (!Number.isFinite(latest)) return 0;
  const offset = Math.floor((to.getTime() - latest) / UNIT_MS[unit]) * UNIT_MS[unit];
  if (offset === 0) return 0;
  for (const o of objects) {
    if (!o) continue;
    for (const field of TIME_FIELDS) {
      const t = typeof o[field] === 'string' ? Date.parse(o[field] as string) : NaN;
      if (Number.isFinite(t)) o[field] = new Date(t + offset).toISOString();
    }
  }
  return offset;
}

export interface InputFile {
  records: FeedRecord[];
  /** How far --shift-to-now moved the times (ms; 0 without it). */
  shiftedByMs: number;
  /** Parseable lines whose timestamp is before `windowStart` (after any shift): enrich will quarantine them. */
  olderThanWindow: number;
  /** Lines with a parseable timestamp. */
  timed: number;
}

/**
 * One record per non-empty line; the partition key is the user (or anonymous) id when the line is
 * JSON. With `shiftTo`, the parseable lines are re-serialised with shifted times; the others are
 * sent byte for byte, to be quarantined with their reason. With `windowStart`, counts the lines
 * that the time window will refuse, so the CLI can say so before sending them.
 */
export function readInputFile(path: string, opts: { shiftTo?: Date; shiftUnit?: ShiftUnit; windowStart?: Date } = {}): InputFile {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const parsed = lines.map((line) => {
    try {
      const v: unknown = JSON.parse(line);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  });
  const shiftedByMs = opts.shiftTo ? shiftTimestamps(parsed, opts.shiftTo, opts.shiftUnit) : 0;
  let timed = 0;
  let olderThanWindow = 0;
  for (const o of parsed) {
    const t = typeof o?.timestamp === 'string' ? Date.parse(o.timestamp) : NaN;
    if (!Number.isFinite(t)) continue;
    timed++;
    if (opts.windowStart && t < opts.windowStart.getTime()) olderThanWindow++;
  }
  const records = lines.map((original, i) => {
    const obj = parsed[i];
    const line = shiftedByMs !== 0 && obj ? JSON.stringify(obj) : original;
    const messageId = typeof obj?.messageId === 'string' && obj.messageId !== '' ? obj.messageId : undefined;
    return {
      at: 0,
      partitionKey: obj ? partitionKeyOf(obj) : 'unidentified',
      data: Buffer.from(line, 'utf8'),
      ...(messageId ? { messageId } : {}),
    };
  });
  return { records, shiftedByMs, olderThanWindow, timed };
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
