/**
 * `npm start`: the whole pipeline on this machine for about a minute, fed by the journey
 * simulator (or a JSON-lines file), with progress while it runs, a live console in the browser,
 * and a report at the end. `npm start -- --help` describes every flag.
 *
 * Each run writes its files (handler logs, quarantine, on-failure destinations, notify failures)
 * to a directory of its own under .local/runs/ (local/run-dir.ts). Ctrl-C stops the producer,
 * drains what was sent, prints the report and exits 130; the emulator children ignore the
 * terminal's Ctrl-C and are stopped by this process once the pipeline has drained.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../shared/config';
import { Producer } from '../shared/adapters/kinesis-producer';
import { defineCommand, intValue, numberValue, portValue, runCommand, UsageError, type ParsedCommand } from '../scripts/cli';
import { createSimulator } from './simulator';
import { LocalPipeline } from './pipeline';
import { readInputFile, runFeed, type FeedRecord, type InputFile } from './feed';
import { buildReport, formatReport, progressLine } from './report';
import { createRunDir } from './run-dir';
import { consoleSnapshot, type RunState } from './console/snapshot';
import { startConsole, type LiveConsole } from './console/server';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

export const command = defineCommand({
  name: 'npm start',
  summary: 'the whole pipeline on this machine, on embedded emulators (no AWS account, no Docker), fed by the journey simulator or a file of signals, with a live console and a report at the end.',
  usage: ['[--customers N] [--rate SIGNALS_PER_S] [--duration S] [--seed N] [options]', '--input FILE.jsonl [--shift-to-now [--shift-by day|week]] [options]'],
  flags: {
    customers: { type: 'string', value: 'N', description: 'simulated customers', defaultText: '200' },
    rate: { type: 'string', value: 'SIGNALS_PER_S', description: 'signals per second the simulator sends', defaultText: '40' },
    duration: { type: 'string', value: 'S', description: 'seconds the simulator sends for', defaultText: '60' },
    seed: { type: 'string', value: 'N', description: "the simulator's seed: the same seed gives the same journeys", defaultText: '42' },
    input: {
      type: 'string',
      value: 'FILE.jsonl',
      description: "send the signals of a file (one Segment message per line) instead of the simulator's,\nand end when all are processed",
    },
    'shift-to-now': {
      type: 'boolean',
      description: 'with --input: move recorded history older than the time window (7 days) to the last\ndays, by whole days, so each signal keeps its time of day',
    },
    'shift-by': { type: 'string', value: 'day|week', description: 'with --shift-to-now: whole weeks also keep each signal\'s weekday', defaultText: 'day' },
    'report-json': { type: 'string', value: 'FILE', description: 'also write the report as JSON: counts by path and reason, latencies, lag, moments and\nnotifications with their reasons' },
    'keep-running': { type: 'boolean', description: 'after the report, keep the emulators and the console up (for the AWS CLI) until Ctrl-C' },
    'kinesis-port': { type: 'string', value: 'P', description: "the Kinesis emulator's port", defaultText: 'any free port, printed' },
    'dynamodb-port': { type: 'string', value: 'P', description: "the DynamoDB emulator's port", defaultText: 'any free port, printed' },
    'console-port': { type: 'string', value: 'P', description: "the live console's port on 127.0.0.1", defaultText: 'any free port, printed' },
    'no-console': { type: 'boolean', description: 'do not serve the live console' },
    config: { type: 'string', value: 'FILE', description: 'a configuration file over the defaults (as for cdk deploy)' },
    'data-dir': { type: 'string', value: 'DIR', description: "where each run's directory of files goes (DIR/runs/<time>, DIR/latest)", defaultText: '.local' },
  },
  examples: [
    'npm start',
    'npm start -- --customers 50 --rate 20 --duration 30 --seed 7',
    'npm start -- --input test/fixtures/signals/sample.jsonl --shift-to-now --report-json report.json',
    'npm start -- --keep-running --kinesis-port 4567 --dynamodb-port 8000',
  ],
  notes: [
    'Exit codes: 0 the report adds up, 1 it does not (or the run failed), 2 bad usage, 130 stopped by\nCtrl-C (after draining: the report of what was sent still adds up; a second Ctrl-C quits at once).',
  ],
});

type Flags = (typeof command)['flags'];

/** Numbers and combinations of flags, checked before anything starts. */
function options(values: ParsedCommand<Flags>['values']) {
  const shiftBy = values['shift-by'] ?? 'day';
  if (shiftBy !== 'day' && shiftBy !== 'week') throw new UsageError(`--shift-by: must be day or week, got "${shiftBy}"`);
  if (values['shift-by'] !== undefined && !values['shift-to-now']) throw new UsageError('--shift-by: only with --shift-to-now');
  if (values['shift-to-now'] && values.input === undefined) throw new UsageError('--shift-to-now: only with --input');
  if (values['no-console'] && values['console-port'] !== undefined) throw new UsageError('--console-port and --no-console: give one of them');
  return {
    customers: intValue('customers', values.customers, 200, { min: 1 }),
    rate: numberValue('rate', values.rate, 40, { min: 0, minExclusive: true }),
    duration: numberValue('duration', values.duration, 60, { min: 0, minExclusive: true }),
    seed: intValue('seed', values.seed, 42, { min: 0 }),
    shiftBy: shiftBy as 'day' | 'week',
    kinesisPort: portValue('kinesis-port', values['kinesis-port']),
    dynamodbPort: portValue('dynamodb-port', values['dynamodb-port']),
    consolePort: portValue('console-port', values['console-port']),
  };
}

