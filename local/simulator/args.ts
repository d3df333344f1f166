/**
 * The arguments of `npm run simulate`, parsed and checked apart from the CLI so that they can be
 * tested. Every error names the flag.
 */
import { defineCommand, numberValue, parseCommand, UsageError } from '../../scripts/cli';

export { UsageError };

export const command = defineCommand({
  name: 'npm run simulate',
  summary:
    'write simulated customer journeys (Segment-spec signals) to a Kinesis stream, with the producer library\n(PutRecords batches, failed entries retried), or to a JSON-lines file.',
  usage: [
    '--stream NAME [--region R] [--endpoint-url URL] [--no-pace] [options]',
    '--output FILE.jsonl [--include-malformed] [--start-time ISO] [options]',
  ],
  flags: {
    stream: { type: 'string', value: 'NAME', description: 'the signals stream (e.g. micro-moments-dev-signals)' },
    region: { type: 'string', value: 'R', description: 'AWS region', defaultText: 'AWS_REGION / AWS_DEFAULT_REGION' },
    'endpoint-url': { type: 'string', value: 'URL', description: 'a Kinesis emulator or a VPC endpoint instead of the public endpoint' },
    output: { type: 'string', value: 'FILE.jsonl', description: 'write one signal per line instead (valid and sensitive ones)' },
    'include-malformed': { type: 'boolean', description: 'with --output, also write the malformed records' },
    'start-time': { type: 'string', value: 'ISO', description: 'with --output, the time of the first signal', defaultText: 'now' },
    rate: { type: 'string', value: 'N', description: 'records per second', defaultText: '20' },
    duration: { type: 'string', value: 'S', description: 'seconds', defaultText: '60' },
    customers: { type: 'string', value: 'N', description: 'simulated customers', defaultText: '200' },
    seed: { type: 'string', value: 'N', description: 'PRNG seed; the same seed gives the same journeys', defaultText: 'random, printed' },
    'malformed-share': { type: 'string', value: 'X', description: 'share of malformed records, 0..1', defaultText: '0.02' },
    'sensitive-share': { type: 'string', value: 'X', description: 'share of sensitive signals, 0..1', defaultText: '0.03' },
    config: { type: 'string', value: 'FILE', description: 'a configuration file (stores, life event types) over the defaults' },
    'no-pace': { type: 'boolean', description: 'with --stream, send as fast as possible instead of at --rate' },
  },
  examples: [
    'npm run simulate -- --stream micro-moments-prod-signals --region eu-west-1 --rate 20 --duration 300',
    'npm run simulate -- --output signals.jsonl --seed 7 --customers 500 --rate 100 --duration 600',
  ],
  notes: ['It uses your default AWS credentials (none needed for an --endpoint-url on 127.0.0.1).'],
});

export interface SimulateArgs {
  target: { kind: 'stream'; stream: string; region?: string; endpointUrl?: string; pace: boolean } | { kind: 'file'; path: string; includeMalformed: boolean; startTime?: Date };
  rate: number;
  duration: number;
  customers: number;
  seed: number;
  /** False when the seed was drawn at random (the CLI prints it so the run can be repeated). */
  seedGiven: boolean;
  malformedShare?: number;
  sensitiveShare?: number;
  configFile?: string;
  help: boolean;
}

export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): SimulateArgs {
  const parsed = parseCommand(command, argv);
  if (parsed.help) {
    return { target: { kind: 'file', path: '', includeMalformed: false }, rate: 20, duration: 60, customers: 200, seed: 0, seedGiven: false, configFile: undefined, help: true };
  }
  const v = parsed.values;
  const rate = numberValue('rate', v.rate, 20, { min: 0, minExclusive: true });
  const duration = numberValue('duration', v.duration, 60, { min: 0, minExclusive: true });
  const customers = numberValue('customers', v.customers, 200, { integer: true, min: 1 });
  const seedValue = numberValue('seed', v.seed, undefined, { integer: true });
  const malformedShare = numberValue('malformed-share', v['malformed-share'], undefined, { min: 0, max: 1 });
  const sensitiveShare = numberValue('sensitive-share', v['sensitive-share'], undefined, { min: 0, max: 1 });

  const base = {
    rate,
    duration,
    customers,
    seed: seedValue ?? randomSeed(),
    seedGiven: seedValue !== undefined,
    malformedShare,
    sensitiveShare,
    configFile: v.config,
    help: false,
  };

  if (v.stream !== undefined && v.output !== undefined) throw new UsageError('--stream and --output: give one of them, not both');
  if (v.output !== undefined) {
    if (!v.output) throw new UsageError('--output: must be a file path');
    if (v.region !== undefined || v['endpoint-url'] !== undefined) throw new UsageError('--region and --endpoint-url: only with --stream');
    let startTime: Date | undefined;
    if (v['start-time'] !== undefined) {
      startTime = new Date(v['start-time']);
      if (Number.isNaN(startTime.getTime())) throw new UsageError(`--start-time: must be an ISO 8601 time such as 2026-11-23T08:00:00Z, got "${v['start-time']}"`);
    }
    return { ...base, target: { kind: 'file', path: v.output, includeMalformed: v['include-malformed'] ?? false, startTime } };
  }
  if (v.stream === undefined || v.stream === '') throw new UsageError('--stream NAME or --output FILE.jsonl: one of them is required');
  if (v['include-malformed']) throw new UsageError('--include-malformed: only with --output (a stream always gets the malformed share)');
  if (v['start-time'] !== undefined) throw new UsageError('--start-time: only with --output (a stream gets the time of sending)');
  const region = v.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('--region: required (or set AWS_REGION)');
  const endpointUrl = v['endpoint-url'];
  if (endpointUrl !== undefined && !URL.canParse(endpointUrl)) throw new UsageError(`--endpoint-url: must be a URL such as http://127.0.0.1:4567, got "${endpointUrl}"`);
  return { ...base, target: { kind: 'stream', stream: v.stream, region, endpointUrl, pace: !(v['no-pace'] ?? false) } };
}
