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

/** Created lazily so a function pays only for the clients it uses at cold start. */
export function createClients(opts: ClientOptions = {}): AwsClients {
  const base = (service: string): ClientConfig => ({
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoints?.[service] ? { endpoint: opts.endpoints[service] } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  const cache: Partial<AwsClients> = {};
  const instrument = opts.instrument ?? (<C extends object>(client: C) => client);
  const lazy = <K extends keyof AwsClients>(key: K, make: () => AwsClients[K]) => () => (cache[key] ??= make());
  const getDynamo = lazy('dynamo', () => instrument(new DynamoDBClient(base('dynamodb'))));
  const getters: { [K in Exclude<keyof AwsClients, 'of'>]: () => AwsClients[K] } = {
    dynamo: getDynamo,
    doc: lazy('doc', () =>
      DynamoDBDocumentClient.from(getDynamo(), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } }),
    ),
    kinesis: lazy('kinesis', () => instrument(new KinesisClient({ ...base('kinesis'), requestHandler: new NodeHttpHandler() }))),
    eventBridge: lazy('eventBridge', () => instrument(new EventBridgeClient(base('eventbridge')))),
    sqs: lazy('sqs', () => instrument(new SQSClient(base('sqs')))),
    sns: lazy('sns', () => instrument(new SNSClient(base('sns')))),
    secrets: lazy('secrets', () => instrument(new SecretsManagerClient(base('secretsmanager')))),
  };
  const others = new Map<string, object>();
  const of = <C extends object>(service: string, make: (config: ClientConfig) => C): C => {
    if (!others.has(service)) others.set(service, instrument(make(base(service))));
    return others.get(service) as C;
  };
  const clients = { of } as AwsClients;
  for (const key of Object.keys(getters) as Exclude<keyof AwsClients, 'of'>[]) {
    Object.defineProperty(clients, key, { get: getters[key], enumerable: true });
  }
  return clients;
}
