/**
 * The alarms as an operator meets them: every alarm has a stable name with the stage prefix, the
 * on-failure queues' alarms are the ones the redrive section points at, every alarm is explained
 * in docs/OPERATIONS.md, and every alarm tells the alarm topic on ALARM and on OK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceNames } from '../../shared/names';
import { ALARM_THRESHOLDS } from '../../infra/constructs/observability';
import { ofType, refOf, synth, type CfnResource, type Synthesised } from './helpers';

const names = resourceNames('dev');
let s: Synthesised;
let alarms: Record<string, unknown>[];
beforeAll(() => {
  s = synth();
  alarms = ofType(s.resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
});

const props = (r: CfnResource) => r.Properties;
const operations = readFileSync(join(__dirname, '../../docs/OPERATIONS.md'), 'utf8');

test('every alarm is named micro-moments-<stage>-…, and names are unique', () => {
  const alarmNames = alarms.map((a) => a.AlarmName);
  for (const n of alarmNames) expect(n).toMatch(/^micro-moments-dev-[a-z0-9-]+$/);
  expect(new Set(alarmNames).size).toBe(alarmNames.length);
});

test('the on-failure queues alarm under the names docs/OPERATIONS.md gives, on their own queues', () => {
  for (const [service, queueName] of [
    ['enrich', names.enrichFailureQueue],
    ['score', names.scoreFailureQueue],
  ]) {
    const alarm = alarms.find((a) => a.AlarmName === `micro-moments-dev-${service}-on-failure-depth`);
    expect(alarm).toBeDefined();
    const [queueId] = ofType(s.resources, 'AWS::SQS::Queue').find(([, q]) => props(q).QueueName === queueName)!;
    expect(refOf((alarm!.Dimensions as { Value: unknown }[])[0].Value)).toBe(queueId);
    expect(alarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  }
});

test('docs/OPERATIONS.md explains every alarm of the stack, by its name with <stage>', () => {
  const documented = (name: string) => {
    const generic = name.replace(/^micro-moments-dev-/, 'micro-moments-<stage>-');
    if (operations.includes(generic)) return true;
    // Families documented once with a placeholder: rule DLQs, notify failure queues, error rates.
    const families = [
      /^micro-moments-<stage>-rule-[a-z0-9-]+-dlq-depth$/,
      /^micro-moments-<stage>-notify-[a-z]+-failures-depth$/,
      /^micro-moments-<stage>-[a-z-]+-error-rate$/,
      /^micro-moments-<stage>-rule-[a-z0-9-]+-failed-invocations$/,
      /^micro-moments-<stage>-rule-[a-z0-9-]+-dlq-send-failures$/,
      /^micro-moments-<stage>-notify-[a-z]+-throttles$/,
    ];
    const placeholder = [
      'micro-moments-<stage>-rule-<rule>-dlq-depth',
      'micro-moments-<stage>-notify-<channel>-failures-depth',
      'micro-moments-<stage>-<function>-error-rate',
      'micro-moments-<stage>-rule-<rule>-failed-invocations',
      'micro-moments-<stage>-rule-<rule>-dlq-send-failures',
      'micro-moments-<stage>-notify-<channel>-throttles',
    ];
    return families.some((f, i) => f.test(generic) && operations.includes(placeholder[i]));
  };
  const missing = alarms.map((a) => String(a.AlarmName)).filter((n) => !documented(n));
  expect(missing).toEqual([]);
  // The rule names of a family are listed where the family is explained.
  for (const a of alarms) {
    const m = /^micro-moments-dev-rule-(.+)-dlq-depth$/.exec(String(a.AlarmName));
    if (m) expect(operations).toContain(`\`${m[1]}\``);
  }
});

test('the thresholds the docs state are the ones deployed', () => {
  expect(operations).toContain(`above **${ALARM_THRESHOLDS.iteratorAgeMs / 1000} s**`);
  expect(operations).toContain(`more than **${ALARM_THRESHOLDS.quarantineRatePercent} %**`);
  expect(operations).toContain(`more than **${ALARM_THRESHOLDS.errorRatePercent} %**`);
});

test('every alarm tells the encrypted alarm topic when it fires and when it clears', () => {
  const [[topicId, topic]] = ofType(s.resources, 'AWS::SNS::Topic').filter(([, t]) => props(t).TopicName === names.alarmTopic);
  expect(props(topic).KmsMasterKeyId).toBeDefined();
  for (const a of alarms) {
    expect((a.AlarmActions as unknown[]).map(refOf)).toEqual([topicId]);
    expect((a.OKActions as unknown[]).map(refOf)).toEqual([topicId]);
  }
});

test('the dashboard shows retries and batch duration per consumer, and the depth of both on-failure queues', () => {
  const [[, d]] = ofType(s.resources, 'AWS::CloudWatch::Dashboard');
  const body = JSON.stringify(props(d).DashboardBody);
  expect(body).toContain('Entries retried after partial failures');
  expect(body).toMatch(/BatchDurationMs.*p99/);
  for (const queueName of [names.enrichFailureQueue, names.scoreFailureQueue]) {
    const [queueId] = ofType(s.resources, 'AWS::SQS::Queue').find(([, q]) => props(q).QueueName === queueName)!;
    expect(body).toContain(queueId);
  }
});
