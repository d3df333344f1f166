import { parseSimulateArgs } from '../../../local/simulator/args';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseSimulateArgs(argv, env, () => 777);

describe('parseSimulateArgs', () => {
  it('reads a stream run with defaults for the rest, and a random seed it says was random', () => {
    expect(parse(['--stream', 'micro-moments-dev-signals', '--region', 'eu-west-1'])).toEqual({
      target: { kind: 'stream', stream: 'micro-moments-dev-signals', region: 'eu-west-1', endpointUrl: undefined, pace: true },
      rate: 20,
      duration: 60,
      customers: 200,
      seed: 777,
      seedGiven: false,
      malformedShare: undefined,
      sensitiveShare: undefined,
      configFile: undefined,
      help: false,
    });
  });

  it('reads every flag of a stream run, the region from AWS_REGION when not given', () => {
    const a = parse(
      ['--stream', 's', '--endpoint-url', 'http://127.0.0.1:4567', '--rate', '50', '--duration', '5', '--customers', '10', '--seed', '9', '--malformed-share', '0.1', '--sensitive-share', '0', '--no-pace'],
      { AWS_REGION: 'us-east-1' },
    );
    expect(a).toMatchObject({
      target: { kind: 'stream', stream: 's', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:4567', pace: false },
      rate: 50,
      duration: 5,
      customers: 10,
      seed: 9,
      seedGiven: true,
      malformedShare: 0.1,
      sensitiveShare: 0,
    });
  });

  it('reads a file run', () => {
    const a = parse(['--output', 'out.jsonl', '--include-malformed', '--start-time', '2026-11-23T08:00:00Z']);
    expect(a.target).toEqual({ kind: 'file', path: 'out.jsonl', includeMalformed: true, startTime: new Date('2026-11-23T08:00:00Z') });
  });

  it.each([
    [[], '--stream NAME or --output FILE.jsonl: one of them is required'],
    [['--stream', 's'], '--region: required (or set AWS_REGION)'],
    [['--stream', 's', '--output', 'f'], '--stream and --output: give one of them, not both'],
    [['--output', 'f', '--rate', 'fast'], '--rate: must be a number > 0, got "fast"'],
    [['--output', 'f', '--customers', '2.5'], '--customers: must be an integer >= 1, got "2.5"'],
    [['--output', 'f', '--malformed-share', '2'], '--malformed-share: must be a number from 0 to 1, got "2"'],
    [['--output', 'f', '--start-time', 'soon'], '--start-time: must be an ISO 8601 time'],
    [['--output', 'f', '--region', 'eu-west-1'], '--region and --endpoint-url: only with --stream'],
    [['--stream', 's', '--region', 'r', '--include-malformed'], '--include-malformed: only with --output'],
    [['--stream', 's', '--region', 'r', '--endpoint-url', 'not a url'], '--endpoint-url: must be a URL'],
    [['--stream', 's', '--region', 'r', '--bogus'], 'unknown flag --bogus'],
    [['--stream', 's', '--region', 'r', '--sed', '4'], 'unknown flag --sed (did you mean --seed?)'],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parse(argv)).toThrow(message);
  });
});
