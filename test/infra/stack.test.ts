/**
 * The guarantees of issue 2 (encryption, event sources, table, bus, rules, archive, registry,
 * outputs, least privilege), issue 4 (notify per channel, privacy) and issue 6 (dashboard,
 * alarms) in the synthesised template of the default configuration, and cdk-nag.
 *
 * cdk-nag 3 is a CDK validation plugin: the app registers AwsSolutionsChecks, and synthesis
 * (Template.fromStack here, `cdk synth` on the command line) throws on any unacknowledged error.
 * The pack is also run directly, to assert zero findings of any severity.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Match } from 'aws-cdk-lib/assertions';
import { defaultConfig } from '../../shared/config';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/contracts/events';
import { ENV, resourceNames } from '../../shared/names';
import { METRIC } from '../../shared/observability/metric-names';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import { MIN_REASON_WORDS } from '../../infra/lib/nag';
import { bundleNodeOptions } from '../../infra/lib/bundling';
import { actionsOfPorts } from '../../shared/adapters/store-actions';
import { acknowledgements, nagFindings, ofType, refOf, synth, type CfnResource, type Synthesised } from './helpers';

const names = resourceNames('dev');
let s: Synthesised;
let keyId: string;

beforeAll(() => {
  s = synth();
  const keys = ofType(s.resources, 'AWS::KMS::Key');
  expect(keys).toHaveLength(1);
  keyId = keys[0][0];
});

const props = (r: CfnResource) => r.Properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
const isKey = (v: unknown) => refOf(v) === keyId;
function functionByName(name: string): [string, CfnResource] {
  const found = ofType(s.resources, 'AWS::Lambda::Function').find(([, r]) => props(r).FunctionName === names.function(name));
  if (!found) throw new Error(`no function ${name}`);
  return found;
}
function policyOfFunction(name: string): Record<string, any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any -- IAM JSON
  const roleId = refOf(props(functionByName(name)[1]).Role);
  return ofType(s.resources, 'AWS::IAM::Policy')
    .filter(([, p]) => (props(p).Roles as unknown[]).some((r) => refOf(r) === roleId))
    .flatMap(([, p]) => props(p).PolicyDocument.Statement);
}
const actionsOf = (statement: Record<string, unknown>): string[] => [statement.Action].flat() as string[];

describe('encryption', () => {
  test('one customer-managed key with rotation on', () => {
    s.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('both streams, every queue, topic, secret, log group, the table and the bucket use it', () => {
    const streams = ofType(s.resources, 'AWS::Kinesis::Stream');
    expect(streams).toHaveLength(2);
    for (const [, st] of streams) {
      expect(props(st).StreamEncryption.EncryptionType).toBe('KMS');
      expect(isKey(props(st).StreamEncryption.KeyId)).toBe(true);
    }
    for (const [, q] of ofType(s.resources, 'AWS::SQS::Queue')) expect(isKey(props(q).KmsMasterKeyId)).toBe(true);
    for (const [, t] of ofType(s.resources, 'AWS::SNS::Topic')) expect(isKey(props(t).KmsMasterKeyId)).toBe(true);
    for (const [, sec] of ofType(s.resources, 'AWS::SecretsManager::Secret')) expect(isKey(props(sec).KmsKeyId)).toBe(true);
    const logGroups = ofType(s.resources, 'AWS::Logs::LogGroup');
    expect(logGroups).toHaveLength(6);
    for (const [, lg] of logGroups) expect(isKey(props(lg).KmsKeyId)).toBe(true);
    const [[, table]] = ofType(s.resources, 'AWS::DynamoDB::Table');
    expect(props(table).SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(isKey(props(table).SSESpecification.KMSMasterKeyId)).toBe(true);
    const [[, bucket]] = ofType(s.resources, 'AWS::S3::Bucket');
    const sse = props(bucket).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    expect(sse.SSEAlgorithm).toBe('aws:kms');
    expect(isKey(sse.KMSMasterKeyID)).toBe(true);
  });

  test('the key lets CloudWatch Logs use it for this stack’s log groups only', () => {
    const [[, key]] = ofType(s.resources, 'AWS::KMS::Key');
    const logs = (props(key).KeyPolicy.Statement as Record<string, any>[]).find((st) => st.Sid === 'CloudWatchLogsForThisStackLogGroups'); // eslint-disable-line @typescript-eslint/no-explicit-any -- IAM JSON
    expect(JSON.stringify(logs?.Condition)).toContain(`log-group:/aws/lambda/${names.function('')}*`);
  });
});

describe('ingestion', () => {
  test('signals and enriched streams, on demand, retention from configuration', () => {
    for (const name of [names.signalsStream, names.enrichedStream]) {
      s.template.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: name,
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: defaultConfig.retention.streamHours,
      });
    }
  });

  test('the quarantine queue keeps messages for the configured days, TLS only', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.quarantineQueue,
      MessageRetentionPeriod: defaultConfig.retention.queueDays * 86400,
    });
    for (const [, policy] of ofType(s.resources, 'AWS::SQS::QueuePolicy')) {
      expect(JSON.stringify(props(policy).PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
    expect(ofType(s.resources, 'AWS::SQS::QueuePolicy')).toHaveLength(ofType(s.resources, 'AWS::SQS::Queue').length);
  });
});

describe('storage', () => {
  test('one table: pk/sk strings, on demand, PITR, TTL on expiresAt; a dev stage may delete it', () => {
    const tables = ofType(s.resources, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [[, table]] = tables;
    expect(props(table)).toMatchObject({
      TableName: names.table,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      DeletionProtectionEnabled: false,
    });
    expect(table.DeletionPolicy).toBe('Delete');
  });
});

describe('functions', () => {
  const all = ['enrich', 'score', 'notify-webhook', 'notify-push', 'notify-sms', 'privacy'];

  test('one per capability and per enabled channel: Node.js 24 on arm64, traced, own log group', () => {
    expect(ofType(s.resources, 'AWS::Lambda::Function')).toHaveLength(all.length);
    for (const name of all) {
      const [, fn] = functionByName(name);
      expect(props(fn)).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(props(fn).Environment.Variables).toMatchObject({ [ENV.stage]: 'dev', POWERTOOLS_SERVICE_NAME: name });
      // Source maps at run time cost every cold start; infra/lib/bundling.ts decides.
      expect(props(fn).Environment.Variables.NODE_OPTIONS).toBe(bundleNodeOptions() || undefined);
      const logGroup = s.resources[refOf(props(fn).LoggingConfig.LogGroup)!];
      expect(props(logGroup)).toMatchObject({ LogGroupName: `/aws/lambda/${names.function(name)}`, RetentionInDays: defaultConfig.retention.logDays });
    }
  });

  test('memory, timeout and reserved concurrency come from configuration', () => {
    const { enrich, notify, privacy } = defaultConfig.functions;
    expect(props(functionByName('enrich')[1])).toMatchObject({ MemorySize: enrich.memoryMb, Timeout: enrich.timeoutSeconds });
    expect(props(functionByName('privacy')[1])).toMatchObject({ MemorySize: privacy.memoryMb, Timeout: privacy.timeoutSeconds });
    for (const channel of ['webhook', 'push', 'sms']) {
      expect(props(functionByName(`notify-${channel}`)[1]).ReservedConcurrentExecutions).toBe(notify.reservedConcurrency);
    }
  });

  test('the environment names the resources each function uses', () => {
    const env = (name: string) => props(functionByName(name)[1]).Environment.Variables as Record<string, unknown>;
    expect(Object.keys(env('enrich'))).toEqual(expect.arrayContaining([ENV.table, ENV.enrichedStream, ENV.bus, ENV.quarantineQueueUrl, ENV.pepperSecretArn]));
    expect(Object.keys(env('score'))).toEqual(expect.arrayContaining([ENV.table, ENV.bus, ENV.quarantineQueueUrl]));
    expect(env('score')[ENV.pepperSecretArn]).toBeUndefined();
    expect(env('notify-webhook')).toMatchObject({ [ENV.channel]: 'webhook' });
    expect(Object.keys(env('notify-webhook'))).toEqual(expect.arrayContaining([ENV.table, ENV.bus, ENV.webhookSecretArn]));
    expect(env('notify-push')).toMatchObject({ [ENV.channel]: 'push' });
    expect(Object.keys(env('notify-sms'))).toContain(ENV.notificationTopicArn);
    expect(Object.keys(env('privacy'))).toEqual(expect.arrayContaining([ENV.table, ENV.bus, ENV.pepperSecretArn, ENV.exportBucket, ENV.quarantineQueueUrl]));
  });
});

describe('Kinesis event sources', () => {
  test('enrich reads signals and score reads enriched, with the failure handling of issue 2', () => {
    const mappings = ofType(s.resources, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    const expected = [
      { fn: 'enrich', stream: names.signalsStream, settings: defaultConfig.eventSources.enrich, queue: names.enrichFailureQueue },
      { fn: 'score', stream: names.enrichedStream, settings: defaultConfig.eventSources.score, queue: names.scoreFailureQueue },
    ];
    for (const e of expected) {
      const [fnId] = functionByName(e.fn);
      const [, mapping] = mappings.find(([, m]) => refOf(props(m).FunctionName) === fnId)!;
      const p = props(mapping);
      expect(p).toMatchObject({
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: e.settings.retryAttempts,
        MaximumRecordAgeInSeconds: e.settings.maxRecordAgeSeconds,
        ParallelizationFactor: e.settings.parallelizationFactor,
        BatchSize: e.settings.batchSize,
        MaximumBatchingWindowInSeconds: e.settings.maxBatchingWindowSeconds,
        StartingPosition: 'TRIM_HORIZON',
      });
      expect(p.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(props(s.resources[refOf(p.EventSourceArn)!]).Name).toBe(e.stream);
      const destination = s.resources[refOf(p.DestinationConfig.OnFailure.Destination)!];
      expect(destination.Type).toBe('AWS::SQS::Queue');
      expect(props(destination)).toMatchObject({ QueueName: e.queue, MessageRetentionPeriod: defaultConfig.retention.queueDays * 86400 });
    }
  });
});

describe('events', () => {
  test('one custom bus, encrypted, named from the stage', () => {
    const buses = ofType(s.resources, 'AWS::Events::EventBus');
    expect(buses).toHaveLength(1);
    expect(props(buses[0][1]).Name).toBe(names.bus);
    expect(isKey(props(buses[0][1]).KmsKeyIdentifier)).toBe(true);
  });

  test('one rule per routing rule, its pattern exactly the configured one, to notify-<channel>, with its own DLQ and retry policy', () => {
    const [[busId]] = ofType(s.resources, 'AWS::Events::EventBus');
    const rules = ofType(s.resources, 'AWS::Events::Rule').filter(([, r]) => props(r).Description?.includes(':'));
    const dlqs = new Set<string>();
    for (const routing of defaultConfig.routing) {
      const found = rules.find(([, r]) => (props(r).Description as string).startsWith(`${routing.name}:`));
      expect(found).toBeDefined();
      const p = props(found![1]);
      expect(refOf(p.EventBusName)).toBe(busId);
      expect(p.EventPattern).toStrictEqual(routing.pattern);
      expect(p.Targets).toHaveLength(1);
      const [target] = p.Targets;
      expect(refOf(target.Arn)).toBe(functionByName(`notify-${routing.target}`)[0]);
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: defaultConfig.guardrails.maxMomentAgeMinutes * 60 });
      const dlq = refOf(target.DeadLetterConfig.Arn)!;
      expect(s.resources[dlq].Type).toBe('AWS::SQS::Queue');
      dlqs.add(dlq);
    }
    expect(dlqs.size).toBe(defaultConfig.routing.length);
  });

  test('notify functions send what they failed on, after Lambda’s retries, to a queue', () => {
    const configs = ofType(s.resources, 'AWS::Lambda::EventInvokeConfig');
    for (const name of ['notify-webhook', 'notify-push', 'notify-sms', 'privacy']) {
      const [fnId] = functionByName(name);
      const [, c] = configs.find(([, x]) => refOf(props(x).FunctionName) === fnId)!;
      expect(props(c).MaximumRetryAttempts).toBe(2);
      expect(s.resources[refOf(props(c).DestinationConfig.OnFailure.Destination)!].Type).toBe('AWS::SQS::Queue');
    }
  });

  test('an archive of every Moment Detected, retention from configuration', () => {
    const archives = ofType(s.resources, 'AWS::Events::Archive');
    expect(archives).toHaveLength(1);
    expect(props(archives[0][1])).toMatchObject({
      ArchiveName: names.archive,
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.momentDetected] },
      RetentionDays: defaultConfig.retention.archiveDays,
    });
  });

  test('a schema registry with the 4 published events as draft-4 envelopes that validate real events', () => {
    expect(ofType(s.resources, 'AWS::EventSchemas::Registry')).toHaveLength(1);
    const schemas = ofType(s.resources, 'AWS::EventSchemas::Schema');
    expect(schemas).toHaveLength(4);
    const contents = schemas.map(([, r]) => {
      expect(props(r).Type).toBe('JSONSchemaDraft4');
      return JSON.parse(props(r).Content as string) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON Schema
    });
    expect(contents.map((c) => c.properties['detail-type'].enum[0]).sort()).toEqual(
      [DETAIL_TYPES.momentDetected, DETAIL_TYPES.notificationSent, DETAIL_TYPES.notificationSuppressed, DETAIL_TYPES.customerErased].sort(),
    );
    for (const c of contents) expect(c.$schema).toBe('http://json-schema.org/draft-04/schema#');

    const erased = contents.find((c) => c.properties['detail-type'].enum[0] === DETAIL_TYPES.customerErased)!;
    const { $schema: _draft, ...schema } = erased;
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const event = {
      version: '0',
      id: 'e1',
      'detail-type': DETAIL_TYPES.customerErased,
      source: EVENT_SOURCE,
      account: '123456789012',
      time: '2026-11-23T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: { version: 1, customerKey: 'a'.repeat(64), requestId: 'req-1', erasedAt: '2026-11-23T10:00:00Z', itemsDeleted: 12 },
    };
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, source: 'someone-else' })).toBe(false);
    expect(validate({ ...event, detail: { ...event.detail, customerKey: 'user@example.com' } })).toBe(false);
  });
});

describe('notification and privacy', () => {
  test('an encrypted SNS topic for the sns channels and a generated webhook signing key', () => {
    s.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: names.notificationTopic });
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: names.webhookSecret, GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) });
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: names.pepperSecret, GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) });
    for (const [, sec] of ofType(s.resources, 'AWS::SecretsManager::Secret')) expect(props(sec).SecretString).toBeUndefined();
  });

  test('privacy requests reach the privacy function by rule, with a DLQ and the longest retry', () => {
    const [, rule] = ofType(s.resources, 'AWS::Events::Rule').find(([, r]) => JSON.stringify(props(r).EventPattern).includes(DETAIL_TYPES.erasureRequested))!;
    expect(props(rule).EventPattern).toStrictEqual({ source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.accessRequested, DETAIL_TYPES.erasureRequested] });
    const [target] = props(rule).Targets;
    expect(refOf(target.Arn)).toBe(functionByName('privacy')[0]);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(refOf(target.DeadLetterConfig.Arn)).toBeDefined();
  });

  test('the export bucket: private, TLS only, exports expire after 7 days', () => {
    const [[bucketId, bucket]] = ofType(s.resources, 'AWS::S3::Bucket');
    expect(props(bucket).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(props(bucket).LifecycleConfiguration.Rules).toEqual(expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' })]));
    const [, policy] = ofType(s.resources, 'AWS::S3::BucketPolicy').find(([, p]) => refOf(props(p).Bucket) === bucketId)!;
    expect(JSON.stringify(props(policy).PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });
});

describe('least privilege', () => {
  const XRAY = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
  /** Wildcard actions that CDK's key grants add (on the key's ARN only); documented in infra/lib/nag.ts. */
  const GRANT_WILDCARD_ACTIONS = ['kms:GenerateDataKey*', 'kms:ReEncrypt*'];

  test('no `*` action, no service-wide action, and `*` resources only for X-Ray', () => {
    const statements = ofType(s.resources, 'AWS::IAM::Policy').flatMap(([, p]) => props(p).PolicyDocument.Statement as Record<string, unknown>[]);
    expect(statements.length).toBeGreaterThan(0);
    for (const st of statements) {
      for (const action of actionsOf(st)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/:\*$/);
        if (action.includes('*')) expect(GRANT_WILDCARD_ACTIONS).toContain(action);
      }
      const resources = [st.Resource].flat();
      if (resources.includes('*')) expect(XRAY).toEqual(expect.arrayContaining(actionsOf(st)));
      for (const r of resources) if (typeof r === 'string' && r !== '*') expect(r).not.toContain('*');
    }
  });

  test('function roles carry no managed policy (not even AWSLambdaBasicExecutionRole)', () => {
    for (const [, role] of ofType(s.resources, 'AWS::IAM::Role')) expect(props(role).ManagedPolicyArns).toBeUndefined();
  });

  test('each function may call exactly the table actions it needs', () => {
    const tableActions = (name: string) =>
      policyOfFunction(name).flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:')).sort();
    // What the stores each function uses send, as their adapters declare it (one grant per port).
    expect(tableActions('enrich')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']);
    expect(tableActions('score')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem']);
    expect(tableActions('notify-push')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(tableActions('notify-push')).toEqual(actionsOfPorts(['notify']));
    expect(tableActions('privacy')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(tableActions('score')).toEqual(actionsOfPorts(['states', 'guards']));
    expect(tableActions('privacy')).toEqual(actionsOfPorts(['customers']));
  });

  test('only the functions that need them may write the enriched stream, put events, publish, read secrets, write exports', () => {
    const has = (name: string, action: string) => policyOfFunction(name).some((st) => actionsOf(st).includes(action));
    expect(has('enrich', 'kinesis:PutRecords')).toBe(true);
    expect(has('score', 'kinesis:PutRecords')).toBe(false);
    expect(has('enrich', 'events:PutEvents')).toBe(false);
    for (const name of ['score', 'notify-webhook', 'notify-push', 'privacy']) expect(has(name, 'events:PutEvents')).toBe(true);
    expect(has('notify-push', 'sns:Publish')).toBe(true);
    expect(has('notify-webhook', 'sns:Publish')).toBe(false);
    expect(has('notify-webhook', 'secretsmanager:GetSecretValue')).toBe(true);
    expect(has('notify-push', 'secretsmanager:GetSecretValue')).toBe(false);
    expect(has('score', 'secretsmanager:GetSecretValue')).toBe(false);
    expect(has('privacy', 's3:PutObject')).toBe(true);
    expect(has('privacy', 's3:GetObject')).toBe(false);
    // Erasure searches the quarantine; nothing else reads it.
    expect(has('privacy', 'sqs:ReceiveMessage') && has('privacy', 'sqs:DeleteMessage') && has('privacy', 'sqs:ChangeMessageVisibility')).toBe(true);
    for (const name of ['enrich', 'score', 'notify-push']) expect(has(name, 'sqs:ReceiveMessage')).toBe(false);
  });
});

describe('observability', () => {
  let dashboard: string;
  beforeAll(() => {
    const [[, d]] = ofType(s.resources, 'AWS::CloudWatch::Dashboard');
    dashboard = JSON.stringify(props(d).DashboardBody);
  });

  test('the dashboard shows every application metric, iterator age, errors, throttles and queue depths', () => {
    expect(ofType(s.resources, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    for (const name of Object.values(METRIC)) expect(dashboard).toContain(name);
    for (const aws of ['GetRecords.IteratorAgeMilliseconds', 'IteratorAge', 'Errors', 'Throttles', 'ApproximateNumberOfMessagesVisible']) {
      expect(dashboard).toContain(aws);
    }
    expect(dashboard).toContain(METRICS_NAMESPACE);
    for (const service of ['enrich', 'score', 'notify-webhook', 'notify-push', 'notify-sms', 'privacy']) expect(dashboard).toContain(`\\"${service}\\"`);
  });

  test('iterator age alarms on both consumers', () => {
    for (const name of ['enrich', 'score']) {
      const [fnId] = functionByName(name);
      const alarms = ofType(s.resources, 'AWS::CloudWatch::Alarm').filter(
        ([, a]) => props(a).MetricName === 'IteratorAge' && refOf(props(a).Dimensions?.[0]?.Value) === fnId,
      );
      expect(alarms).toHaveLength(1);
    }
  });

  test('every failure queue alarms as soon as it holds a message', () => {
    const depthAlarms = ofType(s.resources, 'AWS::CloudWatch::Alarm').filter(([, a]) => props(a).MetricName === 'ApproximateNumberOfMessagesVisible');
    const queues = new Set(depthAlarms.map(([, a]) => refOf(props(a).Dimensions[0].Value)));
    for (const queueName of [names.enrichFailureQueue, names.scoreFailureQueue]) {
      const [queueId] = ofType(s.resources, 'AWS::SQS::Queue').find(([, q]) => props(q).QueueName === queueName)!;
      expect(queues.has(queueId)).toBe(true);
    }
    // on-failure (2) + rule DLQs + notify failure queues (3) + privacy DLQ and failures (2)
    expect(queues.size).toBe(2 + defaultConfig.routing.length + 3 + 2);
    for (const [, a] of depthAlarms) expect(props(a)).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  test('the quarantine rate alarm is SignalsQuarantined / SignalsIn of enrich over 5 minutes', () => {
    const [, alarm] = ofType(s.resources, 'AWS::CloudWatch::Alarm').find(([, a]) => JSON.stringify(props(a).Metrics ?? '').includes(METRIC.signalsQuarantined))!;
    const metrics = props(alarm).Metrics as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudWatch JSON
    const expression = metrics.find((m) => m.Expression)!;
    expect(expression.Expression).toMatch(/quarantined \/ signalsIn/);
    for (const metricName of [METRIC.signalsQuarantined, METRIC.signalsIn]) {
      const m = metrics.find((x) => x.MetricStat?.Metric.MetricName === metricName)!;
      expect(m.MetricStat.Metric.Namespace).toBe(METRICS_NAMESPACE);
      expect(m.MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'stage', Value: 'dev' }, { Name: 'service', Value: 'enrich' }]));
      expect(m.MetricStat.Period).toBe(300);
    }
  });

  test('an error-rate alarm per function, and every alarm notifies the encrypted alarm topic', () => {
    const alarms = ofType(s.resources, 'AWS::CloudWatch::Alarm');
    const errorRate = alarms.filter(([, a]) => JSON.stringify(props(a).Metrics ?? '').includes('"Errors"'));
    expect(errorRate).toHaveLength(6);
    const [[topicId]] = ofType(s.resources, 'AWS::SNS::Topic').filter(([, t]) => props(t).TopicName === names.alarmTopic);
    for (const [, a] of alarms) expect(props(a).AlarmActions.map(refOf)).toEqual([topicId]);
  });
});

describe('outputs', () => {
  test('producers and subscribers can find every resource; secrets by ARN only', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const key of [
      'SignalsStreamName', 'SignalsStreamArn', 'EnrichedStreamName', 'EnrichedStreamArn', 'EventBusName', 'EventBusArn',
      'TableName', 'QuarantineQueueUrl', 'QueueUrlEnrichOnFailure', 'QueueUrlScoreOnFailure', 'NotificationTopicArn',
      'AlarmTopicArn', 'ExportBucketName', 'PepperSecretArn', 'DashboardName',
    ]) {
      expect(outputs[key]).toBeDefined();
    }
    for (const routing of defaultConfig.routing) {
      expect(Object.keys(outputs).some((k) => k.startsWith('QueueUrlRule') && k.toLowerCase().includes(routing.name.replace(/-/g, '')))).toBe(true);
    }
    const [[pepperId]] = ofType(s.resources, 'AWS::SecretsManager::Secret').filter(([, r]) => props(r).Name === names.pepperSecret);
    expect(outputs.PepperSecretArn.Value).toEqual({ Ref: pepperId });
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('the app registers the pack as a validation plugin, so synthesis fails on its errors', () => {
    // _validationPlugins is internal: it is where Validations.of(app).addPlugins puts plugins.
    const plugins = (s.app as unknown as { _validationPlugins: { name: string }[] })._validationPlugins;
    expect(plugins.map((p) => p.name)).toContain('AwsSolutions');
  });

  test('no unacknowledged finding, of any severity', () => {
    expect(nagFindings(s.app)).toEqual([]);
  });

  test('every acknowledgement names an AwsSolutions rule, on a resource, with a specific reason', () => {
    const acks = acknowledgements(s.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(a.reason.trim().split(/\s+/).length).toBeGreaterThanOrEqual(MIN_REASON_WORDS);
      expect(a.path).not.toBe(s.stack.node.path);
    }
    // Wildcard findings are acknowledged finding by finding, on the role or policy that has them.
    for (const a of acks.filter((x) => x.id.startsWith('AwsSolutions-IAM5'))) {
      expect(a.id).toMatch(/\[(Action|Resource)::.+\]$/);
      expect(a.path).toMatch(/\/Role$|\/Access\/Subscriber$/);
    }
  });
});
