/**
 * A channel kind as a plug-in: everything the rest of the project needs to know about one way of
 * delivering (a signed webhook, an SNS topic, SES email), in one object. Configuration validation,
 * the notify handler (through shared/adapters/channel-adapters.ts), the notification construct
 * (its part in infra/constructs/channels/) and local mode (its stand-in in local/channels/) iterate
 * the kinds in shared/channels/index.ts instead of branching on them.
 *
 * The descriptor is pure (no SDK, no adapter): the adapter each kind sends through is built by
 * its factory in shared/adapters/channel-adapters.ts, the AWS edge.
 */
import type { MicroMomentsConfig } from '../config/types';
import type { Obj } from '../config/checks';
import type { Channel } from '../contracts/channel-names';
import type { SecretName } from '../secrets';

/** What every channel's settings have: the kind that delivers it, and whether it is on. */
export interface ChannelSettingsBase {
  kind: string;
  enabled: boolean;
}

export interface ChannelDescriptor<S extends ChannelSettingsBase = ChannelSettingsBase> {
  kind: S['kind'];
  /** How it delivers, in a few words (function descriptions, docs). */
  summary: string;
  /** The channel names it can deliver; absent: any. */
  serves?: readonly Channel[];
  /** Its settings' keys besides `kind` and `enabled`: any other key is refused, naming the closest (shared/config/known-keys.ts). */
  keys: readonly string[];
  /** Checks the settings of channel `field` (`kind` and `enabled` are checked already); throws a ConfigError naming the field. */
  validate(settings: Obj, field: string): void;
  /** What only a deployment outside devStages must satisfy (validateDeployment); throws a ConfigError naming the field. */
  validateDeployment?(settings: S, field: string, config: MicroMomentsConfig): void;
  /** Secrets its notify function cannot start without (it fails closed at cold start when one's ARN is missing). */
  secrets: readonly SecretName[];
  /** Environment variables its construct part sets and its adapter reads: name → what it holds. */
  env: Readonly<Record<string, string>>;
}