/** An emulator that could not listen: say which flag, not the child process's stack. */
function startError(e: Error, o: { kinesisPort: number; dynamodbPort: number }): Error {
  if (!/EADDRINUSE/.test(e.message)) return e;
  const flag = /kinesalite/.test(e.message) ? `--kinesis-port ${o.kinesisPort}` : `--dynamodb-port ${o.dynamodbPort}`;
  return new Error(`${flag}: the port is in use (another npm start?); pick another, or leave the flag out for any free port`);
}

function describeInput(path: string, input: InputFile, shift: boolean, unit: 'day' | 'week', maxPastDays: number): string[] {
  const lines = [`  sending ${input.records.length} signals from ${path}`];
  if (shift && input.shiftedByMs > 0) {
    const days = Math.round(input.shiftedByMs / 86_400_000);
    lines.push(
      unit === 'week'
        ? `  --shift-to-now: every time moved ${days / 7} weeks later (whole weeks: each signal keeps its weekday and time of day)`
        : `  --shift-to-now: every time moved ${days} days later (whole days: each signal keeps its time of day; weekdays change, --shift-by week keeps them)`,
    );
  }
  if (input.timed > 0 && input.olderThanWindow * 2 > input.timed) {
    lines.push(
      `  note: ${input.olderThanWindow} of ${input.timed} signals are more than ${maxPastDays} days old: enrich will quarantine them (signalTimeWindow).` +
        (shift ? '' : ' Recorded history? Add --shift-to-now.'),
    );
  }
  return lines;
}

