/**
 * The runtime of a deployed function, from the environment CDK sets (infra/lib/function.ts and the
 * constructs) and the configuration baked into the bundle; built by createRuntime
 * (shared/adapters/runtime.ts), as every other runtime is.
 */
import type { MicroMomentsConfig } from '../../shared/config';
import { CHANNEL_KINDS, channelKindOf } from '../../shared/channels';
import { isChannel, type Channel } from '../../shared/contracts/channel-names';
import { ENV } from '../../shared/names';
import { createRuntimeWithClients, type Runtime } from '../../shared/adapters/runtime';
import { SecretsManagerSource } from '../../shared/adapters/secrets-manager';
import { createClients, createClientsOf, type ClientMakers } from '../../shared/adapters/aws-clients';
import { tracing } from './tracing';
import type { SecretName, SecretSource } from '../../shared/secrets';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/**
 * The configuration baked into the bundle at synth (esbuild replaces `process.env.MM_CONFIG` with
 * the JSON text), so the deployed functions run exactly what `cdk synth` validated. It is not
 * validated again here: `cdk synth` refused anything invalid before baking it in, and checking it
 * again took 20-50 ms of every cold start (and kept the validator and the pattern checker in every
 * bundle).
 */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): MicroMomentsConfig {
  // `process.env.MM_CONFIG` literally, so that esbuild's define replaces it in the bundle.
  const baked = env === process.env ? process.env.MM_CONFIG : env.MM_CONFIG;
  if (!baked) {
    throw new Error(
      'MM_CONFIG is not set: a function bundle carries its configuration, baked in by CDK at synth (infra/lib/bundling.ts); build it with `cdk synth`',
    );
  }
  return JSON.parse(baked) as MicroMomentsConfig;
}

export type FunctionName = 'enrich' | 'score' | 'notify' | 'privacy';

const SECRET_ENV: Record<SecretName, string> = { pepper: ENV.pepperSecretArn, webhook: ENV.webhookSecretArn };
const SECRET_PURPOSE: Record<SecretName, string> = {
  pepper: 'the pepper that keys customer keys and message digests',
  webhook: 'the webhook signing secret',
};

/** The secrets a function cannot work without: enrich and privacy the pepper, notify those of its channel's kind (the webhook's signing secret). */
export function secretsNeeded(fn: FunctionName, config: MicroMomentsConfig, env: NodeJS.ProcessEnv = process.env): SecretName[] {
  switch (fn) {
    case 'enrich':
    case 'privacy':
      return ['pepper'];
    case 'score':
      return [];
    case 'notify': {
      const settings = isChannel(env[ENV.channel]) ? config.channels[env[ENV.channel] as Channel] : undefined;
      return settings ? [...channelKindOf(settings).secrets] : [];
    }
  }
}

/**
 * Fails closed: a function whose secret's ARN is missing refuses to start (the error is the cold
 * start's), rather than run with anything else. In particular the configuration's `localPepper`,
 * which is published with the code, is never used outside local mode.
 */
export function secretArnsFromEnvironment(needed: readonly SecretName[], env: NodeJS.ProcessEnv = process.env): Partial<Record<SecretName, string>> {
  const arns: Partial<Record<SecretName, string>> = {};
  for (const name of ['pepper', 'webhook'] as const) {
    const arn = env[SECRET_ENV[name]];
    if (arn) arns[name] = arn;
  }
  for (const name of needed) {
    if (!arns[name]) {
      throw new Error(
        `environment variable ${SECRET_ENV[name]} is required: the ARN of ${SECRET_PURPOSE[name]} in Secrets Manager (set by CDK). ` +
          "The function does not start without it; the configuration's localPepper is for local mode only.",
      );
    }
  }
  return arns;
}

/** The variables the channel kinds' construct parts set (each kind's `env`), those present. */
function channelEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = Object.values(CHANNEL_KINDS).flatMap((k) => Object.keys(k.env));
  return Object.fromEntries(names.flatMap((n) => (env[n] ? [[n, env[n] as string]] : [])));
}

function secretsOnFirstRead(make: () => SecretSource): SecretSource {
  let source: SecretSource | undefined;
  return { get: async (name) => (source ??= make()).get(name) };
}

/**
 * `clientMakers`: the AWS clients the function uses (its index.ts lists them), so that its bundle
 * carries only those SDK packages; reading another one throws, naming it.
 */
export function runtimeFromEnvironment(fn: FunctionName, clientMakers: ClientMakers): Runtime {
  const config = configFromEnvironment();
  // Before any client is built: a missing secret is the first thing a cold start reports.
  const needed = secretsNeeded(fn, config);
  const secretArns = secretArnsFromEnvironment(needed);
  // `process.env.MM_CLIENTS` literally: infra/lib/bundling.ts bakes it in and esbuild drops the
  // branch not taken, so a bundle built with `clients: 'used'` carries only the listed SDK clients.
  // The document client shares the DynamoDB client's middleware stack, so its calls are captured too.
  const clientOptions = { instrument: tracing().instrument };
  const clients = process.env.MM_CLIENTS === 'all' ? createClients(clientOptions) : createClientsOf(clientMakers, clientOptions);
  return createRuntimeWithClients({
    config,
    clients,
    resources: {
      table: required(ENV.table),
      enrichedStream: process.env[ENV.enrichedStream] ?? '',
      bus: required(ENV.bus),
      quarantineQueueUrl: process.env[ENV.quarantineQueueUrl],
      channel: channelEnvironment(),
    },
    // Each function gets only the secret ARNs it may read (notify-webhook has no pepper). Its client
    // is built at load when the function needs a secret (its first invocation reads it) and on
    // first use otherwise (score reads none).
    secrets: needed.length > 0 ? new SecretsManagerSource(clients.secrets, secretArns) : secretsOnFirstRead(() => new SecretsManagerSource(clients.secrets, secretArns)),
  });
}
