import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { configFromEnvironment, runtimeFromEnvironment } from '../../../functions/common/runtime';
import { dynamoClient, eventBridgeClient, kinesisClient, secretsClient, snsClient, sqsClient } from '../../../shared/adapters/aws-clients';
import { defaultConfig } from '../../../shared/config/defaults';

describe('configFromEnvironment', () => {
  it('reads the configuration baked in at synth', () => {
    const baked = JSON.stringify({ ...defaultConfig, stage: 'prod' });
    expect(configFromEnvironment({ MM_CONFIG: baked })).toEqual({ ...defaultConfig, stage: 'prod' });
  });

  it('refuses to start without one, and says how to build the bundle', () => {
    expect(() => configFromEnvironment({})).toThrow(/MM_CONFIG is not set: .*cdk synth/);
  });
});

describe('secrets fail closed at cold start', () => {
  const saved = { ...process.env };
  const base = {
    MM_CONFIG: JSON.stringify({ ...defaultConfig, stage: 'prod' }),
    MM_TABLE: 'micro-moments-prod-customers',
    MM_BUS: 'micro-moments-prod-bus',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  const every = { dynamo: dynamoClient, kinesis: kinesisClient, eventBridge: eventBridgeClient, sqs: sqsClient, sns: snsClient, secrets: secretsClient };
  const PEPPER_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:micro-moments-prod/pepper-AbCdEf';
  const setEnv = (env: Record<string, string>) => {
    for (const k of Object.keys(process.env)) if (k.startsWith('MM_')) delete process.env[k];
    Object.assign(process.env, base, env);
  };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it.each(['enrich', 'privacy'] as const)('%s refuses to start without the pepper ARN, and says which variable', (fn) => {
    setEnv({});
    expect(() => runtimeFromEnvironment(fn, every)).toThrow(/environment variable MM_PEPPER_SECRET_ARN is required: .*pepper.*localPepper is for local mode only/);
  });

  it('notify-webhook refuses to start without the signing secret ARN; push needs none', () => {
    setEnv({ MM_CHANNEL: 'webhook' });
    expect(() => runtimeFromEnvironment('notify', every)).toThrow(/MM_WEBHOOK_SECRET_ARN is required/);
    setEnv({ MM_CHANNEL: 'push', MM_NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:t' });
    expect(() => runtimeFromEnvironment('notify', every)).not.toThrow();
  });

  it('never hands out the published local pepper: without an ARN the pepper is refused, with one it comes from Secrets Manager', async () => {
    setEnv({});
    const score = runtimeFromEnvironment('score', every);
    await expect(score.secrets.get('pepper')).rejects.toThrow('has no ARN');
    setEnv({ MM_PEPPER_SECRET_ARN: PEPPER_ARN });
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand, { SecretId: PEPPER_ARN }).resolves({ SecretString: 'the-real-pepper-from-secrets-manager' });
    try {
      const enrich = runtimeFromEnvironment('enrich', every);
      expect(await enrich.secrets.get('pepper')).toBe('the-real-pepper-from-secrets-manager');
      expect(await enrich.secrets.get('pepper')).not.toBe(defaultConfig.localPepper);
    } finally {
      secrets.restore();
    }
  });

  it('a function reads only the clients its entry point lists; another is an error that names it, not a silent default', () => {
    setEnv({});
    const score = runtimeFromEnvironment('score', { dynamo: dynamoClient, eventBridge: eventBridgeClient, sqs: sqsClient });
    expect(score.clients.doc).toBeDefined();
    expect(() => score.clients.kinesis).toThrow(/the kinesis client is not built into this function: .*functions\/<name>\/index\.ts/);
    // score reads no secret: its source is built on first read, so the missing client is reported there.
    return expect(score.secrets.get('pepper')).rejects.toThrow(/the secrets client is not built into this function/);
  });

  it('the deployed entry point fails at module load, before any signal is handled', () => {
    setEnv({});
    expect(() => jest.isolateModules(() => require('../../../functions/enrich/index'))).toThrow(/MM_PEPPER_SECRET_ARN is required/);
    setEnv({ MM_PEPPER_SECRET_ARN: PEPPER_ARN });
    let loaded: { handler?: unknown } = {};
    jest.isolateModules(() => {
      loaded = require('../../../functions/enrich/index') as { handler?: unknown };
    });
    expect(typeof loaded.handler).toBe('function');
  });
});
