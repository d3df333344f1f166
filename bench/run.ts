/**
 * `npm run bench`: runs the benchmark sections, prints a table per section and writes them all,
 * with the date and the machine, to bench/results/latest.json.
 *
 *   npm run bench -- [--quick] [--only throughput,baseline,cost,latency,bundles] [--out FILE]
 *                    [--consumer shared|enhanced-fan-out] [--rate SIGNALS_PER_S]
 *
 * --quick: fewer and smaller runs, to check that everything runs (figures are noisier).
 * --consumer: the latency section runs that consumer mode only (default: both).
 * --rate: the latency section's signals per second (default 200, issue 6's target rate).
 * Progress goes to stderr; tables to stdout.
 */
// Before any handler is built: X-Ray is not reachable here, and its cost is not the code's.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBundleBench } from './bundles';
import { baselineSection, measureBaseline } from './compare';
import { costSection } from './cost';
import { runLatencyBench } from './latency';
import { formatSection } from './print';
import { measureThroughput, throughputSection, type ThroughputData } from './throughput';
import type { BenchSection } from './types';
import { CONSUMER_MODES, type ConsumerMode } from '../shared/config';

export const SECTIONS = ['throughput', 'baseline', 'cost', 'latency', 'bundles'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface RunArgs {
  quick: boolean;
  only: SectionName[];
  out: string;
  consumers: ConsumerMode[];
  rate?: number;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, consumer: { type: 'string' }, rate: { type: 'string' } },
    strict: true,
  });
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [...SECTIONS];
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}" (known: ${SECTIONS.join(', ')})`);
  }
  const consumer = values.consumer;
  if (consumer !== undefined && !(CONSUMER_MODES as readonly string[]).includes(consumer)) {
    throw new Error(`--consumer: unknown mode "${consumer}" (known: ${CONSUMER_MODES.join(', ')})`);
  }
  const consumers = consumer === undefined ? [...CONSUMER_MODES] : [consumer as ConsumerMode];
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new Error(`--rate: must be a positive number of signals per second, got "${values.rate}"`);
  return { quick: values.quick ?? false, only: only as SectionName[], out: resolve(values.out ?? 'bench/results/latest.json'), consumers, ...(rate ? { rate } : {}) };
}

export function machine() {
  return {
    os: `${platform()} ${release()}`,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    /** The machine may be shared: load when the run started, 1/5/15 minutes. */
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const args = parseRunArgs(process.argv.slice(2));
  const started = Date.now();
  const result = {
    date: new Date().toISOString(),
    quick: args.quick,
    machine: machine(),
    durationSeconds: 0,
    sections: {} as Partial<Record<SectionName, BenchSection>>,
  };
  const emit = (name: SectionName, section: BenchSection) => {
    result.sections[name] = section;
    process.stdout.write(`\n${formatSection(section)}`);
  };
  log(`${args.quick ? 'quick' : 'full'} run: ${args.only.join(', ')}; ${result.machine.cores} x ${result.machine.cpuModel}, Node ${result.machine.node}, load ${result.machine.loadAverageAtStart.join(' ')}`);

  // Cost is computed from the throughput figures: they are measured when either is asked for.
  let throughput: ThroughputData | undefined;
  if (args.only.includes('throughput') || args.only.includes('cost')) {
    throughput = await measureThroughput({ quick: args.quick, log });
    if (args.only.includes('throughput')) emit('throughput', throughputSection(throughput));
  }
  if (args.only.includes('baseline')) emit('baseline', baselineSection(await measureBaseline({ quick: args.quick, log })));
  let lambdaWork: { enrichMs: number; scoreMs: number } | undefined;
  if (args.only.includes('cost') && throughput) {
    const cost = costSection(throughput);
    emit('cost', cost);
    const ms = (name: string) => cost.data.lambda.find((l) => l.name === name)?.durationMs ?? 0;
    lambdaWork = { enrichMs: ms('enrich'), scoreMs: ms('score') };
  }
  if (args.only.includes('latency')) {
    emit('latency', await runLatencyBench({ quick: args.quick, consumers: args.consumers, log, ...(lambdaWork ? { lambdaWork } : {}), ...(args.rate ? { ratePerSecond: args.rate } : {}) }));
  }
  if (args.only.includes('bundles')) {
    log('bundles: size and cold initialisation');
    emit('bundles', await runBundleBench({ quick: args.quick }));
  }

  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${args.out} in ${result.durationSeconds} s`);
}

main().then(
  // Emulator sockets and SDK agents may keep the loop alive after the last section.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
