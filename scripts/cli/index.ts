/**
 * The one command-line convention of every npm script (start, simulate, replay, privacy, redrive,
 * bench, generate:validators, and any new one): a command is described once, as data, and that
 * description gives its parsing (node:util parseArgs, strict), its `--help` and its usage errors.
 *
 *   const command = defineCommand({
 *     name: 'npm run replay',
 *     summary: 'Enrich and score a file of recorded signals in one process.',
 *     usage: ['--input FILE.jsonl --output FILE.jsonl [--config FILE]'],
 *     flags: {
 *       input: { type: 'string', value: 'FILE.jsonl', description: 'recorded signals, one per line', required: true },
 *       quick: { type: 'boolean', description: 'fewer, smaller runs' },
 *     },
 *     examples: ['npm run replay -- --input signals.jsonl --output moments.jsonl'],
 *   });
 *   runCommand(command, async ({ values }) => { …; return 0; });   // at the bottom of the script
 *
 * The convention:
 * - `--help` (or `-h`) prints usage, a description of every flag and examples on stdout and exits
 *   0 before anything else runs: it reads, writes and starts nothing.
 * - Bad usage (unknown flag, with the closest known one suggested; missing value; bad number;
 *   a missing required flag; a UsageError thrown by the command) prints the reason and the usage
 *   lines on stderr and exits 2, having done nothing.
 * - Any other error prints `<command>: <message>` on stderr, never a stack trace (MM_DEBUG=1
 *   adds it), and exits 1. The command's own result is its exit code: 0 done, 1 it ran and failed.
 *
 * Checks that involve several flags stay in the command, which throws `UsageError` for them;
 * `intValue` / `numberValue` read numeric flags with the same wording everywhere.
 */
import { parseArgs } from 'node:util';
import { didYouMean } from '../../shared/closest-name';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** What the value is, for the help: `N`, `FILE.jsonl`, `URL`. String flags only. */
  value?: string;
  /** One line (or a few) saying what the flag does and its default. */
  description: string;
  short?: string;
  /** A string flag the command cannot run without (checked after --help). */
  required?: boolean;
  /** Shown in the help as "(default: …)". The value itself stays the command's to apply. */
  defaultText?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  /** When given, the positional must be one of these. */
  choices?: readonly string[];
}

export interface CommandSpec<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  /** How the user runs it: `npm start`, `npm run replay`. */
  name: string;
  /** One sentence: what the command does. */
  summary: string;
  /** Usage lines without the name (`--input FILE [--config FILE]`); default: `[options]`. */
  usage?: string[];
  positionals?: PositionalSpec[];
  flags: F;
  examples: string[];
  /** Paragraphs printed after the flags (exit codes, where output goes). */
  notes?: string[];
}

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : string;
export type FlagValues<F extends Record<string, FlagSpec>> = { [K in keyof F]?: FlagValue<F[K]> };

export interface ParsedCommand<F extends Record<string, FlagSpec>> {
  values: FlagValues<F>;
  positionals: string[];
  help: boolean;
}

/** Bad usage: exit 2 with the usage lines. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function defineCommand<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** npm passes flags on to the script only after `--` (`npm start --help` is npm's own help). */
const invocation = (name: string) => `${name} --`;

export function usageLines(spec: CommandSpec): string[] {
  return (spec.usage ?? ['[options]']).map((u) => `${invocation(spec.name)} ${u}`);
}

function flagLabel(name: string, f: FlagSpec): string {
  const long = `--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
  return f.short ? `-${f.short}, ${long}` : `    ${long}`;
}

export function helpText(spec: CommandSpec): string {
  const out: string[] = [`${spec.name}: ${spec.summary}`, '', 'Usage:', ...usageLines(spec).map((u) => `  ${u}`)];
  const rows: [string, string][] = [
    ...(spec.positionals ?? []).map((p): [string, string] => [`    ${p.name}`, p.description]),
    ...Object.entries(spec.flags).map(([name, f]): [string, string] => [
      flagLabel(name, f),
      `${f.description}${f.required ? ' (required)' : ''}${f.defaultText !== undefined ? ` (default: ${f.defaultText})` : ''}`,
    ]),
    ['-h, --help', 'print this help and exit'],
  ];
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  out.push('', 'Options:');
  for (const [label, text] of rows) {
    const [first, ...more] = text.split('\n');
    const pad = label.length + 2 > width ? `\n  ${' '.repeat(width)}` : ' '.repeat(width - label.length);
    out.push(`  ${label}${pad}${first}`, ...more.map((m) => `  ${' '.repeat(width)}${m}`));
  }
  if (spec.examples.length > 0) out.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  for (const note of spec.notes ?? []) out.push('', note);
  return `${out.join('\n')}\n`;
}

/** The short name used in messages: `npm run replay` → `replay`, `npm start` → `start`. */
const shortName = (spec: CommandSpec) => spec.name.replace(/^npm (run )?/, '');

/** What a usage error prints: the reason, the usage lines and where the help is. */
export function usageErrorText(spec: CommandSpec, message: string): string {
  return `${shortName(spec)}: ${message}\n\nusage: ${usageLines(spec).join('\n       ')}\n(${invocation(spec.name)} --help describes every flag)\n`;
}

function rethrowParseError(spec: CommandSpec, argv: readonly string[], err: unknown): never {
  const e = err as Error & { code?: string };
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = quoted.replace(/=.*$/, '');
    const known = Object.keys(spec.flags).map((n) => `--${n}`);
    throw new UsageError(`unknown flag ${flag}${didYouMean(flag, [...known, '--help'])}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.split(' ')[0];
    const f = spec.flags[flag.replace(/^-+/, '')] as FlagSpec | undefined;
    if (f?.type === 'boolean') throw new UsageError(`${flag} takes no value`);
    // parseArgs refuses `--flag -value` as ambiguous; say how to pass it without echoing it (it may be an identifier).
    const next = argv[argv.indexOf(flag) + 1];
    const dashHint = argv.includes(flag) && next?.startsWith('-') ? `; a value that starts with "-" is written ${flag}=${f?.value ?? 'VALUE'}` : '';
    throw new UsageError(`${flag} needs a value${f?.value ? ` (${f.value})` : ''}${dashHint}`);
  }
  // The value is not echoed: it may be an identifier typed in the wrong place.
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError('unexpected argument: this command takes flags only (a value needs its --flag before it)');
  throw new UsageError(e.message);
}

