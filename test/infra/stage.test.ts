/**
 * A production-like configuration: a stage outside devStages, provisioned streams, a tuned event
 * source, the SMS channel disabled. What changes must change, and cdk-nag must still pass.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../shared/config';
import { resourceNames } from '../../shared/names';
import { nagFindings, ofType, refOf, synth, type Synthesised } from './helpers';

const names = resourceNames('prod');
let s: Synthesised;

beforeAll(() => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mm-infra-')), 'prod.json');
  writeFileSync(
    file,
    JSON.stringify({
      streams: { mode: 'PROVISIONED', shardCount: 4 },
      eventSources: { enrich: { batchSize: 250, maxBatchingWindowSeconds: 1 } },
      retention: { streamHours: 48, queueDays: 7, logDays: 90 },
      channels: { sms: { kind: 'sns', enabled: false } },
      routing: defaultConfig.routing.filter((r) => r.target !== 'sms'),
    }),
  );
  s = synth({ stage: 'prod', config: file });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
const props = (id: string) => s.resources[id].Properties as Record<string, any>;

test('the stack and every name follow the stage', () => {
  expect(s.stack.stackName).toBe('MicroMoments-prod');
  s.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: names.table });
  s.template.hasResourceProperties('AWS::Events::EventBus', { Name: names.bus });
});

test('outside dev stages the table is protected from deletion and retained', () => {
  const [[tableId, table]] = ofType(s.resources, 'AWS::DynamoDB::Table');
  expect(props(tableId).DeletionProtectionEnabled).toBe(true);
  expect(table.DeletionPolicy).toBe('Retain');
  expect(table.UpdateReplacePolicy).toBe('Retain');
  const [[, key]] = ofType(s.resources, 'AWS::KMS::Key');
  expect(key.DeletionPolicy).toBe('Retain');
});

test('provisioned streams with the configured shard count and retention', () => {
  for (const [id] of ofType(s.resources, 'AWS::Kinesis::Stream')) {
    expect(props(id)).toMatchObject({ StreamModeDetails: { StreamMode: 'PROVISIONED' }, ShardCount: 4, RetentionPeriodHours: 48 });
  }
});

test('event source, queue and log settings come from the file', () => {
  const enrichId = ofType(s.resources, 'AWS::Lambda::Function').find(([id]) => props(id).FunctionName === names.function('enrich'))![0];
  const [mappingId] = ofType(s.resources, 'AWS::Lambda::EventSourceMapping').find(([id]) => refOf(props(id).FunctionName) === enrichId)!;
  expect(props(mappingId)).toMatchObject({ BatchSize: 250, MaximumBatchingWindowInSeconds: 1 });
  for (const [id] of ofType(s.resources, 'AWS::SQS::Queue')) expect(props(id).MessageRetentionPeriod).toBe(7 * 86400);
  for (const [id] of ofType(s.resources, 'AWS::Logs::LogGroup')) expect(props(id).RetentionInDays).toBe(90);
});

test('a disabled channel has no notify function and no rule', () => {
  const fnNames = ofType(s.resources, 'AWS::Lambda::Function').map(([id]) => props(id).FunctionName);
  expect(fnNames.sort()).toEqual(['enrich', 'notify-push', 'notify-webhook', 'privacy', 'score'].map(names.function).sort());
  // 3 routing rules left, and the privacy rule.
  expect(ofType(s.resources, 'AWS::Events::Rule')).toHaveLength(4);
});

test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
  expect(nagFindings(s.app)).toEqual([]);
});
