/**
 * The two ways the simulator's records leave the process: to a Kinesis stream through the
 * producer library, paced at the simulated rate, or to a JSON-lines file. Both return counts
 * that add up: generated = written + failed (+ skipped malformed, for a file).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Producer } from '../../shared/adapters/kinesis-producer';
import { sleep } from '../../shared/adapters/retry';
import { createSimulator, type RecordKind, type SimulatedRecord, type SimulatorOptions } from './simulator';

export interface RunSummary {
  generated: number;
  /** Put on the stream (accepted) or written to the file. */
  written: number;
  /** Still failing after the producer's retries. */
  failed: number;
  /** Malformed records left out of a file (no --include-malformed). */
  skipped: number;
  byKind: Record<RecordKind, number>;
  /** Records written, by journey kind, malformation or sensitive topic. */
  byLabel: Record<string, number>;
  /** Distinct failure reasons, at most 5, for the report. */
  errors: string[];
  putRecordsCalls: number;
  retriedRecords: number;
  elapsedMs: number;
}

export const emptySummary = (): RunSummary => ({
  generated: 0,
  written: 0,
  failed: 0,
  skipped: 0,
  byKind: { valid: 0, sensitive: 0, malformed: 0 },
  byLabel: {},
  errors: [],
  putRecordsCalls: 0,
  retriedRecords: 0,
  elapsedMs: 0,
});

function countWritten(s: RunSummary, r: SimulatedRecord): void {
  s.written++;
  s.byKind[r.kind]++;
  s.byLabel[r.label] = (s.byLabel[r.label] ?? 0) + 1;
}

const NEWLINE = Buffer.from('\n');

/** Writes the simulation to `path`, one record a line: valid and sensitive, malformed if asked. */
export function writeSignalsFile(sim: SimulatorOptions, path: string, includeMalformed: boolean): RunSummary {
  const started = Date.now();
  const summary = emptySummary();
  const fd = openSync(path, 'w');
  try {
    let pending: Buffer[] = [];
    const drain = () => {
      if (pending.length > 0) writeSync(fd, Buffer.concat(pending));
      pending = [];
    };
    for (const r of createSimulator(sim)) {
      summary.generated++;
      if (r.kind === 'malformed' && !includeMalformed) {
        summary.skipped++;
        continue;
      }
      pending.push(Buffer.from(r.record.buffer, r.record.byteOffset, r.record.byteLength), NEWLINE);
      countWritten(summary, r);
      if (pending.length >= 2000) drain();
    }
    drain();
  } finally {
    closeSync(fd);
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

export interface StreamRunOptions {
  producer: Producer;
  /** Send each record when it is due (`at` after the start); false: as fast as possible. */
  pace: boolean;
  /** Stops the run after the write in progress. */
  abort?: AbortSignal;
  /** Called after every write with the counts so far. */
  onProgress?: (summary: RunSummary) => void;
  now?: () => number;
}

/** PutRecords takes at most 500 records a call; a bigger batch would only be split again. */
const MAX_BATCH = 500;

/**
 * Sends the simulation to the producer's stream. Records due at the same time go in one
 * PutRecords call; writes run one after another, so a customer's signals keep their order.
 * Timestamps are the simulated times from the start of the run, which is when they are due.
 */
export async function sendToStream(sim: Omit<SimulatorOptions, 'startTime' | 'clock'>, run: StreamRunOptions): Promise<RunSummary> {
  const now = run.now ?? Date.now;
  const started = now();
  const summary = emptySummary();
  const records = createSimulator({ ...sim, startTime: new Date(started) });
  let next = records.next();
  while (!next.done && !run.abort?.aborted) {
    const elapsed = now() - started;
    if (run.pace && next.value.at > elapsed) {
      await sleep(Math.min(next.value.at - elapsed, 200));
      continue;
    }
    const batch: SimulatedRecord[] = [];
    while (!next.done && batch.length < MAX_BATCH && (!run.pace || next.value.at <= elapsed)) {
      batch.push(next.value);
      next = records.next();
    }
    summary.generated += batch.length;
    const result = await run.producer.sendRaw(batch.map((r) => ({ partitionKey: r.partitionKey, data: r.record, messageId: r.messageId })));
    summary.putRecordsCalls += result.calls;
    summary.retriedRecords += result.retriedEntries;
    result.outcomes.forEach((o, i) => {
      if (o.status === 'sent') countWritten(summary, batch[i]);
    });
    summary.failed += result.failed.length;
    for (const f of result.failed) if (summary.errors.length < 5 && !summary.errors.includes(f.error)) summary.errors.push(f.error);
    summary.elapsedMs = now() - started;
    run.onProgress?.(summary);
  }
  summary.elapsedMs = now() - started;
  return summary;
}

/** The report printed at the end: counts only, never an identifier. */
export function formatSummary(s: RunSummary, target: string): string {
  const lines = [
    `${target}: ${s.written} records written in ${(s.elapsedMs / 1000).toFixed(1)} s` +
      ` (valid ${s.byKind.valid}, sensitive ${s.byKind.sensitive}, malformed ${s.byKind.malformed})`,
  ];
  if (s.skipped > 0) lines.push(`  malformed left out: ${s.skipped} (--include-malformed writes them)`);
  if (s.putRecordsCalls > 0) lines.push(`  PutRecords calls: ${s.putRecordsCalls}, records retried: ${s.retriedRecords}`);
  if (s.failed > 0) lines.push(`  FAILED after retries: ${s.failed}: ${s.errors.join('; ')}`);
  const labels = Object.entries(s.byLabel).sort(([a], [b]) => (a < b ? -1 : 1));
  if (labels.length > 0) lines.push(`  by journey / malformation / topic: ${labels.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines.join('\n');
}
