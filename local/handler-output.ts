/**
 * What the handlers print (Powertools JSON logs and EMF metrics), captured in local mode: it goes
 * to a file instead of the terminal, and the EMF lines are parsed so that the CLI counts what
 * CloudWatch would (signals in, enriched, quarantined, dropped by policy).
 *
 * With POWERTOOLS_DEV set, Powertools writes through the global `console` (otherwise through a
 * private Console on stdout), so replacing the console's methods catches every line.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';

export interface MetricPoint {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type Method = (typeof METHODS)[number];

/** The metrics of one EMF document (values may be lists, which are summed). */
export function parseEmf(doc: unknown): MetricPoint[] {
  if (!doc || typeof doc !== 'object') return [];
  const d = doc as Record<string, unknown> & { _aws?: { CloudWatchMetrics?: { Dimensions?: string[][]; Metrics?: { Name: string }[] }[] } };
  const directives = d._aws?.CloudWatchMetrics;
  if (!Array.isArray(directives)) return [];
  const points: MetricPoint[] = [];
  for (const directive of directives) {
    const dimensions: Record<string, string> = {};
    for (const set of directive.Dimensions ?? []) for (const key of set) if (typeof d[key] === 'string') dimensions[key] = d[key] as string;
    for (const metric of directive.Metrics ?? []) {
      const raw = d[metric.Name];
      const value = Array.isArray(raw) ? raw.reduce((s: number, v) => s + Number(v), 0) : Number(raw);
      if (Number.isFinite(value)) points.push({ name: metric.Name, value, dimensions });
    }
  }
  return points;
}

export class HandlerOutput {
  private readonly saved = new Map<Method, (...args: unknown[]) => void>();
  private readonly savedEnv: Record<string, string | undefined> = {};
  private readonly metricListeners: ((p: MetricPoint) => void)[] = [];
  lines = 0;

  /** `file`: where the lines go (none: dropped). */
  constructor(private readonly file?: string) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  onMetric(fn: (p: MetricPoint) => void): void {
    this.metricListeners.push(fn);
  }

  /** Call before the handlers are created: Powertools picks its console when constructed. */
  install(): void {
    for (const key of ['POWERTOOLS_DEV', 'POWERTOOLS_TRACE_ENABLED', 'POWERTOOLS_METRICS_DISABLED']) this.savedEnv[key] = process.env[key];
    process.env.POWERTOOLS_DEV = 'true';
    // Dev mode turns metrics off unless told otherwise; they are what the report counts.
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    for (const m of METHODS) {
      this.saved.set(m, console[m]);
      console[m] = (...args: unknown[]) => this.capture(args);
    }
  }

  restore(): void {
    for (const [m, fn] of this.saved) console[m] = fn;
    this.saved.clear();
    for (const [k, v] of Object.entries(this.savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  private capture(args: unknown[]): void {
    this.lines++;
    const text = format(...args);
    let parsed: unknown;
    if (text.startsWith('{')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    for (const point of parseEmf(parsed)) for (const l of this.metricListeners) l(point);
    if (this.file) appendFileSync(this.file, `${parsed === undefined ? text : JSON.stringify(parsed)}\n`);
  }
}
