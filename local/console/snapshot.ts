/**
 * What the live console shows, read from the run's statistics (RunStats, through buildReport):
 * the report's counts as they stand, the latest moments with their reasons and outcomes told as
 * the terminal report tells them, latency per second, the lag, and the latest quarantined records.
 * No count is kept here: the console and the report cannot disagree.
 */
import type { LocalPipeline } from '../pipeline';
import { buildReport, describeOutcome, describeReasons, type RunReport } from '../report';
import { percentile, type LatencySample, type QuarantineSeen } from '../run-stats';

export type RunState = 'starting' | 'running' | 'draining' | 'finished' | 'stopping';

export interface LatencyPoint {
  /** Seconds since the run started (end of the bucket). */
  t: number;
  p50: number;
  p95: number;
  n: number;
}

export interface ConsoleMoment {
  momentId: string;
  detectedAt: string;
  intent: string;
  score: number;
  customer: string;
  trigger: string;
  lifeEventType?: string;
  reasons: string;
  outcome: string;
}

export interface ConsoleSnapshot {
  state: RunState;
  elapsedSeconds: number;
  counts: RunReport['counts'];
  latencyMs: RunReport['latencyMs'];
  lag: RunReport['lag'];
  notRouted: number;
  hints: string[];
  files?: RunReport['files'];
  moments: ConsoleMoment[];
  latency: { moment: LatencyPoint[]; notify: LatencyPoint[] };
  quarantine: QuarantineSeen[];
}

export const CONSOLE_MOMENTS = 50;
export const CONSOLE_QUARANTINE = 50;

/** Samples grouped by `bucketMs`: the median and 95th percentile of each bucket that has any. */
export function latencyBuckets(samples: readonly LatencySample[], startedAtMs: number, bucketMs = 1000): LatencyPoint[] {
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const b = Math.floor((s.atMs - startedAtMs) / bucketMs);
    const list = buckets.get(b);
    if (list) list.push(s.ms);
    else buckets.set(b, [s.ms]);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, ms]) => ({ t: ((b + 1) * bucketMs) / 1000, p50: percentile(ms, 50) ?? 0, p95: percentile(ms, 95) ?? 0, n: ms.length }));
}

export function consoleSnapshot(p: LocalPipeline, state: RunState): ConsoleSnapshot {
  const report = buildReport(p);
  const s = p.stats;
  const latest = report.moments.slice(-CONSOLE_MOMENTS).reverse();
  return {
    state,
    elapsedSeconds: report.durationSeconds,
    counts: report.counts,
    latencyMs: report.latencyMs,
    lag: report.lag,
    notRouted: report.moments.filter((m) => m.notRoutedBecause).length,
    hints: report.hints,
    ...(report.files ? { files: report.files } : {}),
    moments: latest.map((m) => ({
      momentId: m.momentId,
      detectedAt: m.detectedAt,
      intent: m.intent,
      score: m.score,
      customer: `${m.customerKey.slice(0, 12)}…`,
      trigger: m.trigger.event,
      ...(m.lifeEventType ? { lifeEventType: m.lifeEventType } : {}),
      reasons: describeReasons(m),
      outcome: describeOutcome(m, report.notifications),
    })),
    latency: { moment: latencyBuckets(s.latencySeries.moment, s.startedAt), notify: latencyBuckets(s.latencySeries.notify, s.startedAt) },
    quarantine: s.recentQuarantine.slice(-CONSOLE_QUARANTINE).reverse(),
  };
}
