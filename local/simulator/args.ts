/**
 * The arguments of `npm run simulate`, parsed and checked apart from the CLI so that they can be
 * tested. Every error names the flag.
 */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run simulate -- (--stream NAME [--region R] [--endpoint-url URL] | --output FILE.jsonl)
          [--rate N] [--duration S] [--customers N] [--seed N]
          [--malformed-share X] [--sensitive-share X] [--config FILE]
          [--include-malformed] [--start-time ISO] [--no-pace]

Writes simulated customer journeys (Segment-spec signals) to a Kinesis stream, with the
producer library (PutRecords batches, failed entries retried), or to a JSON-lines file.

  --stream NAME          the signals stream (e.g. micro-moments-dev-signals)
  --region R             AWS region (default: AWS_REGION / AWS_DEFAULT_REGION)
  --endpoint-url URL     a Kinesis emulator or a VPC endpoint instead of the public endpoint
  --output FILE.jsonl    write one signal per line instead (valid and sensitive ones)
  --include-malformed    with --output, also write the malformed records
  --start-time ISO       with --output, the time of the first signal (default: now)
  --rate N               records per second (default 20)
  --duration S           seconds (default 60)
  --customers N          simulated customers (default 200)
  --seed N               PRNG seed; the same seed gives the same journeys (default: random)
  --malformed-share X    share of malformed records, 0..1 (default 0.02)
  --sensitive-share X    share of sensitive signals, 0..1 (default 0.03)
  --config FILE          a configuration file (stores, life event types) over the defaults
  --no-pace              with --stream, send as fast as possible instead of at --rate
`;

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

export class UsageError extends Error {
  override name = 'UsageError';
}

function number(flag: string, value: string | undefined, rule: (n: number) => boolean, ruleText: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !rule(n)) throw new UsageError(`--${flag}: must be ${ruleText}, got "${value}"`);
  return n;
}

export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): SimulateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        stream: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        output: { type: 'string' },
        'include-malformed': { type: 'boolean', default: false },
        'start-time': { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        customers: { type: 'string' },
        seed: { type: 'string' },
        'malformed-share': { type: 'string' },
        'sensitive-share': { type: 'string' },
        config: { type: 'string' },
        'no-pace': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  const share = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
  const rate = number('rate', v.rate, positive, 'a number > 0') ?? 20;
  const duration = number('duration', v.duration, positive, 'a number of seconds > 0') ?? 60;
  const customers = number('customers', v.customers, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1') ?? 200;
  const seedValue = number('seed', v.seed, (n) => Number.isSafeInteger(n), 'an integer');
  const malformedShare = number('malformed-share', v['malformed-share'], share, 'a number from 0 to 1');
  const sensitiveShare = number('sensitive-share', v['sensitive-share'], share, 'a number from 0 to 1');

  const base = {
    rate,
    duration,
    customers,
    seed: seedValue ?? randomSeed(),
    seedGiven: seedValue !== undefined,
    malformedShare,
    sensitiveShare,
    configFile: v.config,
    help: v.help ?? false,
  };
  if (base.help) return { ...base, target: { kind: 'file', path: '', includeMalformed: false } };

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
