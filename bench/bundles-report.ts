/**
 * The pure part of the bundle section: rows and notes from the figures measured, with the
 * targets of issue 12 (cold initialisation at most 100 ms; every bundle under 1 MB, a budget).
 */
import type { BenchRow } from './types';
import type { InputShare } from './bundles-build';

export const BUNDLE_TARGET_KB = 1024;
export const COLD_INIT_TARGET_MS = 100;

export interface BundleMeasurement {
  /** The row label: `enrich`, or `notify (webhook, push, sms)` for one bundle serving several. */
  label: string;
  bytes: number;
  coldInitMs: number;
  /** Median CPU time (user + system) of the same require(). */
  coldInitCpuMs: number;
  /** Median of the child's process start → handler ready. */
  processToReadyMs: number;
  /** Median of the time spent requiring `@aws-sdk/*` within coldInitMs. */
  externalsMs: number;
  topInputs: InputShare[];
  topPackages: InputShare[];
  network: string[];
  errors: string[];
}

export const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;
const round1 = (ms: number): number => Math.round(ms * 10) / 10;

export function bundleRows(ms: readonly BundleMeasurement[]): BenchRow[] {
  return ms.map((m) => ({
    function: m.label,
    KB: kb(m.bytes),
    'cold init ms (median)': Number.isFinite(m.coldInitMs) ? round1(m.coldInitMs) : 'failed',
    'cold init CPU ms': Number.isFinite(m.coldInitCpuMs) ? round1(m.coldInitCpuMs) : '-',
    'of which @aws-sdk ms': Number.isFinite(m.externalsMs) ? round1(m.externalsMs) : '-',
    'process start → ready ms': Number.isFinite(m.processToReadyMs) ? round1(m.processToReadyMs) : '-',
  }));
}

/** "met (212.4 KB, 29% under)" / "missed by 84.0 KB (1.28×)". */
export function againstTarget(value: number, target: number, unit: string): string {
  if (!Number.isFinite(value)) return 'not measured';
  const v = round1(value);
  if (value <= target) return `met (${v} ${unit}, ${Math.round((1 - value / target) * 100)}% under ${target} ${unit})`;
  return `missed: ${v} ${unit}, ${round1(value - target)} ${unit} over ${target} ${unit} (${(value / target).toFixed(2)}×)`;
}

const shares = (xs: readonly InputShare[]) => xs.map((x) => `${x.path} ${kb(x.bytes)} KB`).join(', ');

export function bundleNotes(ms: readonly BundleMeasurement[]): string[] {
  const notes: string[] = [];
  for (const m of ms) {
    notes.push(
      `${m.label}: size ${againstTarget(m.bytes / 1024, BUNDLE_TARGET_KB, 'KB')}; cold init ${againstTarget(m.coldInitMs, COLD_INIT_TARGET_MS, 'ms')}` +
        (Number.isFinite(m.externalsMs) ? ` (${round1(m.externalsMs)} ms of it loading @aws-sdk/*)` : ''),
    );
    notes.push(`${m.label}: top inputs by bytes in index.js: ${shares(m.topInputs)}`);
    notes.push(`${m.label}: by package: ${shares(m.topPackages)}`);
    if (m.network.length > 0) notes.push(`${m.label}: NETWORK USE AT INIT: ${[...new Set(m.network)].join('; ')}`);
    for (const e of m.errors) notes.push(`${m.label}: a cold-init run failed: ${e}`);
  }
  if (ms.length > 0 && ms.every((m) => m.network.length === 0 && m.errors.length === 0)) {
    notes.push('No function opened a socket, a UDP socket or made a DNS lookup while initialising.');
  }
  return notes;
}
