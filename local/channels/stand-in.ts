/**
 * A channel kind's local stand-in: what receives notifications in local mode in place of the real
 * thing (a webhook receiver on loopback, a recorder of what SNS or SES would have been asked to
 * send). One per enabled channel; local mode, the fault harness, the report and the live console
 * iterate them (local/channels/index.ts lists one per kind). None prints what it receives: a
 * notification may carry the brand's external id.
 */
import type { ChannelSettingsBase } from '../../shared/channels';
import type { Channel } from '../../shared/contracts/channel-names';
import type { ChannelAdapter, NotificationMessage } from '../../shared/notify/channel';
import type { SecretName } from '../../shared/secrets';

export interface LocalStandIn<S extends ChannelSettingsBase = ChannelSettingsBase> {
  readonly channel: Channel;
  /** What it took, one entry per notification (a receiver that de-duplicates keeps the first). */
  readonly received: readonly NotificationMessage[];
  /** The channel's settings as local mode runs them (the webhook's endpoint pointed at its receiver). */
  settings(configured: S): S;
  /** The adapter the notify function sends through instead of its kind's; absent: the kind's own, with `settings`. */
  readonly adapter?: ChannelAdapter;
  /** For the report and the console: `received` first, then what else it checked (`badSignatures`, ...). */
  counts(): { received: number } & Record<string, number>;
  /** What it is, in the report's words (`webhook receiver`, `SNS recorder`). */
  readonly label: string;
  /** Where it listens, when it does (the webhook receiver's URL), for the CLI to print. */
  readonly url?: string;
  stop(): Promise<void>;
}

export interface LocalStandInFactory<S extends ChannelSettingsBase> {
  /** `secret(name)`: the run's value of a secret (random, the same for every stand-in and adapter of the run). */
  start(channel: Channel, settings: S, secret: (name: SecretName) => string): Promise<LocalStandIn<S>>;
}
