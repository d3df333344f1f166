/**
 * `npm start`: the whole pipeline on this machine for about a minute, fed by the journey
 * simulator (or a JSON-lines file), with progress while it runs and a report at the end.
 *
 *   npm start -- --customers 200 --rate 50 --duration 60 --seed 42
 *   npm start -- --input signals.jsonl --report-json report.json
 *   npm start -- --keep-running            (stays up after the report, for the AWS CLI; Ctrl-C ends)
 *
 * Handler logs and metrics go to .local/handlers.log; quarantine, on-failure destinations and
 * notify failures to .local/*.jsonl. Ctrl-C stops the producer, drains the pollers, closes the
 * emulators and the webhook receiver, and exits.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config';
import { Producer } from '../shared/producer';
import { createSimulator } from './simulator';
import { LocalPipeline } from './pipeline';
import { readInputFile, runFeed, type FeedRecord } from './feed';
import { buildReport, formatReport, progressLine } from './report';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

const USAGE = `usage: npm start -- [--customers N] [--rate SIGNALS_PER_S] [--duration S] [--seed N]
                    [--input FILE.jsonl [--shift-to-now]] [--report-json FILE] [--keep-running]
                    [--kinesis-port P] [--dynamodb-port P] [--config FILE] [--data-dir DIR]`;

function intFlag(values: Record<string, unknown>, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: must be a number >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      input: { type: 'string' },
      'shift-to-now': { type: 'boolean' },
      'report-json': { type: 'string' },
      'keep-running': { type: 'boolean' },
      'kinesis-port': { type: 'string' },
      'dynamodb-port': { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const customers = intFlag(values, 'customers', 200, 1);
  const rate = intFlag(values, 'rate', 40, 0.1);
  const duration = intFlag(values, 'duration', 60, 1);
  const seed = intFlag(values, 'seed', 42, 0);
  const config = loadConfig({ file: values.config, stage: 'local' });
  // Read the input before starting anything: a missing file fails fast.
  const input: FeedRecord[] | undefined = values.input
    ? readInputFile(values.input, values['shift-to-now'] ? { shiftTo: new Date() } : {})
    : undefined;

  const pipeline = await LocalPipeline.start({
    config,
    dataDir: values['data-dir'] ?? '.local',
    emulators: {
      kinesisPort: intFlag(values, 'kinesis-port', 0, 0),
      dynamodbPort: intFlag(values, 'dynamodb-port', 0, 0),
      // A core of their own for the emulators: in one process they, not the handlers, bound the rate.
      isolate: true,
    },
  });
  const emu = pipeline.emulators;
  let stopping = false;
  let finished: (() => void) | undefined;
  const onSignal = () => {
    if (stopping) {
      err('second interrupt: exiting now');
      process.exit(130);
    }
    stopping = true;
    err('\nstopping: producer, then pollers, bus, webhook receiver and emulators…');
    finished?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  out('micro-moments: local pipeline running (same handlers as in AWS, on emulators)');
  out(`  Kinesis  ${emu.endpoints.kinesis}   streams ${emu.streams.signals.name}, ${emu.streams.enriched.name} (${emu.streams.signals.shardIds.length} shards each)`);
  out(`  DynamoDB ${emu.endpoints.dynamodb}   table ${emu.table}`);
  out(`  webhook receiver ${pipeline.webhook.url}`);
  out('  try (any credentials work):');
  out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region ${emu.region} --endpoint-url ${emu.endpoints.kinesis} kinesis list-streams`);
  out(`    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region ${emu.region} --endpoint-url ${emu.endpoints.dynamodb} dynamodb scan --table-name ${emu.table} --max-items 5`);
  out(`  handler logs: ${values['data-dir'] ?? '.local'}/handlers.log`);
  out(
    input
      ? `  sending ${input.length} signals from ${values.input}`
      : `  simulating ${customers} customers at ${rate} signals/s for ${duration} s (seed ${seed})`,
  );
  out('');

  const started = Date.now();
  const progress = setInterval(() => out(progressLine(pipeline, (Date.now() - started) / 1000)), 5000);
  const producer = new Producer({
    kinesis: emu.clients.kinesis,
    streamName: emu.streams.signals.name,
    onPut: (messageId, atMs) => pipeline.stats.recordPut(messageId, atMs),
  });
  const records: Iterable<FeedRecord> =
    input ??
    (function* () {
      for (const r of createSimulator({ seed, customers, ratePerSecond: rate, durationSeconds: duration, config: pipeline.config })) {
        yield { at: r.at, partitionKey: r.partitionKey, data: r.record, ...(r.messageId ? { messageId: r.messageId } : {}) };
      }
    })();
  try {
    // onPut reports only records with a messageId; the feed's progress counts every record.
    await runFeed(producer, records, { stopped: () => stopping, progress: pipeline.stats.feed });
    await pipeline.drain(stopping ? 5_000 : 60_000).catch((e: Error) => err(`not everything was processed: ${e.message}`));
    clearInterval(progress);
    const report = buildReport(pipeline);
    out(formatReport(report));
    if (values['report-json']) {
      writeFileSync(values['report-json'], `${JSON.stringify(report, null, 2)}\n`);
      out(`\nreport written to ${values['report-json']}`);
    }
    if (values['keep-running'] && !stopping) {
      out('\n--keep-running: the emulators stay up for the AWS CLI; Ctrl-C to stop.');
      await new Promise<void>((resolve) => (finished = resolve));
    }
    return report.counts.addsUp ? 0 : 1;
  } finally {
    clearInterval(progress);
    await pipeline.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    err(e instanceof Error ? `error: ${e.message}` : `error: ${String(e)}`);
    err(USAGE);
    process.exit(2);
  },
);
