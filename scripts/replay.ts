/**
 * Replay: enrich and score a file of recorded signals in one process, in timestamp order, with the
 * stores in memory and the same code and configuration as the deployed functions.
 *
 *   npm run replay -- --input signals.jsonl --output moments.jsonl [--config FILE] [--scores FILE.jsonl]
 *
 * `now` comes from the signals' own timestamps (see SLICE_SPAN_MS), so enrich's time-window check
 * (which quarantines signals too far from now) passes on recorded history, and nothing depends on
 * the clock: the same input and configuration give byte-identical output. The pepper is the configuration's localPepper, so
 * customer keys are stable across runs (and differ from production keys, whose pepper is secret).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, type MicroMomentsConfig } from '../shared/config';
import { MOMENT_INTENTS, type MomentIntent } from '../shared/contracts/enriched';
import { enrichBatch, type EnrichInput } from '../shared/enrich/pipeline';
import { DROP_POLICIES, type DropPolicy } from '../shared/observability/metric-names';
import { scoreBatch, type ScorePorts } from '../shared/scoring/pipeline';
import { ProfileGuardReader } from '../shared/privacy/customer-guard';
import { InMemoryProfileStore } from '../shared/store/profile-store';
import { InMemoryStateStore } from '../shared/store/in-memory-state-store';
import { MemoryQuarantine } from '../shared/stream/quarantine';
import type { StreamRecord } from '../shared/stream/record';
import { defineCommand, executeCommand, parseCommand, runCommand } from './cli';

export interface ReplaySummary {
  signalsRead: number;
  enriched: number;
  quarantined: number;
  /** Quarantine reason → count. */
  quarantineReasons: Record<string, number>;
  dropped: Record<DropPolicy, number>;
  /** Enriched signals the scorer had already applied (the same messageId again). */
  alreadyApplied: number;
  moments: Record<MomentIntent, number>;
}

export interface ReplayOutput {
  /** One `Moment Detected` detail per line, in detection order. */
  moments: string[];
  /** With `withScores`: one line per scored signal with each intent's score. */
  scores: string[];
  summary: ReplaySummary;
}

interface Line {
  text: string;
  index: number;
  timeMs: number;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function timeOf(text: string): number {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && typeof (value as { timestamp?: unknown }).timestamp === 'string') {
      return Date.parse((value as { timestamp: string }).timestamp);
    }
  } catch {
    // Not JSON: enrich quarantines it with the reason.
  }
  return Number.NaN;
}

/** Signals in timestamp order (stable); lines without a usable timestamp first, in file order. */
export function orderLines(lines: readonly string[]): Line[] {
  const out: Line[] = [];
  lines.forEach((text, index) => {
    if (text.trim() !== '') out.push({ text, index, timeMs: timeOf(text) });
  });
  const key = (l: Line) => (Number.isNaN(l.timeMs) ? -Infinity : l.timeMs);
  return out.sort((a, b) => key(a) - key(b) || a.index - b.index);
}

/**
 * Signals are enriched and scored in slices of consecutive signals (at most SLICE_SIZE, spanning
 * at most SLICE_SPAN_MS), as the deployed functions do with a Kinesis batch. `now` is the latest
 * timestamp of the slice: within a minute of every signal's own time, so enrich's time window
 * (signalTimeWindow) passes on recorded history, and nothing depends on the clock.
 */
export const SLICE_SIZE = 500;
export const SLICE_SPAN_MS = 60_000;

function* slices(lines: readonly Line[]): Generator<Line[]> {
  let current: Line[] = [];
  let firstMs = Number.NaN;
  for (const line of lines) {
    const t = line.timeMs;
    const tooWide = !Number.isNaN(t) && !Number.isNaN(firstMs) && t - firstMs > SLICE_SPAN_MS;
    if (current.length > 0 && (current.length >= SLICE_SIZE || tooWide)) {
      yield current;
      current = [];
      firstMs = Number.NaN;
    }
    current.push(line);
    if (Number.isNaN(firstMs) && !Number.isNaN(t)) firstMs = t;
  }
  if (current.length > 0) yield current;
}

