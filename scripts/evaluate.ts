/**
 * `npm run evaluate`: how well an intent's moments predict its outcome on recorded history, per
 * session, beside the baselines, with bootstrap intervals over customers (docs/SCORING.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../shared/config';
import { INTENTS, type Intent } from '../shared/contracts/enriched';
import { HISTORY_FORMATS, type HistoryFormat } from '../shared/evaluation/datasets';
import { formatReport } from '../shared/evaluation/format';
import { renderHtmlReport } from '../shared/evaluation/report-html';
import { evaluatePrepared, prepareHistory } from '../shared/evaluation/run-evaluation';
import { defineCommand, executeCommand, intValue, parseCommand, runCommand, UsageError } from './cli';

export const command = defineCommand({
  name: 'npm run evaluate',
  summary:
    "run the real enrich and score code over recorded Segment history (one message per line) and report, per session, how well an intent's moments and scores predict its outcome event, beside the baselines (cart-add rule, counts, logistic regression on counts), with 95 % bootstrap intervals over customers (docs/SCORING.md).",
  usage: ['--input FILE [--format F] [--config FILE] [--intent I] [--report-json FILE] [--html FILE]'],
  flags: {
    input: { type: 'string', value: 'FILE', description: 'the recorded history', required: true },
    format: { type: 'string', value: 'F', description: `${HISTORY_FORMATS.join(' | ')}: CSV formats are converted to Segment messages`, defaultText: 'segment' },
    config: { type: 'string', value: 'FILE', description: 'configuration to evaluate (merged over the defaults, like every command)' },
    intent: { type: 'string', value: 'I', description: `${INTENTS.join(' | ')}; its outcome events come from scoring.intents.<I>.outcomeEvents`, defaultText: 'buy' },
    'held-out': { type: 'boolean', description: "only the customers a fitted configuration did not see (its provenance's split)" },
    'session-gap-minutes': { type: 'string', value: 'N', description: 'a session ends after N minutes without activity', defaultText: '30' },
    'session-id': { type: 'string', value: 'PATH', description: "use the messages' own session id at PATH instead (e.g. properties.session_id)" },
    seed: { type: 'string', value: 'N', description: 'bootstrap seed', defaultText: '1' },
    replicates: { type: 'string', value: 'N', description: 'bootstrap replicates', defaultText: '1000' },
    'report-json': { type: 'string', value: 'FILE', description: 'the report as JSON, for tools' },
    html: { type: 'string', value: 'FILE', description: 'the report as a self-contained web page, for people' },
  },
  examples: [
    'npm run evaluate -- --input history.jsonl --html report.html --report-json report.json',
    'npm run evaluate -- --input history.jsonl --config scoring.json --held-out   (the customers the fit did not see)',
  ],
  notes: ['The same input, configuration and seed give the same report, byte for byte.'],
});

export interface EvaluateArgs {
  input: string;
  format: HistoryFormat;
  config?: string;
  intent: Intent;
  heldOut: boolean;
  gapMinutes: number;
  sessionIdPath?: string;
  seed: number;
  replicates: number;
  reportJson?: string;
  html?: string;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

/** The flags, checked; throws UsageError. */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  const { values } = parseCommand(command, argv);
  return {
    input: values.input as string,
    format: oneOf(values.format, '--format', HISTORY_FORMATS, 'segment'),
    config: values.config,
    intent: oneOf(values.intent, '--intent', INTENTS, 'buy'),
    heldOut: values['held-out'] ?? false,
    gapMinutes: intValue('--session-gap-minutes', values['session-gap-minutes'], 30, { min: 1 }),
    sessionIdPath: values['session-id'],
    seed: intValue('--seed', values.seed, 1, { min: 0 }),
    replicates: intValue('--replicates', values.replicates, 1000, { min: 1 }),
    reportJson: values['report-json'],
    html: values.html,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  return executeCommand(command, () => evaluateFiles(parseEvaluateArgs(argv)), argv);
}

async function evaluateFiles(args: EvaluateArgs): Promise<number> {
  const config = loadConfig({ file: args.config });
  const text = readFileSync(args.input, 'utf8');
  const session = { gapMinutes: args.gapMinutes, ...(args.sessionIdPath ? { sessionIdPath: args.sessionIdPath } : {}) };
  const prepared = await prepareHistory({ name: basename(args.input), text, format: args.format }, config, session);
  const report = await evaluatePrepared(prepared, config, { intent: args.intent, seed: args.seed, replicates: args.replicates, session, heldOut: args.heldOut });
  process.stdout.write(formatReport(report));
  if (args.reportJson) writeFileSync(args.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  if (args.html) writeFileSync(args.html, renderHtmlReport(report));
  return 0;
}

if (require.main === module) {
  runCommand(command, () => evaluateFiles(parseEvaluateArgs(process.argv.slice(2))));
}
