/**
 * `npm run ci:synth-lint`: synthesises the stacks of two stages as `cdk deploy` builds them (the
 * functions bundled by the local esbuild, offline, no Docker) and lints both templates with
 * cfn-lint when it is installed. CI runs it after the tests (.ci/run).
 *
 *   dev   the defaults: shared-throughput consumers, every stateful resource deleted with the stage
 *   prod  examples/prod.json: provisioned streams, enhanced fan-out consumers, data kept
 *
 * It fails on any cfn-lint error and on any warning but W3005 ("DependsOn is redundant"): CDK
 * writes an explicit DependsOn beside the Ref or GetAtt that already orders two resources (a role's
 * default policy and the function that uses the role), which CloudFormation accepts and cfn-lint
 * reports as redundant. Without cfn-lint on the PATH it says so, and checks the synth only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineCommand, runCommand } from './cli';

const ROOT = resolve(__dirname, '..');

/** The stages CI synthesises: the default one, and the prod-like example. */
export const CI_STAGES: { stage: string; config?: string }[] = [{ stage: 'dev' }, { stage: 'prod', config: 'examples/prod.json' }];

/** cfn-lint's only warning CDK templates are allowed: a DependsOn beside a Ref that already orders. */
export const ALLOWED_WARNINGS = ['W3005'];

export const command = defineCommand({
  name: 'npm run ci:synth-lint',
  summary: 'synthesise the dev and the prod-like stage (examples/prod.json) and lint both templates with cfn-lint, if installed.',
  usage: ['[--keep DIR]'],
  flags: {
    keep: { type: 'string', value: 'DIR', description: 'write the cloud assemblies to DIR and keep them', defaultText: 'a temporary directory, removed' },
  },
  examples: ['npm run ci:synth-lint', 'npm run ci:synth-lint -- --keep /tmp/assemblies'],
  notes: [
    `Exit 0: both stages synthesised (cdk-nag passes) and cfn-lint found no error and no warning but ${ALLOWED_WARNINGS.join(', ')} (or is not installed). Exit 1 otherwise.`,
  ],
});

function run(cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function cfnLintVersion(): string | undefined {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return r.error ? undefined : r.stdout.trim() || r.stderr.trim();
}

if (require.main === module) {
  runCommand(command, ({ values }) => {
    const out = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'mm-synth-'));
    try {
      const cdk = join(ROOT, 'node_modules', '.bin', 'cdk');
      const templates: string[] = [];
      for (const { stage, config } of CI_STAGES) {
        process.stdout.write(`synth: stage ${stage}${config ? ` with ${config}` : ''}\n`);
        const args = ['synth', '--quiet', '--no-notices', '--output', join(out, stage), '-c', `stage=${stage}`, ...(config ? ['-c', `config=${config}`] : [])];
        if (run(cdk, args) !== 0) return 1;
        const template = join(out, stage, `MicroMoments-${stage}.template.json`);
        if (!existsSync(template) || statSync(template).size === 0) {
          process.stderr.write(`synth: ${template} was not written\n`);
          return 1;
        }
        templates.push(template);
      }
      const version = cfnLintVersion();
      if (!version) {
        process.stdout.write('cfn-lint: not installed, templates not linted (pip install cfn-lint to lint them)\n');
        return 0;
      }
      process.stdout.write(`${version}: ${templates.length} templates, failing on errors and on warnings but ${ALLOWED_WARNINGS.join(', ')}\n`);
      if (run('cfn-lint', ['--non-zero-exit-code', 'warning', '--ignore-checks', ...ALLOWED_WARNINGS, '--', ...templates]) !== 0) return 1;
      process.stdout.write('cfn-lint: no error, no warning\n');
      return 0;
    } finally {
      if (!values.keep) rmSync(out, { recursive: true, force: true });
    }
  });
}
