/**
 * A wrong configuration stops `cdk synth` with a message naming the field: through the context
 * (`-c config=<file>`) in-process, and through the real entry point (infra/app.ts), which prints
 * the message and exits non-zero.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app';
import { ConfigError, loadConfig } from '../../shared/config';

const dir = mkdtempSync(path.join(tmpdir(), 'mm-config-'));
function configFile(name: string, content: unknown): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function synthError(context: Record<string, unknown>): ConfigError {
  try {
    buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the configuration was accepted');
}

test.each([
  ['scoring.intents.go.threshold', { scoring: { intents: { go: { threshold: 1.5 } } } }],
  ['eventSources.enrich.retryAttempts', { eventSources: { enrich: { retryAttempts: -1 } } }],
  ['streams.shardCount', { streams: { mode: 'PROVISIONED', shardCount: 0 } }],
  ['retention.logDays', { retention: { logDays: 10 } }],
  ['streams.signals.consumer', { streams: { signals: { consumer: 'fast' } } }],
  ['streams.enriched.consumer', { streams: { enriched: { consumer: 'EFO' } } }],
  ['deployment.lambdaConcurrencyQuota', { deployment: { lambdaConcurrencyQuota: 0 } }],
  ['deployment.tableDeletionProtection', { deployment: { tableDeletionProtection: 'yes' } }],
])('%s: a bad value fails the synth, naming the field', (field, overrides) => {
  const err = synthError({ config: configFile(field, overrides) });
  expect(err.field).toBe(field);
  expect(err.message).toContain(field);
});

test('reserved concurrency beyond what the account quota leaves reservable fails the synth, naming the field, with the arithmetic', () => {
  // An account whose quota is 10 (new accounts) can reserve nothing: Lambda keeps 100 unreserved.
  const err = synthError({ config: configFile('quota', { functions: { notify: { reservedConcurrency: 5 } }, deployment: { lambdaConcurrencyQuota: 10 } }) });
  expect(err.field).toBe('functions.notify.reservedConcurrency');
  expect(err.message).toContain('reserves 15 concurrent executions in this stage (5 for each of the 3 notify functions)');
  expect(err.message).toContain('deployment.lambdaConcurrencyQuota is 10');
  // Within the quota (1000 - 100 unreserved), the same reservation is accepted.
  expect(() => loadConfig({ overrides: { functions: { notify: { reservedConcurrency: 5 }, enrich: { reservedConcurrency: 880 } } } })).not.toThrow();
  expect(() => loadConfig({ overrides: { functions: { notify: { reservedConcurrency: 5 }, enrich: { reservedConcurrency: 886 } } } })).toThrow(/at most 900 can be reserved/);
});

test('a stage outside devStages refuses the example webhook endpoint, naming the field', () => {
  const err = synthError({ stage: 'prod' });
  expect(err.field).toBe('channels.webhook.endpoint');
  expect(err.message).toContain('is the example endpoint, and stage "prod" is not in devStages');
  expect(synthError({ stage: 'staging', config: configFile('sub', { channels: { webhook: { endpoint: 'https://hooks.EXAMPLE.org/x' } } }) }).field).toBe('channels.webhook.endpoint');
  // A named receiver, or the channel disabled, deploys.
  expect(() => loadConfig({ stage: 'prod', overrides: { channels: { webhook: { endpoint: 'https://hooks.brand.test/mm' } } } })).not.toThrow();
  expect(() => loadConfig({ stage: 'prod', overrides: { channels: { webhook: { enabled: false } }, routing: [] } })).not.toThrow();
});

test('a routing pattern that EventBridge would reject fails the synth, naming the rule', () => {
  const err = synthError({
    config: configFile('pattern', {
      routing: [{ name: 'bad', description: 'source is not a list', pattern: { source: 'micro-moments' }, target: 'push' }],
    }),
  });
  expect(err.message).toContain('routing.0.pattern');
});

test('a stage name that cannot name resources fails the synth', () => {
  expect(synthError({ stage: 'Prod_1' }).field).toBe('stage');
});

test('a missing config file fails the synth, naming it', () => {
  const err = synthError({ config: path.join(dir, 'missing.json') });
  expect(err.message).toContain('missing.json');
});

test('`cdk synth` (infra/app.ts) prints the field and exits non-zero', () => {
  const file = configFile('cli', { scoring: { intents: { go: { threshold: 1.5 } } } });
  const result = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['infra/app.ts'], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: file }), CDK_OUTDIR: path.join(dir, 'cdk.out') },
    encoding: 'utf8',
  });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain('scoring.intents.go.threshold');
});

test('the example configurations load with every key known; a misspelt new key is refused with the right one', () => {
  const examples = path.resolve(__dirname, '..', '..', 'examples');
  expect(loadConfig({ file: path.join(examples, 'enhanced-fan-out.json') }).streams).toMatchObject({ signals: { consumer: 'enhanced-fan-out' }, enriched: { consumer: 'enhanced-fan-out' } });
  expect(loadConfig({ file: path.join(examples, 'prod.json'), stage: 'prod' }).deployment.lambdaConcurrencyQuota).toBe(1000);
  const err = synthError({ config: configFile('typo', { streams: { signals: { consumr: 'shared' } } }) });
  expect(err.message).toContain('streams.signals.consumr');
  expect(err.message).toContain('consumer');
  expect(synthError({ config: configFile('typo2', { deployment: { lambdaConcurrencyQuotas: 10 } }) }).message).toContain('lambdaConcurrencyQuota');
});
