/**
 * AWS SDK v3 clients for the handlers, the CLIs and local mode. In local mode `endpoints` points
 * at the emulators. Kinesis always gets the HTTP/1.1 handler: the default HTTP/2 one fails against
 * plain-HTTP emulators (ERR_HTTP2_ERROR) and PutRecords/GetRecords do not need HTTP/2 in AWS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** What every service client is built with (region, endpoint, credentials, attempts). */
export interface ClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

export interface ClientOptions {
  region?: string;
  /** By service: the core's (dynamodb, kinesis, ...) and any a channel kind asks `clients.of` for. */
  endpoints?: Partial<Record<string, string>>;
  /** Static credentials for emulators, which accept any. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  /** Applied to each service client when it is created: in Lambda, X-Ray capture of its calls. */
  instrument?: <C extends object>(client: C) => C;
}

export interface AwsClients {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  kinesis: KinesisClient;
  eventBridge: EventBridgeClient;
  sqs: SQSClient;
  sns: SNSClient;
  secrets: SecretsManagerClient;
  /**
   * The client of a service only a channel kind uses (SES for email), built on first use with the
   * same options as the others and kept: its adapter module imports the SDK package, so a
   * function that never sends on that channel never loads it.
   */
  of<C extends object>(service: string, make: (config: ClientConfig) => C): C;
}

/** The service clients `AwsClients` names (the document client is derived from `dynamo`). */
export type ServiceClientName = Exclude<keyof AwsClients, 'of' | 'doc'>;

/** How one service client is built from the common options. */
export type ClientMaker<K extends ServiceClientName> = (config: ClientConfig) => AwsClients[K];
export type ClientMakers = { [K in ServiceClientName]?: ClientMaker<K> };

// One constant per client rather than one record, so that a bundle built from a few of them
// (functions/<name>/index.ts) leaves the others' SDK packages out: esbuild drops unused
// top-level constants, not unused properties.
export const dynamoClient: ClientMaker<'dynamo'> = (config) => new DynamoDBClient(config);
export const kinesisClient: ClientMaker<'kinesis'> = (config) => new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() });
export const eventBridgeClient: ClientMaker<'eventBridge'> = (config) => new EventBridgeClient(config);
export const sqsClient: ClientMaker<'sqs'> = (config) => new SQSClient(config);
export const snsClient: ClientMaker<'sns'> = (config) => new SNSClient(config);
export const secretsClient: ClientMaker<'secrets'> = (config) => new SecretsManagerClient(config);

/**
 * Every client, each created lazily so a function pays only for the clients it uses at cold start:
 * local mode, the CLIs, the bench and the tests.
 */
export function createClients(opts: ClientOptions = {}): AwsClients {
  return createClientsOf(
    { dynamo: dynamoClient, kinesis: kinesisClient, eventBridge: eventBridgeClient, sqs: sqsClient, sns: snsClient, secrets: secretsClient },
    opts,
  );
}

/**
 * The clients `makers` can build, each created lazily; reading one it cannot build is an error
 * that names it. The Lambda entry points pass the clients their function uses, so a bundle holds
 * only those SDK packages (infra/lib/bundling.ts `clients`).
 */
export function createClientsOf(makers: ClientMakers, opts: ClientOptions = {}): AwsClients {
  const base = (service: string): ClientConfig => ({
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoints?.[service] ? { endpoint: opts.endpoints[service] } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  const cache: Partial<AwsClients> = {};
  const instrument = opts.instrument ?? (<C extends object>(client: C) => client);
  const service = <K extends ServiceClientName>(key: K, endpointName: string) => () => {
    const make = makers[key] as ClientMaker<K> | undefined;
    if (!make) {
      throw new Error(`the ${key} client is not built into this function: a Lambda entry point (functions/<name>/index.ts) lists the AWS clients its function uses`);
    }
    return (cache[key] ??= instrument(make(base(endpointName))));
  };
  const getDynamo = service('dynamo', 'dynamodb');
  const getters: { [K in Exclude<keyof AwsClients, 'of'>]: () => AwsClients[K] } = {
    dynamo: getDynamo,
    doc: () =>
      (cache.doc ??= DynamoDBDocumentClient.from(getDynamo(), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } })),
    kinesis: service('kinesis', 'kinesis'),
    eventBridge: service('eventBridge', 'eventbridge'),
    sqs: service('sqs', 'sqs'),
    sns: service('sns', 'sns'),
    secrets: service('secrets', 'secretsmanager'),
  };
  const others = new Map<string, object>();
  const of = <C extends object>(name: string, make: (config: ClientConfig) => C): C => {
    if (!others.has(name)) others.set(name, instrument(make(base(name))));
    return others.get(name) as C;
  };
  const clients = { of } as AwsClients;
  for (const key of Object.keys(getters) as Exclude<keyof AwsClients, 'of'>[]) {
    Object.defineProperty(clients, key, { get: getters[key], enumerable: true });
  }
  return clients;
}