/** Parses `argv` by the spec; throws UsageError. With `help` set, nothing else is checked. */
export function parseCommand<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, argv: readonly string[]): ParsedCommand<F> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(spec.flags)) options[name] = { type: f.type, ...(f.short ? { short: f.short } : {}) };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: (spec.positionals?.length ?? 0) > 0 }) as typeof parsed;
  } catch (err) {
    // --help wins over anything else on the line, as users expect of it.
    if (argv.includes('--help') || argv.includes('-h')) return { values: {}, positionals: [], help: true };
    rethrowParseError(spec, argv, err);
  }
  const { help, ...values } = parsed.values;
  if (help) return { values: {}, positionals: [], help: true };
  const expected = spec.positionals ?? [];
  if (parsed.positionals.length > expected.length) {
    throw new UsageError(`unexpected argument after ${expected.map((p) => p.name).join(' ')} (a value needs its --flag before it)`);
  }
  expected.forEach((p, i) => {
    const got = parsed.positionals[i];
    if (got === undefined) throw new UsageError(`${p.name} is required`);
    if (p.choices && !p.choices.includes(got)) throw new UsageError(`${p.name} must be one of ${p.choices.join(', ')}, got "${got}"${didYouMean(got, p.choices)}`);
  });
  for (const [name, f] of Object.entries(spec.flags)) {
    const v = values[name];
    if (f.required && (v === undefined || v === '')) throw new UsageError(`--${name} is required`);
    if (f.type === 'string' && v === '') throw new UsageError(`--${name} needs a value${f.value ? ` (${f.value})` : ''}`);
  }
  return { values: values as FlagValues<F>, positionals: parsed.positionals, help: false };
}

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** `min` itself not allowed (rates, durations). */
  minExclusive?: boolean;
}

function ruleText(r: NumberRule): string {
  const kind = r.integer ? 'an integer' : 'a number';
  if (r.min !== undefined && r.max !== undefined) return `${kind} from ${r.min} to ${r.max}`;
  if (r.min !== undefined) return `${kind} ${r.minExclusive ? '>' : '>='} ${r.min}`;
  if (r.max !== undefined) return `${kind} <= ${r.max}`;
  return kind;
}

/** A numeric flag's value, `fallback` when absent; UsageError naming the flag when it is not a fitting number. */
export function numberValue(name: string, raw: string | undefined, fallback: number, rule?: NumberRule): number;
export function numberValue(name: string, raw: string | undefined, fallback: undefined, rule?: NumberRule): number | undefined;
export function numberValue(name: string, raw: string | undefined, fallback: number | undefined, rule: NumberRule = {}): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.min === undefined || (rule.minExclusive ? n > rule.min : n >= rule.min)) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new UsageError(`--${name}: must be ${ruleText(rule)}, got "${raw}"`);
  return n;
}

export function intValue(name: string, raw: string | undefined, fallback: number, rule?: Omit<NumberRule, 'integer'>): number;
export function intValue(name: string, raw: string | undefined, fallback: undefined, rule?: Omit<NumberRule, 'integer'>): number | undefined;
export function intValue(name: string, raw: string | undefined, fallback: number | undefined, rule: Omit<NumberRule, 'integer'> = {}): number | undefined {
  return numberValue(name, raw, fallback as number, { ...rule, integer: true });
}

/** A TCP port flag: 0 (any free port) to 65535. */
export const portValue = (name: string, raw: string | undefined): number => intValue(name, raw, 0, { min: 0, max: 65535 });

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CommandIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };


/** Message of an error for the user: one line, the stack only with MM_DEBUG. */
export function errorText(spec: CommandSpec, err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const debug = process.env.MM_DEBUG && e.stack ? `\n${e.stack}` : '';
  return `${shortName(spec)}: ${e.message}${debug}\n`;
}

/**
 * Parses, then runs `main` and resolves to the exit code (0 help, 2 usage, 1 error, else main's).
 * Testable: nothing exits here; `runCommand` exits.
 */
export async function executeCommand<F extends Record<string, FlagSpec>>(
  spec: CommandSpec<F>,
  main: (args: ParsedCommand<F>) => Promise<number> | number,
  argv: readonly string[],
  io: CommandIo = processIo,
): Promise<number> {
  try {
    const args = parseCommand(spec, argv);
    if (args.help) {
      io.stdout(helpText(spec));
      return 0;
    }
    return await main(args);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(usageErrorText(spec, err.message));
      return 2;
    }
    io.stderr(errorText(spec, err));
    return 1;
  }
}

/** The script's entry point: executeCommand with process.argv, then exit with its code. */
export function runCommand<F extends Record<string, FlagSpec>>(spec: CommandSpec<F>, main: (args: ParsedCommand<F>) => Promise<number> | number): void {
  executeCommand(spec, main, process.argv.slice(2)).then(
    (code) => process.exit(code),
    // executeCommand catches everything; this is for an error in writing the error.
    () => process.exit(1),
  );
}
