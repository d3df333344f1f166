/**
 * `npm run fit`: learns an intent's scoring configuration from recorded outcomes and writes it as
 * an ordinary configuration file, with its provenance (docs/SCORING.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config';
import { INTENTS, type Intent } from '../shared/contracts/enriched';
import { HISTORY_FORMATS, type HistoryFormat } from '../shared/evaluation/datasets';
import { DEFAULT_FIT, figuresOf, fitScoring, type ThresholdRule } from '../shared/evaluation/fit';
import { formatReport } from '../shared/evaluation/format';
import { renderHtmlReport } from '../shared/evaluation/report-html';
import { evaluatePrepared, prepareHistory } from '../shared/evaluation/run-evaluation';
import { integer, oneOf, UsageError } from './evaluate';

export const USAGE = `usage: npm run fit -- --input FILE --output scoring.json [options]

Learns the intent's weights per feature, half-life and threshold from the outcomes in recorded
Segment history, on a split by customer, and writes them as a configuration file (for --config of
every command and cdk synth -c config=) with scoring.version and scoring.provenance (input
digest, split, seed, held-out figures). Prints the held-out evaluation.

options:
  --input FILE                 the history (required)
  --output FILE                the configuration to write (required)
  --format F                   ${HISTORY_FORMATS.join(' | ')} (default segment)
  --config FILE                base configuration: its priors stay for what the history cannot teach
  --intent I                   ${INTENTS.join(' | ')} (default buy)
  --target-precision P         the lowest threshold whose precision on the training customers reaches P (0 < P < 1)
  --alert-budget N             the lowest threshold flagging at most N sessions per 1,000 training sessions
                               (neither: the threshold of the best F1 on the training customers)
  --half-lives LIST            half-lives to try, minutes (default ${DEFAULT_FIT.halfLivesMinutes.join(',')})
  --recency-half-lives LIST    half-lives of the last strong signal to try (default ${DEFAULT_FIT.recencyHalfLivesMinutes.join(',')})
  --not-fitted LIST            features left to their prior, e.g. prior-purchases,event:Product Removed
                               (a history too short to teach them)
  --seed S                     split and bootstrap seed (default 1)
  --train-fraction F           share of customers to learn from (default 0.5)
  --session-gap-minutes N      (default 30)
  --session-id PATH            the messages' own session id (e.g. properties.session_id)
  --replicates N               bootstrap replicates of the held-out figures (default 1000)
  --generalise-on FILE         also evaluate the result on another history, recorded in the provenance
  --generalise-format F        its format (default segment)
  --generalise-session-id PATH its session id path, if any
  --report-json FILE           the held-out evaluation as JSON
  --html FILE                  the held-out evaluation as a web page
  --help                       this text

example:
  npm run fit -- --input history.jsonl --output scoring.json --target-precision 0.3
  npx cdk deploy -c config=scoring.json
`;

export interface FitArgs {
  input: string;
  output: string;
  format: HistoryFormat;
  config?: string;
  intent: Intent;
  threshold: ThresholdRule;
  seed: number;
  trainFraction: number;
  halfLives: number[];
  notFitted: string[];
  recencyHalfLives: number[];
  gapMinutes: number;
  sessionIdPath?: string;
  replicates: number;
  generalise?: { input: string; format: HistoryFormat; sessionIdPath?: string };
  reportJson?: string;
  html?: string;
}

function fraction(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!(x > 0 && x < 1)) throw new UsageError(`${flag} must be a number between 0 and 1, both excluded, got ${value}`);
  return x;
}

function minutesList(value: string | undefined, flag: string, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  const list = value.split(',').map((x) => Number(x.trim()));
  if (list.length === 0 || list.some((x) => !(x >= 1 && x <= 7 * 24 * 60))) throw new UsageError(`${flag} must be a comma-separated list of minutes between 1 and 10080, got ${value}`);
  return list;
}

export function parseFitArgs(argv: string[]): FitArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        format: { type: 'string' },
        config: { type: 'string' },
        intent: { type: 'string' },
        'target-precision': { type: 'string' },
        'alert-budget': { type: 'string' },
        seed: { type: 'string' },
        'train-fraction': { type: 'string' },
        'half-lives': { type: 'string' },
        'not-fitted': { type: 'string' },
        'recency-half-lives': { type: 'string' },
        'session-gap-minutes': { type: 'string' },
        'session-id': { type: 'string' },
        replicates: { type: 'string' },
        'generalise-on': { type: 'string' },
        'generalise-format': { type: 'string' },
        'generalise-session-id': { type: 'string' },
        'report-json': { type: 'string' },
        html: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.input) throw new UsageError('--input is required');
  if (!values.output) throw new UsageError('--output is required');
  const precision = fraction(values['target-precision'], '--target-precision');
  const budget = values['alert-budget'] === undefined ? undefined : Number(values['alert-budget']);
  if (budget !== undefined && !(budget > 0 && budget < 1000)) throw new UsageError(`--alert-budget must be a number of alerts per 1,000 sessions between 0 and 1000, got ${values['alert-budget']}`);
  if (precision !== undefined && budget !== undefined) throw new UsageError('--target-precision and --alert-budget are alternatives: give one');
  const threshold: ThresholdRule =
    precision !== undefined ? { rule: 'target-precision', value: precision } : budget !== undefined ? { rule: 'alert-budget', value: budget } : { rule: 'max-f1' };
  return {
    input: values.input,
    output: values.output,
    format: oneOf(values.format, '--format', HISTORY_FORMATS, 'segment'),
    config: values.config,
    intent: oneOf(values.intent, '--intent', INTENTS, 'buy'),
    threshold,
    seed: integer(values.seed, '--seed', 1),
    trainFraction: fraction(values['train-fraction'], '--train-fraction') ?? DEFAULT_FIT.trainFraction,
    notFitted: values['not-fitted'] ? values['not-fitted'].split(',').map((x) => x.trim()).filter(Boolean) : [],
    halfLives: minutesList(values['half-lives'], '--half-lives', DEFAULT_FIT.halfLivesMinutes),
    recencyHalfLives: minutesList(values['recency-half-lives'], '--recency-half-lives', DEFAULT_FIT.recencyHalfLivesMinutes),
    gapMinutes: integer(values['session-gap-minutes'], '--session-gap-minutes', 30, 1),
    sessionIdPath: values['session-id'],
    replicates: integer(values.replicates, '--replicates', 1000, 1),
    ...(values['generalise-on']
      ? {
          generalise: {
            input: values['generalise-on'],
            format: oneOf(values['generalise-format'], '--generalise-format', HISTORY_FORMATS, 'segment'),
            ...(values['generalise-session-id'] ? { sessionIdPath: values['generalise-session-id'] } : {}),
          },
        }
      : {}),
    reportJson: values['report-json'],
    html: values.html,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function main(argv: string[]): Promise<number> {
  let args: FitArgs | 'help';
  try {
    args = parseFitArgs(argv);
  } catch (err) {
    process.stderr.write(`fit: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const base = loadConfig({ file: args.config });
    const session = { gapMinutes: args.gapMinutes, ...(args.sessionIdPath ? { sessionIdPath: args.sessionIdPath } : {}) };
    const prepared = await prepareHistory({ name: basename(args.input), text: readFileSync(args.input, 'utf8'), format: args.format }, base, session);
    const result = await fitScoring(prepared, base, {
        ...DEFAULT_FIT,
        intent: args.intent,
        seed: args.seed,
        replicates: args.replicates,
        session,
        trainFraction: args.trainFraction,
        threshold: args.threshold,
        halfLivesMinutes: args.halfLives,
        recencyHalfLivesMinutes: args.recencyHalfLives,
        notFitted: args.notFitted,
      }, log);
    if (args.generalise) {
      const g = args.generalise;
      const gSession = { gapMinutes: args.gapMinutes, ...(g.sessionIdPath ? { sessionIdPath: g.sessionIdPath } : {}) };
      const other = await prepareHistory({ name: basename(g.input), text: readFileSync(g.input, 'utf8'), format: g.format }, result.config, gSession);
      const report = await evaluatePrepared(other, result.config, { intent: args.intent, seed: args.seed, replicates: args.replicates, session: gSession });
      log(`\non ${g.input} (not seen by the fit):\n${formatReport(report)}`);
      const provenance = result.patch.scoring.provenance?.[args.intent];
      if (provenance) provenance.generalisation = [{ ...figuresOf(report), input: basename(g.input), sha256: other.input.sha256 }];
    }
    writeFileSync(args.output, `${JSON.stringify(result.patch, null, 2)}\n`);
    process.stdout.write(formatReport(result.heldOut));
    if (args.reportJson) writeFileSync(args.reportJson, `${JSON.stringify(result.heldOut, null, 2)}\n`);
    if (args.html) writeFileSync(args.html, renderHtmlReport(result.heldOut));
    log(`wrote ${args.output} (scoring.version ${result.patch.scoring.version})`);
    return 0;
  } catch (err) {
    process.stderr.write(`fit: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode, not exit(): a report piped to another command is written out in full first.
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
