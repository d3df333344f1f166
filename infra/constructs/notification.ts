/**
 * One notify function per enabled channel (notify-<channel>), and what each channel kind's
 * functions share (the SNS topic of push and SMS, the webhook signing key, ...), created by the
 * kind's part (infra/constructs/channels/). Each function is invoked asynchronously by its rules;
 * a moment it failed on after Lambda's own retries lands in its failure queue, not in the void.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHANNEL_KIND_NAMES, CHANNEL_KINDS, type ChannelKind, type ChannelSettings } from '../../shared/channels';
import type { MicroMomentsConfig } from '../../shared/config';
import type { Channel } from '../../shared/contracts/channel-names';
import { ENV, type ResourceNames } from '../../shared/names';
import { PipelineFunction } from '../lib/function';
import { grantStores } from '../lib/store-grants';
import { terminalQueue } from '../lib/queue';
import { CHANNEL_CONSTRUCT_PARTS, type ChannelConstructPart, type ChannelKindResources } from './channels';
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
  /** What the channel kinds' parts want output (the topic's ARN, the signing key's ARN, ...). */
  readonly outputs: { id: string; value: string; description: string }[] = [];

  constructor(scope: Construct, id: string, props: NotificationProps) {
    super(scope, id);
    const { config, names, key, table, bus } = props;
    const enabled = Object.entries(config.channels)
      .filter((e): e is [Channel, ChannelSettings] => e[1]?.enabled === true)
      .map(([channel, settings]) => ({ channel, settings }));

    // Each kind with an enabled channel creates what its functions share, once.
    const kinds = new Map<ChannelKind, ChannelKindResources<ChannelSettings>>();
    for (const kind of CHANNEL_KIND_NAMES) {
      const channels = enabled.filter((c) => c.settings.kind === kind);
      if (channels.length === 0) continue;
      const part = CHANNEL_CONSTRUCT_PARTS[kind] as unknown as ChannelConstructPart<ChannelSettings>;
      const resources = part.create(this, { config, names, key, channels });
      kinds.set(kind, resources);
      this.outputs.push(...resources.outputs);
    }

    for (const { channel, settings } of enabled) {
      const service = `notify-${channel}`;
      const kind = kinds.get(settings.kind) as ChannelKindResources<ChannelSettings>;
      const fn = new PipelineFunction(this, `Notify-${channel}`, {
        service,
        entryFolder: 'notify',
        settings: config.functions.notify,
        config,
        names,
        key,
        description: `Moment Detected → guardrails → ${channel} (${CHANNEL_KINDS[settings.kind].summary}), audit record, Notification Sent|Suppressed`,
        environment: { [ENV.table]: table.tableName, [ENV.bus]: bus.eventBusName, [ENV.channel]: channel, ...kind.environment(channel, settings) },
      });
      grantStores(table, fn.role, ['notify']);
      key.grant(fn.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
      bus.grantPutEventsTo(fn.role);
      kind.grant(fn.role, channel, settings);

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
