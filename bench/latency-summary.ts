/**
 * The pure part of the latency section: percentiles of the latencies local mode records
 * (local/run-stats.ts, the same nearest-rank percentile as `npm start`'s report), the rows, and
 * the notes against the targets: issue 6's (p99 put → Moment Detected under 1.5 s in local mode) and
 * issue 12's, stricter (Moment Detected under 1 s, the notify decision under 1.5 s).
 */
import { percentile } from '../local/run-stats';
import type { BenchRow, LatencyData } from './types';

export const PUT_TO_MOMENT_P99_TARGET_MS = 1500;

export interface LatencyTarget {
  path: string;
  targetMs: number;
  issue: number;
}

/** Every p99 target the section reports, each against its own path's p99. */
export const LATENCY_TARGETS = {
  momentIssue6: { path: 'put → Moment Detected', targetMs: PUT_TO_MOMENT_P99_TARGET_MS, issue: 6 },
  momentIssue12: { path: 'put → Moment Detected', targetMs: 1000, issue: 12 },
  notifyIssue12: { path: 'put → notify decision', targetMs: 1500, issue: 12 },
} as const satisfies Record<string, LatencyTarget>;

export type Percentiles = LatencyData['putToMomentMs'];

/** p50/p95/p99 (nearest rank) and max over every sample; NaN for none (printed as "-"). */
export function percentiles(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  return {
    p50: percentile(samples, 50) as number,
    p95: percentile(samples, 95) as number,
    p99: percentile(samples, 99) as number,
    max: samples.reduce((m, v) => (v > m ? v : m), -Infinity),
  };
}

const cell = (v: number): number | string => (Number.isFinite(v) ? Math.round(v) : '-');

/** `samples`: how many latencies each row is over (moments and decisions whose trigger's put time is known). */
export function latencyRows(d: LatencyData, samples: { moment: number; notify: number }): BenchRow[] {
  const row = (path: string, p: Percentiles, samples: number): BenchRow => ({
    consumer: d.consumer,
    where: 'local',
    path,
    'p50 ms': cell(p.p50),
    'p95 ms': cell(p.p95),
    'p99 ms': cell(p.p99),
    'max ms': cell(p.max),
    samples,
  });
  return [row('put → Moment Detected', d.putToMomentMs, samples.moment), row('put → notify handler', d.putToNotifyMs, samples.notify)];
}

/** "...: met (p99 412 ms, 0.27× the target)" / "...: MISSED (p99 2210 ms, 1.47× the target, 710 ms over)". */
export function targetNote(p99: number, target: LatencyTarget = LATENCY_TARGETS.momentIssue6): string {
  const { path, targetMs, issue } = target;
  const what = `Target p99 ${path} < ${targetMs} ms (issue ${issue})`;
  if (!Number.isFinite(p99)) return `${what}: not measured (no sample)`;
  const ratio = (p99 / targetMs).toFixed(2);
  return p99 < targetMs
    ? `${what}: met (p99 ${Math.round(p99)} ms, ${ratio}× the target)`
    : `${what}: MISSED (p99 ${Math.round(p99)} ms, ${ratio}× the target, ${Math.round(p99 - targetMs)} ms over)`;
}
