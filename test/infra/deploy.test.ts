/**
 * Issue 11: what a template must hold to deploy and operate in a real account, defect by defect.
 * Each test reads the synthesised template as AWS would act on it: the requests services make
 * against the key and topic policies (helpers.allows), what CloudFormation keeps on a rollback or
 * a delete, what the stack hands to producers and subscribers, which failures alarm.
 * Two stages: the default `dev` (shared-throughput consumers) and `prod` from examples/prod.json
 * (enhanced fan-out on both streams), the configuration CI synthesises and lints.
 */
import * as path from 'node:path';
import { defaultConfig, loadConfig } from '../../shared/config';
import { resourceNames } from '../../shared/names';
import { PRODUCER_ACTIONS, SUBSCRIBER_ARCHIVE_ACTIONS, SUBSCRIBER_STREAM_ACTIONS } from '../../infra/constructs/access';
import { allows, flatten, nagFindings, ofType, refOf, synth, type CfnResource, type ServiceRequest, type Synthesised } from './helpers';

const PROD_EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'prod.json');
const dev = { names: resourceNames('dev') } as { names: ReturnType<typeof resourceNames>; s: Synthesised };
const prod = { names: resourceNames('prod') } as { names: ReturnType<typeof resourceNames>; s: Synthesised };

beforeAll(() => {
  dev.s = synth();
  prod.s = synth({ stage: 'prod', config: PROD_EXAMPLE });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
const props = (r: CfnResource) => r.Properties as Record<string, any>;
const ACCOUNT = '${AWS::AccountId}';
const busArn = (stage: string) => `arn:\${AWS::Partition}:events:\${AWS::Region}:${ACCOUNT}:event-bus/micro-moments-${stage}-bus`;
function keyPolicy(s: Synthesised) {
  const [[, key]] = ofType(s.resources, 'AWS::KMS::Key');
  return props(key).KeyPolicy.Statement;
}
function topicPolicy(s: Synthesised, topicName: string) {
  const [[topicId]] = ofType(s.resources, 'AWS::SNS::Topic').filter(([, t]) => props(t).TopicName === topicName);
  const [, policy] = ofType(s.resources, 'AWS::SNS::TopicPolicy').find(([, p]) => (props(p).Topics as unknown[]).some((t) => refOf(t) === topicId))!;
  return props(policy).PolicyDocument.Statement;
}
const outputs = (s: Synthesised) => s.template.toJSON().Outputs as Record<string, { Value: unknown }>;

describe('defect 1: alarm notifications are delivered', () => {
  test('the alarm topic policy lets CloudWatch publish for this stage’s alarms, in this account only', () => {
    const statements = topicPolicy(dev.s, dev.names.alarmTopic);
    const alarmArn = (name: string) => `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:${ACCOUNT}:alarm:${name}`;
    const publish = (name: string, account = ACCOUNT): ServiceRequest => ({
      service: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      context: { 'aws:SourceArn': alarmArn(name), 'aws:SourceAccount': account },
    });
    const alarms = ofType(dev.s.resources, 'AWS::CloudWatch::Alarm').map(([, a]) => String(props(a).AlarmName));
    expect(alarms.length).toBeGreaterThan(10);
    for (const name of alarms) expect(allows(statements, publish(name))).toBe(true);
    // Another stage's alarms, or another account's, may not use this topic.
    expect(allows(statements, publish('micro-moments-prod-enrich-error-rate'))).toBe(false);
    expect(allows(statements, publish(alarms[0], '111122223333'))).toBe(false);
    // The TLS-only statement stays.
    expect(JSON.stringify(statements)).toContain('"aws:SecureTransport":"false"');
  });

  test('the key lets CloudWatch encrypt the notification it publishes to the encrypted topic', () => {
    const request = (action: string): ServiceRequest => ({ service: 'cloudwatch.amazonaws.com', action, context: { 'aws:SourceAccount': ACCOUNT } });
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) expect(allows(keyPolicy(dev.s), request(action))).toBe(true);
  });
});

describe('defect 2: the key policy allows what EventBridge asks of it', () => {
  const eventBridge = (action: string, context: Record<string, unknown> = {}): ServiceRequest => ({ service: 'events.amazonaws.com', action, context });

  test('DescribeKey (bus and archive create/update) carries no encryption context, and is allowed without one', () => {
    expect(allows(keyPolicy(dev.s), eventBridge('kms:DescribeKey'))).toBe(true);
  });

  test('the archive encrypts under the bus ARN as encryption context, and only under this stack’s bus', () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']) {
      expect(allows(keyPolicy(dev.s), eventBridge(action, { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn('dev') }))).toBe(true);
    }
    const statements = keyPolicy(dev.s).filter((st: { Sid?: string }) => st.Sid !== 'EventBridgeToEncryptedDeadLetterQueues');
    expect(allows(statements, eventBridge('kms:ReEncryptFrom', { 'kms:EncryptionContext:aws:events:event-bus:arn': busArn('other') }))).toBe(false);
  });

  test('the bus encrypts events for this bus: account, source ARN and encryption context', () => {
    const context = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': busArn('dev'), 'kms:EncryptionContext:aws:events:event-bus:arn': busArn('dev') };
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) expect(allows(keyPolicy(dev.s), eventBridge(action, context))).toBe(true);
  });

  test('dead letters reach the encrypted rule DLQs: the request carries no aws:Source* key, and needs none', () => {
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) expect(allows(keyPolicy(dev.s), eventBridge(action))).toBe(true);
    // Who may write to each DLQ is held by the queue: only its rule, by aws:SourceArn.
    for (const [, policy] of ofType(dev.s.resources, 'AWS::SQS::QueuePolicy')) {
      for (const st of props(policy).PolicyDocument.Statement.filter((x: { Principal?: { Service?: string } }) => x.Principal?.Service === 'events.amazonaws.com')) {
        expect(flatten(st.Condition.ArnEquals['aws:SourceArn'])).toMatch(/^\$\{EventsRule|^\$\{PrivacyRequests/);
      }
    }
  });
});

