/**
 * `npm run bench`: runs the benchmark sections, prints a table per section and writes them all,
 * with the date and the machine, to bench/results/latest.json.
 *
 *   npm run bench -- [--quick] [--only throughput,cpu,baseline,cost,writes,latency,bundles,scoring] [--out FILE]
 *
 * A run of some sections keeps the other sections of the file it writes (`runAt` says when each
 * was measured).
 *
 * `--help` describes the flags. Progress goes to stderr; tables to stdout.
 */
// Before any handler is built: X-Ray is not reachable here, and its cost is not the code's.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { defineCommand, parseCommand, runCommand, UsageError } from '../scripts/cli';
import { didYouMean } from '../shared/closest-name';
import { runBundleBench } from './bundles';
import { baselineSection, measureBaseline } from './compare';
import { costSection } from './cost';
import { runLatencyBench } from './latency';
import { formatSection } from './print';
import { runScoringBench } from './scoring';
import { runWritesBench } from './writes';
import { measureCpu, measureThroughput, throughputSection, type ThroughputData } from './throughput';
import type { BenchSection } from './types';
import { CONSUMER_MODES, type ConsumerMode } from '../shared/config';

export const SECTIONS = ['throughput', 'cpu', 'baseline', 'cost', 'writes', 'latency', 'bundles', 'scoring'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface RunArgs {
  quick: boolean;
  only: SectionName[];
  out: string;
  consumers: ConsumerMode[];
  rate?: number;
}

export const command = defineCommand({
  name: 'npm run bench',
  summary: 'run the benchmark sections, print a table per section and write them all, with the date and the machine, to a JSON file.',
  usage: ['[--quick] [--only SECTIONS] [--out FILE] [--consumer MODE] [--rate SIGNALS_PER_S]'],
  flags: {
    quick: { type: 'boolean', description: 'fewer and smaller runs, to check that everything runs (figures are noisier)' },
    only: { type: 'string', value: 'SECTIONS', description: `comma-separated sections to run, of ${SECTIONS.join(', ')}`, defaultText: 'all' },
    out: { type: 'string', value: 'FILE', description: 'where the results go', defaultText: 'bench/results/latest.json' },
    consumer: { type: 'string', value: 'MODE', description: `the latency section runs this consumer mode only, of ${CONSUMER_MODES.join(', ')}`, defaultText: 'both' },
    rate: { type: 'string', value: 'SIGNALS_PER_S', description: "the latency section's rate: lower shows the consumer modes' delivery rather than queueing on a loaded machine", defaultText: '200' },
  },
  examples: ['npm run bench', 'npm run bench -- --quick', 'npm run bench -- --only latency --out /tmp/latency.json', 'npm run bench -- --only latency,cost --rate 40'],
  notes: ['Progress goes to stderr, tables to stdout. A full run takes about 5 minutes.'],
});

export function parseRunArgs(argv: string[]): RunArgs {
  const { values } = parseCommand(command, argv);
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [...SECTIONS];
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) {
      throw new UsageError(`--only: unknown section "${s}"${didYouMean(s, SECTIONS)} (known: ${SECTIONS.join(', ')})`);
    }
  }
  const consumer = values.consumer;
  if (consumer !== undefined && !(CONSUMER_MODES as readonly string[]).includes(consumer)) {
    throw new UsageError(`--consumer: unknown mode "${consumer}"${didYouMean(consumer, CONSUMER_MODES)} (known: ${CONSUMER_MODES.join(', ')})`);
  }
  const consumers = consumer === undefined ? [...CONSUMER_MODES] : [consumer as ConsumerMode];
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new UsageError(`--rate: must be a positive number of signals per second, got "${values.rate}"`);
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

async function main(args: RunArgs): Promise<number> {
  const started = Date.now();
  const result = {
    date: new Date().toISOString(),
    quick: args.quick,
    machine: machine(),
    durationSeconds: 0,
    sections: {} as Partial<Record<SectionName, BenchSection>>,
    /** When each section was measured (sections not run now keep theirs from the file). */
    runAt: {} as Partial<Record<SectionName, string>>,
  };
  if (args.only.length < SECTIONS.length && existsSync(args.out)) {
    const previous = JSON.parse(readFileSync(args.out, 'utf8')) as Partial<typeof result>;
    for (const [name, section] of Object.entries(previous.sections ?? {})) {
      if (args.only.includes(name as SectionName)) continue;
      result.sections[name as SectionName] = section;
      result.runAt[name as SectionName] = previous.runAt?.[name as SectionName] ?? previous.date ?? 'unknown';
    }
  }
  const emit = (name: SectionName, section: BenchSection) => {
    result.sections[name] = section;
    result.runAt[name] = new Date().toISOString();
    process.stdout.write(`\n${formatSection(section)}`);
  };
  log(`${args.quick ? 'quick' : 'full'} run: ${args.only.join(', ')}; ${result.machine.cores} x ${result.machine.cpuModel}, Node ${result.machine.node}, load ${result.machine.loadAverageAtStart.join(' ')}`);

  // Cost is computed from the throughput figures: they are measured when either is asked for.
  let throughput: ThroughputData | undefined;
  if (args.only.includes('throughput') || args.only.includes('cost')) {
    throughput = await measureThroughput({ quick: args.quick, log });
    if (args.only.includes('throughput')) emit('throughput', throughputSection(throughput));
  }
  // The in-memory rows alone (the CPU targets), without the emulators, each tracing in a fresh
  // process: as deployed (the targets) and as run from source before (the X-Ray SDK loaded).
  if (args.only.includes('cpu')) {
    emit('cpu', { ...throughputSection(await measureCpu({ quick: args.quick, log })), title: 'Handler CPU in memory (simulator mix)' });
  }
  if (args.only.includes('baseline')) emit('baseline', baselineSection(await measureBaseline({ quick: args.quick, log })));
  let lambdaWork: { enrichMs: number; scoreMs: number } | undefined;
  if (args.only.includes('cost') && throughput) {
    const cost = costSection(throughput);
    emit('cost', cost);
    const ms = (name: string) => cost.data.lambda.find((l) => l.name === name)?.durationMs ?? 0;
    lambdaWork = { enrichMs: ms('enrich'), scoreMs: ms('score') };
  }
  if (args.only.includes('writes')) emit('writes', await runWritesBench({ quick: args.quick, log }));
  if (args.only.includes('latency')) {
    emit('latency', await runLatencyBench({ quick: args.quick, consumers: args.consumers, log, ...(lambdaWork ? { lambdaWork } : {}), ...(args.rate ? { ratePerSecond: args.rate } : {}) }));
  }
  if (args.only.includes('bundles')) {
    log('bundles: size and cold initialisation');
    emit('bundles', await runBundleBench({ quick: args.quick }));
  }

  if (args.only.includes('scoring')) {
    log('scoring: evaluate and fit on the public samples');
    emit('scoring', await runScoringBench({ quick: args.quick, log }));
  }

  result.durationSeconds = Math.round((Date.now() - started) / 1000);
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${args.out} in ${result.durationSeconds} s`);
  return 0;
}

if (require.main === module) {
  // Exits when done: emulator sockets and SDK agents may keep the loop alive after the last section.
  runCommand(command, () => main(parseRunArgs(process.argv.slice(2))));
}
