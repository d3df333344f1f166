/**
 * What an operator looks at (the dashboard) and what wakes them (the alarms, through one
 * encrypted SNS topic). The application metrics are the EMF metrics the handlers emit
 * (shared/observability/metric-names.ts, namespace MicroMoments, dimensions stage and service),
 * beside the AWS metrics that show a pipeline falling behind or losing work: iterator age,
 * errors, throttles, and the depth of every queue where failed work waits.
 * docs/OPERATIONS.md says what each alarm means and what to do.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../../shared/config';
import type { ResourceNames } from '../../shared/names';
import { METRIC } from '../../shared/observability/metric-names';
import { METRICS_NAMESPACE } from '../../shared/observability/metric-names';
import type { PipelineFunction } from '../lib/function';

/** Alarm thresholds: starting points for a new deployment, meant to be tuned per stage. */
export const ALARM_THRESHOLDS = {
  /** A consumer this far behind its stream is not keeping up (ms). */
  iteratorAgeMs: 60_000,
  /** Share of incoming signals quarantined over 5 minutes (%): a producer is sending bad data. */
  quarantineRatePercent: 5,
  /** Share of invocations that failed over 5 minutes (%). */
  errorRatePercent: 1,
} as const;

export interface StreamConsumer {
  stream: kinesis.IStream;
  consumer: PipelineFunction;
  /** The enhanced fan-out consumer the function reads through, if any. */
  streamConsumer?: kinesis.IStreamConsumer;
}

/** An EventBridge rule of the stack, by the name its alarms carry (rule-<routing name>, privacy-rule). */
export interface WatchedRule {
  name: string;
  rule: events.IRule;
}

export interface ObservabilityProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  functions: PipelineFunction[];
  consumers: StreamConsumer[];
  quarantine: sqs.IQueue;
  /** Where failed work waits: on-failure destinations, rule DLQs, async failure queues. */
  failureQueues: { name: string; queue: sqs.IQueue }[];
  /** Every rule on the bus with a target of ours: delivery failures alarm. */
  rules: WatchedRule[];
  busName: string;
}

const FIVE_MINUTES = Duration.minutes(5);

