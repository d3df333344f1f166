/**
 * `npm run simulate`: simulated customer journeys to a Kinesis stream (in AWS with the default
 * credentials, or an emulator with --endpoint-url) or to a JSON-lines file. `--help` for flags.
 */
import { createClients } from '../../shared/adapters/aws-clients';
import { loadConfig } from '../../shared/config/load';
import { Producer } from '../../shared/adapters/kinesis-producer';
import { runCommand } from '../../scripts/cli';
import { command, parseSimulateArgs, type SimulateArgs } from './args';
import { formatSummary, sendToStream, writeSignalsFile } from './run';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

async function main(args: SimulateArgs): Promise<number> {
  const config = loadConfig(args.configFile ? { file: args.configFile } : {});
  const sim = {
    seed: args.seed,
    customers: args.customers,
    ratePerSecond: args.rate,
    durationSeconds: args.duration,
    config,
    malformedShare: args.malformedShare,
    sensitiveShare: args.sensitiveShare,
  };
  const seedNote = args.seedGiven ? `seed ${args.seed}` : `seed ${args.seed} (random; --seed ${args.seed} repeats this run)`;

  if (args.target.kind === 'file') {
    const { path, includeMalformed, startTime } = args.target;
    process.stderr.write(`simulate: ${args.customers} customers, ${args.rate}/s for ${args.duration} s, ${seedNote} -> ${path}\n`);
    const summary = writeSignalsFile({ ...sim, startTime }, path, includeMalformed);
    process.stdout.write(`${formatSummary(summary, path)}\n`);
    return 0;
  }

  const { stream, region, endpointUrl, pace } = args.target;
  const local = endpointUrl !== undefined && LOOPBACK.has(new URL(endpointUrl).hostname);
  const clients = createClients({
    region,
    ...(endpointUrl ? { endpoints: { kinesis: endpointUrl } } : {}),
    // Emulators accept any key; a real endpoint gets the default credential chain.
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const producer = new Producer({ kinesis: clients.kinesis, streamName: stream, validate: false });
  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nsimulate: stopping after the write in progress (Ctrl-C again to quit now)\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });

  process.stderr.write(`simulate: ${args.customers} customers, ${args.rate}/s for ${args.duration} s, ${seedNote} -> ${stream} (${region}${endpointUrl ? `, ${endpointUrl}` : ''})\n`);
  let lastPrint = Date.now();
  const summary = await sendToStream(sim, {
    producer,
    pace,
    abort: abort.signal,
    onProgress: (s) => {
      if (Date.now() - lastPrint < 5000) return;
      lastPrint = Date.now();
      process.stderr.write(`  ${(s.elapsedMs / 1000).toFixed(0)} s: ${s.written} written (valid ${s.byKind.valid}, sensitive ${s.byKind.sensitive}, malformed ${s.byKind.malformed}), ${s.failed} failed\n`);
    },
  });
  clients.kinesis.destroy();
  process.stdout.write(`${formatSummary(summary, stream)}\n`);
  return summary.failed > 0 ? 1 : 0;
}

runCommand(command, () => main(parseSimulateArgs(process.argv.slice(2))));