export async function runReplay(
  lines: readonly string[],
  config: MicroMomentsConfig,
  opts: { withScores?: boolean; source?: string } = {},
): Promise<ReplayOutput> {
  const profiles = new InMemoryProfileStore();
  const source = opts.source ?? 'replay';
  let nowMs = 0;
  // The score stage's own ports, in memory; the bus keeps nothing between slices.
  const quarantine = new MemoryQuarantine();
  const ports: ScorePorts = {
    scoring: config.scoring,
    window: config,
    sensitive: config.sensitive,
    states: new InMemoryStateStore(),
    // Enrich's profiles: a revocation later in the file stops what score has not scored yet.
    guards: new ProfileGuardReader(profiles),
    publisher: { publish: async () => undefined },
    quarantine,
    now: () => new Date(nowMs),
  };
  const summary: ReplaySummary = {
    signalsRead: 0,
    enriched: 0,
    quarantined: 0,
    quarantineReasons: {},
    dropped: Object.fromEntries(DROP_POLICIES.map((p) => [p, 0])) as Record<DropPolicy, number>,
    alreadyApplied: 0,
    moments: Object.fromEntries(MOMENT_INTENTS.map((i) => [i, 0])) as Record<MomentIntent, number>,
  };
  const moments: string[] = [];
  const scores: string[] = [];
  // The replayed stream is the file in timestamp order: its positions are the arrival order.
  let streamPosition = 0;

  for (const slice of slices(orderLines(lines))) {
    summary.signalsRead += slice.length;
    for (const line of slice) if (!Number.isNaN(line.timeMs)) nowMs = Math.max(nowMs, line.timeMs);
    const inputs: EnrichInput[] = slice.map((line) => ({
      data: Buffer.from(line.text, 'utf8'),
      sequenceNumber: String(++streamPosition),
      stream: source,
    }));
    const { outcomes } = await enrichBatch(inputs, { config, pepper: config.localPepper, profiles, now: new Date(nowMs) });
    // Scored as the score function scores a batch: each enriched signal as its record on the stream.
    const position = new Map<string, number>();
    const enriched: StreamRecord[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.kind === 'quarantined') {
        summary.quarantined++;
        const reason = outcome.entry.reason;
        summary.quarantineReasons[reason] = (summary.quarantineReasons[reason] ?? 0) + 1;
      } else if (outcome.kind === 'dropped') {
        summary.dropped[outcome.policy]++;
      } else {
        summary.enriched++;
        position.set(outcome.signal.messageId, index);
        enriched.push({ data: Buffer.from(JSON.stringify(outcome.signal)), sequenceNumber: outcome.sequenceNumber, stream: `${source}#enriched` });
      }
    });
    const result = await scoreBatch(enriched, ports, { withScores: opts.withScores });
    // In memory nothing fails; a refused enriched record is a contract bug between the stages.
    if (quarantine.entries.length > 0 || result.failed.size > 0) {
      throw new Error(`score refused what enrich wrote: ${quarantine.entries[0]?.reason ?? `${result.failed.size} record(s) failed`}`);
    }
    summary.alreadyApplied += result.counts.skipped;
    const detected = [...result.moments];
    const scored = [...result.scores];

    // Back to stream order for the output files (sort is stable: moments of one signal keep theirs).
    const at = (messageId: string) => position.get(messageId) ?? 0;
    detected.sort((a, b) => at(a.trigger.messageId) - at(b.trigger.messageId));
    scored.sort((a, b) => at(a.messageId) - at(b.messageId));
    for (const m of detected) {
      summary.moments[m.intent]++;
      moments.push(JSON.stringify(m));
    }
    for (const s of scored) {
      scores.push(
        JSON.stringify({
          messageId: s.messageId,
          customerKey: s.customerKey,
          timestamp: s.timestamp,
          event: s.event,
          know: round6(s.scores.know),
          go: round6(s.scores.go),
          do: round6(s.scores.do),
          buy: round6(s.scores.buy),
        }),
      );
    }
  }
  return { moments, scores, summary };
}

export function formatSummary(s: ReplaySummary): string {
  const list = (rec: Record<string, number>) =>
    Object.entries(rec)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
  const momentsTotal = Object.values(s.moments).reduce((a, b) => a + b, 0);
  const droppedTotal = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  const lines = [
    `signals read       ${s.signalsRead}`,
    `enriched           ${s.enriched}`,
    `quarantined        ${s.quarantined}`,
    ...Object.entries(s.quarantineReasons)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 20)
      .map(([reason, n]) => `  ${n} × ${reason}`),
    `dropped by policy  ${droppedTotal} (${list(s.dropped)})`,
    `already applied    ${s.alreadyApplied}`,
    `moments            ${momentsTotal} (${list(s.moments)})`,
  ];
  return `${lines.join('\n')}\n`;
}

export const command = defineCommand({
  name: 'npm run replay',
  summary: 'enrich and score a file of recorded signals in one process, in timestamp order, with the deployed code and configuration (docs/SCORING.md).',
  usage: ['--input FILE.jsonl --output FILE.jsonl [--config FILE] [--scores FILE.jsonl]'],
  flags: {
    input: { type: 'string', value: 'FILE.jsonl', description: 'recorded signals, one Segment message per line', required: true },
    output: { type: 'string', value: 'FILE.jsonl', description: 'where the moments go, one Moment Detected detail per line', required: true },
    config: { type: 'string', value: 'FILE', description: 'a configuration file over the defaults (as for cdk deploy)' },
    scores: { type: 'string', value: 'FILE.jsonl', description: "also write every scored signal's score per intent" },
  },
  examples: [
    'npm run replay -- --input signals.jsonl --output moments.jsonl',
    'npm run replay -- --input signals.jsonl --output moments.jsonl --config eager.json --scores scores.jsonl',
  ],
  notes: ['The summary (signals read, enriched, quarantined with reasons, moments) goes to stderr.'],
});

export interface ReplayArgs {
  input: string;
  output: string;
  config?: string;
  scores?: string;
}

/** The flags, checked; throws UsageError. */
export function parseArgs(argv: readonly string[]): ReplayArgs {
  const { values } = parseCommand(command, argv);
  return { input: values.input as string, output: values.output as string, config: values.config, scores: values.scores };
}

const joinLines = (lines: string[]) => (lines.length > 0 ? `${lines.join('\n')}\n` : '');

export async function main(argv: readonly string[]): Promise<number> {
  return executeCommand(command, () => replayFiles(parseArgs(argv)), argv);
}

async function replayFiles(args: ReplayArgs): Promise<number> {
  const config = loadConfig({ file: args.config });
  const text = readFileSync(args.input, 'utf8');
  const started = performance.now();
  const out = await runReplay(text.split('\n'), config, { withScores: args.scores !== undefined, source: args.input });
  writeFileSync(args.output, joinLines(out.moments));
  if (args.scores) writeFileSync(args.scores, joinLines(out.scores));
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(formatSummary(out.summary));
  process.stderr.write(`(${seconds.toFixed(1)} s, ${Math.round(out.summary.signalsRead / Math.max(seconds, 1e-3))} signals/s)\n`);
  return 0;
}

if (require.main === module) {
  runCommand(command, () => replayFiles(parseArgs(process.argv.slice(2))));
}
