/**
 * A channel kind's part of the notification construct (infra/constructs/notification.ts): what
 * the kind's notify functions share (created once, when a channel of the kind is enabled), the
 * environment each of them gets (the descriptor's `env`), what each may do, and the stack outputs
 * an operator needs. The construct iterates the kinds' parts; it does not branch on them.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { ChannelSettingsBase } from '../../../shared/channels';
import type { MicroMomentsConfig } from '../../../shared/config';
import type { Channel } from '../../../shared/contracts/channel-names';
import type { ResourceNames } from '../../../shared/names';

export interface ChannelPartProps<S extends ChannelSettingsBase> {
  config: MicroMomentsConfig;
  names: ResourceNames;
  key: kms.IKey;
  /** The enabled channels of this kind, with their settings. */
  channels: { channel: Channel; settings: S }[];
}

export interface ChannelKindResources<S extends ChannelSettingsBase> {
  /** The variables of one notify function of this kind (each a name of the descriptor's `env`, or a secret's ARN). */
  environment(channel: Channel, settings: S): Record<string, string>;
  /** Everything one notify function of this kind may do to deliver, scoped to its resources. */
  grant(role: iam.IRole, channel: Channel, settings: S): void;
  /** Stack outputs: id → value and what it is. */
  outputs: { id: string; value: string; description: string }[];
}

export interface ChannelConstructPart<S extends ChannelSettingsBase> {
  /** Creates the kind's shared resources in `scope` (the Notification construct: their ids stay stable). */
  create(scope: Construct, props: ChannelPartProps<S>): ChannelKindResources<S>;
}
