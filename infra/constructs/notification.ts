/**
 * One notify function per enabled channel (notify-<channel>), the SNS topic that push and SMS go
 * through, and the webhook signing key. Each function is invoked asynchronously by its rules; a
 * moment it failed on after Lambda's own retries lands in its failure queue, not in the void.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isExampleEndpoint, type MicroMomentsConfig } from '../../shared/config';
import { ENV, type ResourceNames } from '../../shared/names';
import { PipelineFunction } from '../lib/function';
import { grantStores } from '../lib/store-grants';
import { acknowledge } from '../lib/nag';
import { terminalQueue } from '../lib/queue';
import { statefulRemovalPolicy } from '../lib/removal';

export interface NotificationProps {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  table: dynamodb.ITable;
  bus: events.IEventBus;
}

export interface Notifier {
  channel: string;
  function: PipelineFunction;
  failures: sqs.Queue;
}

export class Notification extends Construct {
  readonly notifiers: Notifier[] = [];
  readonly topic?: sns.Topic;
  readonly webhookSecret?: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: NotificationProps) {
    super(scope, id);
    const { config, names, key, table, bus } = props;
    const enabled = Object.entries(config.channels).filter(([, c]) => c?.enabled);

    if (enabled.some(([, c]) => c?.kind === 'sns')) {
      this.topic = new sns.Topic(this, 'Topic', {
        topicName: names.notificationTopic,
        displayName: 'micro-moments notifications',
        masterKey: key,
        enforceSSL: true,
      });
    }
    const webhook = config.channels.webhook;
    if (webhook?.kind === 'webhook' && webhook.enabled && isExampleEndpoint(webhook.endpoint)) {
      // Outside devStages validateConfig refuses this; a dev stage deploys, but says so.
      Annotations.of(this).addWarningV2(
        'micro-moments:example-webhook-endpoint',
        `channels.webhook.endpoint is the example ${webhook.endpoint}: webhook deliveries from this stage will fail and land in the notify-webhook failure queue`,
      );
    }
    if (enabled.some(([, c]) => c?.kind === 'webhook')) {
      this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSigningKey', {
        secretName: names.webhookSecret,
        description: 'HMAC-SHA256 key that signs webhook deliveries; share it with the receiver to verify them.',
        encryptionKey: key,
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
        removalPolicy: statefulRemovalPolicy(config),
      });
      acknowledge(
        this.webhookSecret,
        'AwsSolutions-SMG4',
        'The signing key is shared with the webhook receiver, so rotating it must be coordinated with them; the procedure (new key, dual verification window) is in docs/OPERATIONS.md.',
      );
    }

    for (const [channel, settings] of enabled) {
      const service = `notify-${channel}`;
      const environment: Record<string, string> = {
        [ENV.table]: table.tableName,
        [ENV.bus]: bus.eventBusName,
        [ENV.channel]: channel,
      };
      if (settings?.kind === 'sns' && this.topic) environment[ENV.notificationTopicArn] = this.topic.topicArn;
      if (settings?.kind === 'webhook' && this.webhookSecret) environment[ENV.webhookSecretArn] = this.webhookSecret.secretArn;

      const fn = new PipelineFunction(this, `Notify-${channel}`, {
        service,
        entryFolder: 'notify',
        settings: config.functions.notify,
        config,
        names,
        key,
        description: `Moment Detected → guardrails → ${channel} (${settings?.kind}), audit record, Notification Sent|Suppressed`,
        environment,
      });
      grantStores(table, fn.role, ['notify']);
      key.grant(fn.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
      bus.grantPutEventsTo(fn.role);
      if (settings?.kind === 'sns') this.topic?.grantPublish(fn.role);
      if (settings?.kind === 'webhook') this.webhookSecret?.grantRead(fn.role);

      const failures = terminalQueue(this, `Notify-${channel}-Failures`, {
        key,
        retentionDays: config.retention.queueDays,
        removalPolicy: statefulRemovalPolicy(config),
        holds: `Moment Detected events that ${service} failed on after Lambda's asynchronous retries`,
      });
      fn.fn.configureAsyncInvoke({
        onFailure: new destinations.SqsDestination(failures),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(Math.min(360, Math.max(1, config.guardrails.maxMomentAgeMinutes))),
      });
      this.notifiers.push({ channel, function: fn, failures });
    }
  }
}