describe('defect 3: a failed first deploy can be retried; a prod-like stage keeps its data', () => {
  const STATEFUL = ['AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::Kinesis::Stream', 'AWS::SQS::Queue', 'AWS::SecretsManager::Secret', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket'];

  test('prod: every stateful resource is retained on update and delete, and removed by the rollback of the create', () => {
    const stateful = Object.entries(prod.s.resources).filter(([, r]) => STATEFUL.includes(r.Type));
    expect(new Set(stateful.map(([, r]) => r.Type))).toEqual(new Set(STATEFUL));
    for (const [id, r] of stateful) expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'RetainExceptOnCreate', 'Retain']);
    // Plain Retain anywhere would leave a named resource behind after a failed create.
    for (const [id, r] of Object.entries(prod.s.resources)) expect([id, r.DeletionPolicy]).not.toEqual([id, 'Retain']);
  });

  test('prod: nothing blocks the rollback from deleting the table it created; the stack is protected from termination', () => {
    const [[, table]] = ofType(prod.s.resources, 'AWS::DynamoDB::Table');
    expect(props(table).DeletionProtectionEnabled).toBe(false);
    expect(prod.s.stack.terminationProtection).toBe(true);
  });

  test('dev: disposable, everything is deleted with the stack', () => {
    for (const [id, r] of Object.entries(dev.s.resources).filter(([, x]) => STATEFUL.includes(x.Type))) expect([id, r.DeletionPolicy]).toEqual([id, 'Delete']);
    expect(dev.s.stack.terminationProtection).toBe(false);
  });
});

