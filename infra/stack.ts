/**
 * The whole pipeline as one stack, MicroMoments-<stage>: one construct per capability, composed
 * in the order the data flows. Everything is named from the stage (shared/names.ts), so local
 * mode creates the same streams, table and bus as AWS.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { MicroMomentsConfig } from '../shared/config';
import { resourceNames } from '../shared/names';
import { Access } from './constructs/access';
import { Encryption } from './constructs/encryption';
import { Events } from './constructs/events';
import { Ingestion } from './constructs/ingestion';
import { Notification } from './constructs/notification';
import { Observability } from './constructs/observability';
import { Privacy } from './constructs/privacy';
import { Processing } from './constructs/processing';
import { Secrets } from './constructs/secrets';
import { Storage } from './constructs/storage';
import { isDevStage } from './lib/removal';

export interface MicroMomentsStackProps extends StackProps {
  /** Validated (loadConfig): the stack trusts it and bakes it into the functions. */
  config: MicroMomentsConfig;
}

export class MicroMomentsStack extends Stack {
  readonly encryption: Encryption;
  readonly ingestion: Ingestion;
  readonly storage: Storage;
  readonly secrets: Secrets;
  readonly events: Events;
  readonly processing: Processing;
  readonly notification: Notification;
  readonly privacy: Privacy;
  readonly observability: Observability;
  readonly access: Access;

  constructor(scope: Construct, props: MicroMomentsStackProps) {
    const { config } = props;
    const names = resourceNames(config.stage);
    super(scope, names.stack, {
      description: `micro-moments (${config.stage}): signals → enrich → score → moments → notifications, with consent and privacy by design`,
      // A stage that keeps its data cannot be deleted by a stray `cdk destroy` either.
      terminationProtection: !isDevStage(config),
      ...props,
    });
    const base = { config, names };

    this.encryption = new Encryption(this, 'Encryption', { config });
    const key = this.encryption.key;
    this.secrets = new Secrets(this, 'Secrets', { ...base, key });
    this.storage = new Storage(this, 'Storage', { ...base, key });
    this.ingestion = new Ingestion(this, 'Ingestion', { ...base, key });
    this.events = new Events(this, 'Events', { ...base, key });
    const table = this.storage.table;
    const bus = this.events.bus;

    this.processing = new Processing(this, 'Processing', {
      ...base,
      key,
      signals: this.ingestion.signals,
      enriched: this.ingestion.enriched,
      quarantine: this.ingestion.quarantine,
      table,
      bus,
      pepper: this.secrets.pepper,
    });
    this.notification = new Notification(this, 'Notification', { ...base, key, table, bus });
    this.events.route(new Map(this.notification.notifiers.map((n) => [n.channel, n.function.fn])));
    this.privacy = new Privacy(this, 'Privacy', { ...base, key, table, bus, pepper: this.secrets.pepper, quarantine: this.ingestion.quarantine });

    const { enrich, score, streamConsumers } = this.processing;
    const failureQueues = [
      { name: 'enrich-on-failure', queue: this.processing.enrichFailures },
      { name: 'score-on-failure', queue: this.processing.scoreFailures },
      ...this.events.routes.map((r) => ({ name: `rule-${r.config.name}-dlq`, queue: r.deadLetterQueue })),
      ...this.notification.notifiers.map((n) => ({ name: `notify-${n.channel}-failures`, queue: n.failures })),
      { name: 'privacy-rule-dlq', queue: this.privacy.deadLetterQueue },
      { name: 'privacy-failures', queue: this.privacy.failures },
    ];
    this.observability = new Observability(this, 'Observability', {
      ...base,
      key,
      functions: [enrich, score, ...this.notification.notifiers.map((n) => n.function), this.privacy.function],
      consumers: [
        { stream: this.ingestion.signals, consumer: enrich, streamConsumer: streamConsumers.enrich },
        { stream: this.ingestion.enriched, consumer: score, streamConsumer: streamConsumers.score },
      ],
      quarantine: this.ingestion.quarantine,
      failureQueues,
      rules: [
        ...this.events.routes.map((r) => ({ name: `rule-${r.config.name}`, rule: r.rule })),
        { name: 'privacy-rule', rule: this.privacy.rule },
      ],
      busName: names.bus,
    });
    this.access = new Access(this, 'Access', {
      names,
      key,
      signals: this.ingestion.signals,
      enriched: this.ingestion.enriched,
      archive: this.events.archive,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('SignalsStreamName', this.ingestion.signals.streamName, 'Producers PutRecords here (partition key: userId or anonymousId)');
    output('SignalsStreamArn', this.ingestion.signals.streamArn, 'ARN of the signals stream');
    output('EnrichedStreamName', this.ingestion.enriched.streamName, 'Clean, pseudonymised, consented signals for other consumers');
    output('EnrichedStreamArn', this.ingestion.enriched.streamArn, 'ARN of the enriched stream');
    output('EventBusName', bus.eventBusName, 'Subscribers add rules here (source micro-moments)');
    output('EventBusArn', bus.eventBusArn, 'ARN of the event bus');
    output('TableName', table.tableName, 'The single table (pk C#<customerKey>)');
    output('KeyArn', key.keyArn, 'The KMS key of both streams (writers need kms:GenerateDataKey, readers kms:Decrypt), the table, queues, topics and secrets');
    output('ProducerPolicyArn', this.access.producerPolicy.managedPolicyArn, 'Managed policy for producers: write signals, encrypt with the key');
    output('SubscriberPolicyArn', this.access.subscriberPolicy.managedPolicyArn, 'Managed policy for subscribers: read the enriched stream, replay the moment archive');
    output('SchemaRegistryName', this.events.registry.attrRegistryName, 'EventBridge schema registry of the published events');
    output('ArchiveArn', this.events.archive.archiveArn, 'Archive of every Moment Detected (replay to the bus)');
    for (const [name, consumer] of Object.entries(streamConsumers)) {
      if (consumer) output(`${pascal(name)}StreamConsumerArn`, consumer.streamConsumerArn, `Enhanced fan-out consumer ${name} reads through`);
    }
    output('QuarantineQueueUrl', this.ingestion.quarantine.queueUrl, 'Invalid signals, each with its reason');
    for (const { name, queue } of failureQueues) output(`QueueUrl${pascal(name)}`, queue.queueUrl, `Failure queue ${name}`);
    if (this.notification.topic) output('NotificationTopicArn', this.notification.topic.topicArn, 'Push and SMS notifications are published here');
    output('AlarmTopicArn', this.observability.alarmTopic.topicArn, 'Subscribe the on-call here');
    output('ExportBucketName', this.privacy.exports.bucketName, 'Access exports (expire after 7 days)');
    output('PepperSecretArn', this.secrets.pepper.secretArn, 'ARN of the pepper secret (the value is never output)');
    if (this.notification.webhookSecret) {
      output('WebhookSecretArn', this.notification.webhookSecret.secretArn, 'Webhook signing key, to share with the receiver (the value is never output)');
    }
    output('DashboardName', this.observability.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}

function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
