/**
 * The shapes the benchmark sections hand to bench/run.ts, which prints them as one table and
 * writes them to bench/results/latest.json. Every figure is a median over several runs unless its
 * name says otherwise; targets are reported against, never asserted.
 */

/** One row of a printed table: a label and figures already rounded for reading. */
export type BenchRow = Record<string, string | number>;

export interface BenchSection<Data = unknown> {
  /** Heading of the printed table, e.g. "Handler throughput (dynalite)". */
  title: string;
  rows: BenchRow[];
  /** Assumptions, targets met or missed and why: printed under the table and kept in the JSON. */
  notes: string[];
  /** The raw figures (all runs, not only the medians) for other tools. */
  data: Data;
}

/** End-to-end latency in local mode (bench/latency.ts). */
export interface LatencyData {
  /** How local mode delivered records to the functions (streams.<stream>.consumer). */
  consumer: 'shared' | 'enhanced-fan-out';
  ratePerSecond: number;
  shards: number;
  durationSeconds: number;
  signalsSent: number;
  moments: number;
  notifications: number;
  putToMomentMs: { p50: number; p95: number; p99: number; max: number };
  putToNotifyMs: { p50: number; p95: number; p99: number; max: number };
}

/** Bundle size and cold initialisation of one function (bench/bundles.ts). */
export interface BundleData {
  service: string;
  bytes: number;
  /** Median over runs of: load the bundle and build the handler, in a fresh Node.js 24 process. */
  coldInitMs: number;
  coldInitRunsMs: number[];
}