describe('defect 4: producers and subscribers outside the stack can use the streams', () => {
  const managedPolicy = (s: Synthesised, output: string) => {
    const id = refOf(outputs(s)[output].Value)!;
    expect(s.resources[id].Type).toBe('AWS::IAM::ManagedPolicy');
    return props(s.resources[id]).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
  };
  const keyArn = (s: Synthesised) => `\${${ofType(s.resources, 'AWS::KMS::Key')[0][0]}.Arn}`;
  const streamArn = (s: Synthesised, name: string) => `\${${ofType(s.resources, 'AWS::Kinesis::Stream').find(([, r]) => props(r).Name === name)![0]}.Arn}`;
  const grants = (statements: { Action: string | string[]; Resource: unknown }[]) =>
    statements.flatMap((st) => [st.Action].flat().map((a) => `${a} ${flatten(st.Resource)}`)).sort();

  test('outputs: the key ARN, the schema registry, the webhook signing secret (by ARN), the archive', () => {
    const o = outputs(dev.s);
    expect(flatten(o.KeyArn.Value)).toBe(keyArn(dev.s));
    expect(flatten(o.SchemaRegistryName.Value)).toMatch(/^\$\{EventsSchemaRegistry.*\.RegistryName\}$/);
    const [[secretId]] = ofType(dev.s.resources, 'AWS::SecretsManager::Secret').filter(([, r]) => props(r).Name === dev.names.webhookSecret);
    expect(o.WebhookSecretArn.Value).toEqual({ Ref: secretId });
    expect(flatten(o.ArchiveArn.Value)).toMatch(/^\$\{EventsMomentArchive.*\.Arn\}$/);
  });

  test('the producer policy grants exactly writing signals: PutRecord(s) on the signals stream, GenerateDataKey on the key', () => {
    expect(grants(managedPolicy(dev.s, 'ProducerPolicyArn'))).toEqual(
      [...PRODUCER_ACTIONS.stream.map((a) => `${a} ${streamArn(dev.s, dev.names.signalsStream)}`), ...PRODUCER_ACTIONS.key.map((a) => `${a} ${keyArn(dev.s)}`)].sort(),
    );
  });

  test('the subscriber policy reads the enriched stream, decrypts with the key, replays the archive; it writes nothing', () => {
    const g = grants(managedPolicy(dev.s, 'SubscriberPolicyArn'));
    for (const a of SUBSCRIBER_STREAM_ACTIONS) expect(g).toContain(`${a} ${streamArn(dev.s, dev.names.enrichedStream)}`);
    expect(g).toContain(`kms:Decrypt ${keyArn(dev.s)}`);
    for (const a of SUBSCRIBER_ARCHIVE_ACTIONS) expect(g.some((x) => x.startsWith(`${a} \${EventsMomentArchive`))).toBe(true);
    expect(g.filter((x) => x.includes(streamArn(dev.s, dev.names.signalsStream)))).toEqual([]);
    expect(g.filter((x) => /:(Put|Delete|Create|Update|Register)/.test(x) || x.includes('GenerateDataKey'))).toEqual([]);
  });
});

describe('defect 5: delivery failures alarm', () => {
  const alarmsOn = (s: Synthesised, metricName: string) => ofType(s.resources, 'AWS::CloudWatch::Alarm').filter(([, a]) => props(a).MetricName === metricName);

  test('every rule with a target alarms on FailedInvocations and on InvocationsFailedToBeSentToDlq', () => {
    const rules = ofType(dev.s.resources, 'AWS::Events::Rule').filter(([, r]) => (props(r).Targets ?? []).length > 0);
    expect(rules).toHaveLength(defaultConfig.routing.length + 1);
    for (const metricName of ['FailedInvocations', 'InvocationsFailedToBeSentToDlq']) {
      const alarms = alarmsOn(dev.s, metricName);
      for (const [ruleId] of rules) {
        const alarm = alarms.find(([, a]) => (props(a).Dimensions as { Name: string; Value: unknown }[]).some((d) => d.Name === 'RuleName' && refOf(d.Value) === ruleId));
        expect([ruleId, metricName, alarm && props(alarm[1]).Namespace]).toEqual([ruleId, metricName, 'AWS/Events']);
        expect(props(alarm![1]).Dimensions).toEqual(expect.arrayContaining([{ Name: 'EventBusName', Value: dev.names.bus }]));
        expect(props(alarm![1])).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Sum' });
      }
    }
  });

  test('every notify function alarms on its throttles', () => {
    const notify = ofType(dev.s.resources, 'AWS::Lambda::Function').filter(([, f]) => String(props(f).FunctionName).startsWith(dev.names.function('notify-')));
    expect(notify).toHaveLength(3);
    const throttled = new Set(alarmsOn(dev.s, 'Throttles').map(([, a]) => refOf(props(a).Dimensions[0].Value)));
    for (const [fnId] of notify) expect(throttled.has(fnId)).toBe(true);
  });
});