async function main({ values }: ParsedCommand<Flags>): Promise<number> {
  const o = options(values);
  const config = loadConfig({ file: values.config, stage: 'local' });
  const windowStart = new Date(Date.now() - config.signalTimeWindow.maxPastDays * 86_400_000);
  // Read the input before starting anything: a missing file fails fast.
  const input = values.input ? readInputFile(values.input, { ...(values['shift-to-now'] ? { shiftTo: new Date(), shiftUnit: o.shiftBy } : {}), windowStart }) : undefined;
  const run = createRunDir(values['data-dir'] ?? '.local');

  const pipeline = await LocalPipeline.start({
    config,
    dataDir: run.dir,
    emulators: {
      kinesisPort: o.kinesisPort,
      dynamodbPort: o.dynamodbPort,
      // A core of their own for the emulators: in one process they, not the handlers, bound the rate.
      isolate: true,
    },
  }).catch((e: Error) => {
    throw startError(e, o);
  });
  let state: RunState = 'running';
  let liveConsole: LiveConsole | undefined;
  let interrupted = false;
  let finished: (() => void) | undefined;
  const onSignal = () => {
    if (interrupted) {
      err('second interrupt: exiting now');
      process.exit(130);
    }
    interrupted = true;
    state = 'stopping';
    err('\nstopping: the producer stops, what was sent drains, then the report (Ctrl-C again to quit now)…');
    finished?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    if (!values['no-console']) liveConsole = await startConsole(() => consoleSnapshot(pipeline, state), o.consolePort);
    const emu = pipeline.emulators;
    out('micro-moments: local pipeline running (same handlers as in AWS, on emulators)');
    if (liveConsole) out(`  live console  ${liveConsole.url}`);
    out(`  Kinesis  ${emu.endpoints.kinesis}   streams ${emu.streams.signals.name}, ${emu.streams.enriched.name} (${emu.streams.signals.shardIds.length} shards each)`);
    out(`  DynamoDB ${emu.endpoints.dynamodb}   table ${emu.table}`);
    out(`  webhook receiver ${pipeline.webhook.url}`);
    out('  try (any credentials work):');
    out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region ${emu.region} --endpoint-url ${emu.endpoints.kinesis} kinesis list-streams`);
    out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region ${emu.region} --endpoint-url ${emu.endpoints.dynamodb} dynamodb scan --table-name ${emu.table} --max-items 5`);
    out(`  files of this run: ${run.dir}${run.latest ? ` (also ${run.latest})` : ''}`);
    if (input && values.input) for (const line of describeInput(values.input, input, values['shift-to-now'] ?? false, o.shiftBy, config.signalTimeWindow.maxPastDays)) out(line);
    else out(`  simulating ${o.customers} customers at ${o.rate} signals/s for ${o.duration} s (seed ${o.seed})`);
    out('');

    const started = Date.now();
    const progress = setInterval(() => out(progressLine(pipeline, (Date.now() - started) / 1000)), 5000);
    const producer = new Producer({
      kinesis: emu.clients.kinesis,
      streamName: emu.streams.signals.name,
      onPut: (messageId, atMs) => pipeline.stats.recordPut(messageId, atMs),
    });
    const records: Iterable<FeedRecord> =
      input?.records ??
      (function* () {
        for (const r of createSimulator({ seed: o.seed, customers: o.customers, ratePerSecond: o.rate, durationSeconds: o.duration, config: pipeline.config })) {
          yield { at: r.at, partitionKey: r.partitionKey, data: r.record, ...(r.messageId ? { messageId: r.messageId } : {}) };
        }
      })();
    try {
      // onPut reports only records with a messageId; the feed's progress counts every record.
      await runFeed(producer, records, { stopped: () => interrupted, progress: pipeline.stats.feed });
      state = interrupted ? 'stopping' : 'draining';
      // After Ctrl-C too: what was sent is drained, so the report adds up.
      await pipeline.drain(60_000).catch((e: Error) => err(`not everything was processed: ${e.message}`));
    } finally {
      clearInterval(progress);
    }
    let report = buildReport(pipeline);
    state = 'finished';
    const writeReport = () => {
      out(formatReport(report));
      if (values['report-json']) {
        writeFileSync(values['report-json'], `${JSON.stringify(report, null, 2)}\n`);
        out(`\nreport written to ${values['report-json']}`);
      }
    };
    writeReport();
    if (values['keep-running'] && !interrupted) {
      out(`\n--keep-running: the emulators${liveConsole ? ' and the console' : ''} stay up for the AWS CLI; Ctrl-C to stop.`);
      await new Promise<void>((resolve) => (finished = resolve));
      // What was put meanwhile (with the AWS CLI) is drained and counted: the report of the whole run.
      await pipeline.drain(30_000).catch((e: Error) => err(`not everything was processed: ${e.message}`));
      report = buildReport(pipeline);
      out('\nThe whole run, with what was sent while it kept running:');
      writeReport();
      return report.counts.addsUp ? 0 : 1;
    }
    if (!report.counts.addsUp) return 1;
    return interrupted ? 130 : 0;
  } finally {
    await liveConsole?.stop();
    await pipeline.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

runCommand(command, main);
