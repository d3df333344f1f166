/**
 * One convention for every npm script (scripts/cli): `--help` prints usage, every flag and
 * examples and exits 0 having changed nothing; bad usage exits 2 with the reason and no stack
 * trace. Every script of package.json is run, so a new command is held to it from its first day.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** Not the project's commands: the compiler, the test runner, the CDK CLI. */
const NOT_OURS = new Set(['test', 'typecheck', 'synth']);
const COMMANDS = Object.keys(scripts).filter((s) => !NOT_OURS.has(s));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function npmRun(script: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, MM_DEBUG: '' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A line of a Node stack trace. */
const STACK = /^\s+at .+[(:]\d+/m;

/** Runs the calls four at a time: most of each is waiting for a process to start. */
async function fewAtATime<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 4) out.push(...(await Promise.all(items.slice(i, i + 4).map(fn))));
  return out;
}

describe('every npm script follows the CLI convention', () => {
  it('covers the commands of the README', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['start', 'simulate', 'replay', 'privacy', 'redrive', 'bench', 'generate:validators']));
  });

  it('--help: usage, a description of every flag, examples; exit 0; nothing written', async () => {
    const validators = join(ROOT, 'shared/contracts/generated/validators.js');
    const before = statSync(validators).mtimeMs;
    const runs = await fewAtATime(COMMANDS, async (script) => ({ script, run: await npmRun(script, ['--help']) }));
    for (const { script, run } of runs) {
      expect({ script, code: run.code, stderr: run.stderr }).toEqual({ script, code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage:\n {2}npm (start|run \S+) --/m);
      expect(run.stdout).toMatch(/^Options:\n/m);
      expect(run.stdout).toMatch(/^Examples:\n {2}npm /m);
      expect(run.stdout).toMatch(/-h, --help +print this help and exit/);
      // Every flag line says what the flag does.
      for (const line of run.stdout.split('\n').filter((l) => /^ {2}(-\w, )? *--[a-z]/.test(l))) {
        expect({ script, line: line.replace(/^\s*(-\w, )?--\S+( [A-Z0-9_.|a-z]+)?/, '').trim() }).not.toEqual({ script, line: '' });
      }
    }
    // generate:validators used to rewrite its file whatever the flags.
    expect(statSync(validators).mtimeMs).toBe(before);
  });

  it('bad usage: the reason and the usage lines on stderr, exit 2, no stack trace', async () => {
    const cases: [string, string[], RegExp][] = [
      ...COMMANDS.map((script): [string, string[], RegExp] => [script, ['--no-such-flag'], /unknown flag --no-such-flag/]),
      ['bench', ['--only', 'nope'], /--only: unknown section "nope"/],
      ['bench', ['--qiuck'], /unknown flag --qiuck \(did you mean --quick\?\)/],
      ['start', ['--kinesis-port', '99999'], /--kinesis-port: must be an integer from 0 to 65535, got "99999"/],
      ['redrive', [], /give exactly one of --queue-url and --file/],
      ['privacy', ['delete', '--user-id', 'x'], /ACTION must be one of access, erase, got "delete"/],
      ['replay', ['--input', 'x.jsonl'], /--output is required/],
    ];
    const runs = await fewAtATime(cases, async ([script, args, message]) => ({ script, args, message, run: await npmRun(script, args) }));
    for (const { script, args, message, run } of runs) {
      expect({ script, args, code: run.code }).toEqual({ script, args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^usage: npm /m);
      expect(run.stderr).not.toMatch(STACK);
      expect(run.stdout).toBe('');
    }
  });
});
