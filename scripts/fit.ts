/**
 * `npm run fit`: learns an intent's scoring configuration from recorded outcomes and writes it as
 * an ordinary configuration file, with its provenance (docs/SCORING.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../shared/config';
import { INTENTS, type Intent } from '../shared/contracts/enriched';
import { HISTORY_FORMATS, type HistoryFormat } from '../shared/evaluation/datasets';
import { DEFAULT_FIT, figuresOf, fitScoring, type ThresholdRule } from '../shared/evaluation/fit';
import { formatReport } from '../shared/evaluation/format';
import { renderHtmlReport } from '../shared/evaluation/report-html';
import { evaluatePrepared, prepareHistory } from '../shared/evaluation/run-evaluation';
import { defineCommand, executeCommand, intValue, parseCommand, runCommand, UsageError } from './cli';
import { oneOf } from './evaluate';

export const command = defineCommand({
  name: 'npm run fit',
  summary:
    "learn an intent's weights per feature, half-life and threshold from the outcomes in recorded Segment history, on a split by customer, and write them as a configuration file (for --config of every command and cdk synth -c config=) with scoring.version and scoring.provenance (input digest, split, seed, held-out figures); prints the held-out evaluation (docs/SCORING.md).",
  usage: ['--input FILE --output scoring.json [--target-precision P | --alert-budget N] [--intent I] [--seed S] [options]'],
  flags: {
    input: { type: 'string', value: 'FILE', description: 'the recorded history', required: true },
    output: { type: 'string', value: 'FILE', description: 'the configuration to write', required: true },
    format: { type: 'string', value: 'F', description: HISTORY_FORMATS.join(' | '), defaultText: 'segment' },
    config: { type: 'string', value: 'FILE', description: 'base configuration: its priors stay for what the history cannot teach' },
    intent: { type: 'string', value: 'I', description: INTENTS.join(' | '), defaultText: 'buy' },
    'target-precision': { type: 'string', value: 'P', description: 'the lowest threshold whose precision on the training customers reaches P (0 < P < 1)' },
    'alert-budget': {
      type: 'string',
      value: 'N',
      description: 'the lowest threshold flagging at most N sessions per 1,000 training sessions (neither flag: the threshold of the best F1 on the training customers)',
    },
    'half-lives': { type: 'string', value: 'LIST', description: 'half-lives to try, minutes', defaultText: DEFAULT_FIT.halfLivesMinutes.join(',') },
    'recency-half-lives': { type: 'string', value: 'LIST', description: 'half-lives of the last strong signal to try, minutes', defaultText: DEFAULT_FIT.recencyHalfLivesMinutes.join(',') },
    'not-fitted': { type: 'string', value: 'LIST', description: 'features left to their prior, e.g. prior-purchases,event:Product Removed (a history too short to teach them)' },
    seed: { type: 'string', value: 'S', description: 'split and bootstrap seed', defaultText: '1' },
    'train-fraction': { type: 'string', value: 'F', description: 'share of customers to learn from', defaultText: String(DEFAULT_FIT.trainFraction) },
    'session-gap-minutes': { type: 'string', value: 'N', description: 'a session ends after N minutes without activity', defaultText: '30' },
    'session-id': { type: 'string', value: 'PATH', description: "the messages' own session id (e.g. properties.session_id)" },
    replicates: { type: 'string', value: 'N', description: 'bootstrap replicates of the held-out figures', defaultText: '1000' },
    'generalise-on': { type: 'string', value: 'FILE', description: 'also evaluate the result on another history, recorded in the provenance' },
    'generalise-format': { type: 'string', value: 'F', description: "the other history's format", defaultText: 'segment' },
    'generalise-session-id': { type: 'string', value: 'PATH', description: "the other history's session id path, if any" },
    'report-json': { type: 'string', value: 'FILE', description: 'the held-out evaluation as JSON' },
    html: { type: 'string', value: 'FILE', description: 'the held-out evaluation as a web page' },
  },
  examples: [
    'npm run fit -- --input history.jsonl --output scoring.json --target-precision 0.3',
    'npm run fit -- --input history.jsonl --output scoring.json --alert-budget 50 --seed 7',
    'npx cdk deploy -c config=scoring.json',
  ],
});

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

/** The flags, checked; throws UsageError. */
export function parseFitArgs(argv: readonly string[]): FitArgs {
  const { values } = parseCommand(command, argv);
  const precision = fraction(values['target-precision'], '--target-precision');
  const budget = values['alert-budget'] === undefined ? undefined : Number(values['alert-budget']);
  if (budget !== undefined && !(budget > 0 && budget < 1000)) throw new UsageError(`--alert-budget must be a number of alerts per 1,000 sessions between 0 and 1000, got ${values['alert-budget']}`);
  if (precision !== undefined && budget !== undefined) throw new UsageError('--target-precision and --alert-budget are alternatives: give one');
  const threshold: ThresholdRule =
    precision !== undefined ? { rule: 'target-precision', value: precision } : budget !== undefined ? { rule: 'alert-budget', value: budget } : { rule: 'max-f1' };
  return {
    input: values.input as string,
    output: values.output as string,
    format: oneOf(values.format, '--format', HISTORY_FORMATS, 'segment'),
    config: values.config,
    intent: oneOf(values.intent, '--intent', INTENTS, 'buy'),
    threshold,
    seed: intValue('--seed', values.seed, 1, { min: 0 }),
    trainFraction: fraction(values['train-fraction'], '--train-fraction') ?? DEFAULT_FIT.trainFraction,
    notFitted: values['not-fitted'] ? values['not-fitted'].split(',').map((x) => x.trim()).filter(Boolean) : [],
    halfLives: minutesList(values['half-lives'], '--half-lives', DEFAULT_FIT.halfLivesMinutes),
    recencyHalfLives: minutesList(values['recency-half-lives'], '--recency-half-lives', DEFAULT_FIT.recencyHalfLivesMinutes),
    gapMinutes: intValue('--session-gap-minutes', values['session-gap-minutes'], 30, { min: 1 }),
    sessionIdPath: values['session-id'],
    replicates: intValue('--replicates', values.replicates, 1000, { min: 1 }),
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

export async function main(argv: readonly string[]): Promise<number> {
  return executeCommand(command, () => fitFiles(parseFitArgs(argv)), argv);
}

async function fitFiles(args: FitArgs): Promise<number> {
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
}

if (require.main === module) {
  runCommand(command, () => fitFiles(parseFitArgs(process.argv.slice(2))));
}
