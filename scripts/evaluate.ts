/**
 * `npm run evaluate`: how well an intent's moments predict its outcome on recorded history, per
 * session, beside the baselines, with bootstrap intervals over customers (docs/SCORING.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../shared/config';
import { INTENTS, type Intent } from '../shared/contracts/enriched';
import { HISTORY_FORMATS, type HistoryFormat } from '../shared/evaluation/datasets';
import { formatReport } from '../shared/evaluation/format';
import { renderHtmlReport } from '../shared/evaluation/report-html';
import { evaluatePrepared, prepareHistory } from '../shared/evaluation/run-evaluation';

export const USAGE = `usage: npm run evaluate -- --input FILE [options]

Runs the real enrich and score code over recorded Segment history (one message per line) and
reports, per session, how well the intent's moments and scores predict its outcome event, beside
the baselines (cart-add rule, counts, logistic regression on counts), with 95 % bootstrap
intervals over customers. The same input, configuration and seed give the same report.

options:
  --input FILE                 the history (required)
  --format F                   ${HISTORY_FORMATS.join(' | ')} (default segment): CSV formats are converted to Segment messages
  --config FILE                configuration to evaluate (merged over the defaults, like every command)
  --intent I                   ${INTENTS.join(' | ')} (default buy); its outcome events come from scoring.intents.<I>.outcomeEvents
  --held-out                   only the customers a fitted configuration did not see (its provenance's split)
  --session-gap-minutes N      a session ends after N minutes without activity (default 30)
  --session-id PATH            use the messages' own session id at PATH instead (e.g. properties.session_id)
  --seed N                     bootstrap seed (default 1)
  --replicates N               bootstrap replicates (default 1000)
  --report-json FILE           the report as JSON, for tools
  --html FILE                  the report as a self-contained web page, for people
  --help                       this text

example:
  npm run evaluate -- --input history.jsonl --html report.html --report-json report.json
`;

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

export class UsageError extends Error {}

export function integer(value: string | undefined, flag: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer of at least ${min}, got ${value}`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

export function parseEvaluateArgs(argv: string[]): EvaluateArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        input: { type: 'string' },
        format: { type: 'string' },
        config: { type: 'string' },
        intent: { type: 'string' },
        'held-out': { type: 'boolean', default: false },
        'session-gap-minutes': { type: 'string' },
        'session-id': { type: 'string' },
        seed: { type: 'string' },
        replicates: { type: 'string' },
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
  return {
    input: values.input,
    format: oneOf(values.format, '--format', HISTORY_FORMATS, 'segment'),
    config: values.config,
    intent: oneOf(values.intent, '--intent', INTENTS, 'buy'),
    heldOut: values['held-out'] ?? false,
    gapMinutes: integer(values['session-gap-minutes'], '--session-gap-minutes', 30, 1),
    sessionIdPath: values['session-id'],
    seed: integer(values.seed, '--seed', 1),
    replicates: integer(values.replicates, '--replicates', 1000, 1),
    reportJson: values['report-json'],
    html: values.html,
  };
}

export async function main(argv: string[]): Promise<number> {
  let args: EvaluateArgs | 'help';
  try {
    args = parseEvaluateArgs(argv);
  } catch (err) {
    process.stderr.write(`evaluate: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const config = loadConfig({ file: args.config });
    const text = readFileSync(args.input, 'utf8');
    const session = { gapMinutes: args.gapMinutes, ...(args.sessionIdPath ? { sessionIdPath: args.sessionIdPath } : {}) };
    const prepared = await prepareHistory({ name: basename(args.input), text, format: args.format }, config, session);
    const report = await evaluatePrepared(prepared, config, { intent: args.intent, seed: args.seed, replicates: args.replicates, session, heldOut: args.heldOut });
    process.stdout.write(formatReport(report));
    if (args.reportJson) writeFileSync(args.reportJson, `${JSON.stringify(report, null, 2)}\n`);
    if (args.html) writeFileSync(args.html, renderHtmlReport(report));
    return 0;
  } catch (err) {
    process.stderr.write(`evaluate: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode, not exit(): a report piped to another command is written out in full first.
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