describe('defect 6: nothing that depends on the account deploys by default', () => {
  test('no function reserves concurrency by default: the stack fits an account whose concurrency quota is 10', () => {
    const functions = ofType(dev.s.resources, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(6);
    for (const [, fn] of functions) expect(props(fn).ReservedConcurrentExecutions).toBeUndefined();
  });

  test('prod reserves what its configuration says, within the quota it states', () => {
    const notify = ofType(prod.s.resources, 'AWS::Lambda::Function').filter(([, f]) => String(props(f).FunctionName).startsWith(prod.names.function('notify-')));
    for (const [, fn] of notify) expect(props(fn).ReservedConcurrentExecutions).toBe(5);
  });
});

describe('consumer modes', () => {
  test('shared (dev): each function reads its stream itself, no stream consumer', () => {
    expect(ofType(dev.s.resources, 'AWS::Kinesis::StreamConsumer')).toEqual([]);
    const streams = new Set(ofType(dev.s.resources, 'AWS::Kinesis::Stream').map(([id]) => id));
    for (const [, m] of ofType(dev.s.resources, 'AWS::Lambda::EventSourceMapping')) expect(streams.has(refOf(props(m).EventSourceArn)!)).toBe(true);
  });

  test('enhanced fan-out (prod): a consumer per stream, named after its function; the mapping reads through it, with the same failure handling', () => {
    const consumers = ofType(prod.s.resources, 'AWS::Kinesis::StreamConsumer');
    expect(consumers).toHaveLength(2);
    const fnByName = (name: string) => ofType(prod.s.resources, 'AWS::Lambda::Function').find(([, f]) => props(f).FunctionName === prod.names.function(name))!;
    const config = loadConfig({ file: PROD_EXAMPLE, stage: 'prod' });
    for (const [name, stream] of [['enrich', prod.names.signalsStream], ['score', prod.names.enrichedStream]] as const) {
      const [consumerId, consumer] = consumers.find(([, c]) => props(c).ConsumerName === prod.names.function(name))!;
      expect(prod.s.resources[refOf(props(consumer).StreamARN)!].Properties.Name).toBe(stream);
      const [fnId] = fnByName(name);
      const [, mapping] = ofType(prod.s.resources, 'AWS::Lambda::EventSourceMapping').find(([, m]) => refOf(props(m).FunctionName) === fnId)!;
      expect(refOf(props(mapping).EventSourceArn)).toBe(consumerId);
      expect(props(mapping)).toMatchObject({
        BatchSize: config.eventSources[name].batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        StartingPosition: 'TRIM_HORIZON',
      });
      // The role may subscribe through its consumer (and decrypt what it reads).
      const roleId = refOf(props(fnByName(name)[1]).Role);
      const statements = ofType(prod.s.resources, 'AWS::IAM::Policy')
        .filter(([, p]) => (props(p).Roles as unknown[]).some((r) => refOf(r) === roleId))
        .flatMap(([, p]) => props(p).PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const onConsumer = statements.filter((st) => refOf(st.Resource) === consumerId).flatMap((st) => [st.Action].flat());
      expect(onConsumer).toEqual(expect.arrayContaining(['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer']));
      expect(statements.some((st) => [st.Action].flat().includes('kms:Decrypt'))).toBe(true);
    }
  });
});

describe('the prod-like example (examples/prod.json): what changes with the configuration changes', () => {
  const example = loadConfig({ file: PROD_EXAMPLE, stage: 'prod' });
  const resources = () => prod.s.resources;

  test('the stack and every name follow the stage', () => {
    expect(prod.s.stack.stackName).toBe('MicroMoments-prod');
    prod.s.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: prod.names.table });
    prod.s.template.hasResourceProperties('AWS::Events::EventBus', { Name: prod.names.bus });
  });

  test('provisioned streams with the configured shard count and retention; queue and log retention from the file', () => {
    expect(example.streams.mode).toBe('PROVISIONED');
    for (const [, st] of ofType(resources(), 'AWS::Kinesis::Stream')) {
      expect(props(st)).toMatchObject({ StreamModeDetails: { StreamMode: 'PROVISIONED' }, ShardCount: example.streams.shardCount, RetentionPeriodHours: example.retention.streamHours });
    }
    for (const [, q] of ofType(resources(), 'AWS::SQS::Queue')) expect(props(q).MessageRetentionPeriod).toBe(example.retention.queueDays * 86400);
    for (const [, lg] of ofType(resources(), 'AWS::Logs::LogGroup')) expect(props(lg).RetentionInDays).toBe(example.retention.logDays);
  });

  test('a disabled channel has no notify function and no rule', () => {
    expect(example.channels.sms?.enabled).toBe(false);
    const fnNames = ofType(resources(), 'AWS::Lambda::Function').map(([, f]) => props(f).FunctionName);
    expect(fnNames.sort()).toEqual(['enrich', 'notify-push', 'notify-webhook', 'privacy', 'score'].map(prod.names.function).sort());
    expect(ofType(resources(), 'AWS::Events::Rule')).toHaveLength(example.routing.length + 1);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding, in either consumer mode', () => {
    expect(nagFindings(prod.s.app)).toEqual([]);
    expect(nagFindings(dev.s.app)).toEqual([]);
  });
});