export class Observability extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, names, functions } = props;
    this.stage = config.stage;

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      topicName: names.alarmTopic,
      displayName: 'micro-moments alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one (enforceSSL writes the TLS-deny statement), so
    // CloudWatch must be allowed to publish explicitly, and only for this stage's alarms (every
    // alarm is named micro-moments-<stage>-…, asserted by test/infra/observability.test.ts).
    const { partition, region, account } = Stack.of(this);
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisStage',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:${names.function('')}*` },
          StringEquals: { 'aws:SourceAccount': account },
        },
      }),
    );
    const alarmAction = new actions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const a = new cloudwatch.Alarm(this, alarmId, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps });
      a.addAlarmAction(alarmAction);
      a.addOkAction(alarmAction);
      this.alarms.push(a);
    };

    // Alarms: consumers falling behind their streams.
    for (const { stream, consumer } of props.consumers) {
      alarm(`IteratorAge-${consumer.service}`, {
        alarmName: `${names.function(consumer.service)}-iterator-age`,
        alarmDescription: `${consumer.service} is more than ${ALARM_THRESHOLDS.iteratorAgeMs / 1000} s behind ${stream.streamName}: records wait, and past maxRecordAge they go to the on-failure queue.`,
        metric: consumer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: ALARM_THRESHOLDS.iteratorAgeMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      });
    }
    // Alarms: any work in a failure queue needs a person (inspect, fix, redrive).
    for (const { name, queue } of props.failureQueues) {
      alarm(`FailureDepth-${name}`, {
        // Named like every other alarm (stage prefix), so docs/OPERATIONS.md can name it.
        alarmName: `${names.function(name)}-depth`,
        alarmDescription: `${name} holds failed work (> 0 messages): inspect it and redrive it (docs/OPERATIONS.md).`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    // Alarms: EventBridge could not invoke a rule's target, or could not even put the event in the
    // rule's dead-letter queue (then the event is gone: the one failure no queue holds).
    for (const { name, rule } of props.rules) {
      const ruleMetric = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName,
          dimensionsMap: { EventBusName: props.busName, RuleName: rule.ruleName },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      alarm(`FailedInvocations-${name}`, {
        alarmName: `${names.function(name)}-failed-invocations`,
        alarmDescription: `${name}: EventBridge failed to invoke the target (the events are retried, then go to the rule's dead-letter queue).`,
        metric: ruleMetric('FailedInvocations'),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`DlqSendFailures-${name}`, {
        alarmName: `${names.function(name)}-dlq-send-failures`,
        alarmDescription: `${name}: EventBridge could not put undeliverable events in the rule's dead-letter queue: those events are lost.`,
        metric: ruleMetric('InvocationsFailedToBeSentToDlq'),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    // Alarms: a notify function throttled (its reserved concurrency, or the account's, is used up):
    // Lambda retries throttled asynchronous events, but a moment that waits loses its relevance.
    for (const f of functions.filter((fn) => fn.service.startsWith('notify-'))) {
      alarm(`Throttles-${f.service}`, {
        alarmName: `${names.function(f.service)}-throttles`,
        alarmDescription: `${f.service} was throttled over 5 minutes: moments wait for a free execution environment.`,
        metric: f.fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    // Alarm: the share of signals quarantined.
    alarm('QuarantineRate', {
      alarmName: `${names.function('enrich')}-quarantine-rate`,
      alarmDescription: `More than ${ALARM_THRESHOLDS.quarantineRatePercent}% of signals were quarantined over 5 minutes: a producer sends invalid records (reasons are in the quarantine queue).`,
      metric: this.quarantineRate(),
      threshold: ALARM_THRESHOLDS.quarantineRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    // Alarms: function error rate.
    for (const f of functions) {
      alarm(`ErrorRate-${f.service}`, {
        alarmName: `${names.function(f.service)}-error-rate`,
        alarmDescription: `More than ${ALARM_THRESHOLDS.errorRatePercent}% of ${f.service} invocations failed over 5 minutes.`,
        metric: new cloudwatch.MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: {
            errors: f.fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
            invocations: f.fn.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES }),
          },
          period: FIVE_MINUTES,
          label: `${f.service} error rate (%)`,
        }),
        threshold: ALARM_THRESHOLDS.errorRatePercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(...this.applicationWidgets(functions));
    this.dashboard.addWidgets(...this.platformWidgets(props));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
  }

  /** One EMF metric of one function (dimensions stage and service, as Powertools emits them). */
  metric(service: string, metricName: string, statistic = 'Sum'): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { stage: this.stage, service },
      statistic,
      period: Duration.minutes(1),
      label: metricName,
    });
  }

  /** A metric split by one extra dimension (policy, intent, channel, reason): every value, found by SEARCH. */
  private byDimension(service: string, metricName: string, dimension: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},${dimension},service,stage} MetricName="${metricName}" service="${service}" stage="${this.stage}"', 'Sum', 60)`,
      label: `${metricName} by ${dimension}`,
      period: Duration.minutes(1),
    });
  }

  private quarantineRate(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'IF(signalsIn > 0, 100 * quarantined / signalsIn, 0)',
      usingMetrics: {
        quarantined: this.metric('enrich', METRIC.signalsQuarantined).with({ period: FIVE_MINUTES }),
        signalsIn: this.metric('enrich', METRIC.signalsIn).with({ period: FIVE_MINUTES }),
      },
      period: FIVE_MINUTES,
      label: 'Quarantined / SignalsIn (%)',
    });
  }

  private applicationWidgets(functions: PipelineFunction[]): cloudwatch.IWidget[] {
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const notifiers = functions.filter((f) => f.service.startsWith('notify-'));
    return [
      graph('Signals (enrich)', [
        this.metric('enrich', METRIC.signalsIn),
        this.metric('enrich', METRIC.signalsEnriched),
        this.metric('enrich', METRIC.signalsQuarantined),
        this.byDimension('enrich', METRIC.signalsDropped, 'policy'),
      ]),
      graph('Quarantine rate (%)', [this.quarantineRate()]),
      graph('Scoring', [
        this.metric('score', METRIC.enrichedIn),
        this.metric('score', METRIC.redeliveriesSkipped),
        this.byDimension('score', METRIC.momentsDetected, 'intent'),
        // Erased or withdrawn since enrichment.
        this.byDimension('score', METRIC.signalsDropped, 'policy'),
      ]),
      graph(
        'Notifications',
        notifiers.flatMap((f) => [
          this.byDimension(f.service, METRIC.notificationsSent, 'channel'),
          this.byDimension(f.service, METRIC.notificationsSuppressed, 'reason'),
          this.metric(f.service, METRIC.momentsOfErasedDropped).with({ label: `${f.service} MomentsOfErasedDropped` }),
        ]),
      ),
      graph('Entries retried after partial failures', functions.map((f) => this.metric(f.service, METRIC.entriesRetried).with({ label: f.service }))),
      graph(
        'Batch duration (ms, p50 and p99)',
        ['enrich', 'score'].flatMap((s) => [
          this.metric(s, METRIC.batchDurationMs, 'p50').with({ label: `${s} p50` }),
          this.metric(s, METRIC.batchDurationMs, 'p99').with({ label: `${s} p99` }),
        ]),
      ),
      graph('Privacy requests', [this.metric('privacy', METRIC.accessRequests), this.metric('privacy', METRIC.customersErased)]),
    ];
  }

  private platformWidgets(props: ObservabilityProps): cloudwatch.IWidget[] {
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    return [
      graph(
        'Iterator age (ms)',
        props.consumers.flatMap(({ stream, consumer, streamConsumer }) => [
          streamConsumer
            ? new cloudwatch.Metric({
                namespace: 'AWS/Kinesis',
                metricName: 'SubscribeToShardEvent.MillisBehindLatest',
                dimensionsMap: { StreamName: stream.streamName, ConsumerName: streamConsumer.streamConsumerName },
                statistic: 'Maximum',
                period: Duration.minutes(1),
                label: `${stream.streamName} enhanced fan-out`,
              })
            : stream.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: Duration.minutes(1), label: `${stream.streamName} GetRecords` }),
          consumer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1), label: `${consumer.service} IteratorAge` }),
        ]),
      ),
      graph('Lambda errors', props.functions.map((f) => f.fn.metricErrors({ period: Duration.minutes(1), label: f.service }))),
      graph('Lambda throttles', props.functions.map((f) => f.fn.metricThrottles({ period: Duration.minutes(1), label: f.service }))),
      graph(
        'Queue depths (quarantine, on-failure, DLQs)',
        [{ name: 'quarantine', queue: props.quarantine }, ...props.failureQueues].map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1), label: name }),
        ),
        24,
      ),
    ];
  }
}
