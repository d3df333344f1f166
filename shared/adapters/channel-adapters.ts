/**
 * The channel adapter a notify function sends through: the one the runtime was given (local mode,
 * tests), else the one its kind's factory below builds on the runtime's clients, secrets and the
 * resources its construct part named in the environment (the kind's descriptor, shared/channels/,
 * says which). The factories are a record over the kinds, so a kind without one does not
 * compile; each loads its SDK adapter with a dynamic import, so a notify function loads only its
 * own channel's SDK package.
 */
import { channelKindOf, type ChannelKind, type ChannelSettings, type ChannelSettingsBase } from '../channels';
import type { Channel } from '../contracts/channel-names';
import type { ChannelAdapter } from '../notify/channel';
import { WebhookChannel } from '../notify/webhook-channel';
import type { Runtime } from './runtime';

export interface AdapterContext<S extends ChannelSettingsBase> {
  channel: Channel;
  settings: S;
  runtime: Runtime;
  /** A value the kind's construct part set in the function's environment (one of its `env`); throws naming it when absent. */
  resource(name: string): string;
}

type AdapterFactory<S extends ChannelSettingsBase> = (ctx: AdapterContext<S>) => Promise<ChannelAdapter>;

export const CHANNEL_ADAPTERS: { [K in ChannelKind]: AdapterFactory<Extract<ChannelSettings, { kind: K }>> } = {
  webhook: async ({ settings, runtime }) => new WebhookChannel({ settings, secret: () => runtime.secrets.get('webhook') }),
  sns: async (ctx) => (await import('./sns-channel')).snsChannelFor(ctx),
  ses: async (ctx) => (await import('./ses-channel')).sesChannelFor(ctx),
};

export async function channelAdapterFor(runtime: Runtime, channel: Channel): Promise<ChannelAdapter> {
  const given = runtime.channels?.[channel];
  if (given) return given;
  const settings = runtime.config.channels[channel];
  if (!settings?.enabled) throw new Error(`channels.${channel}: not configured or not enabled`);
  const kind = channelKindOf(settings);
  const resource = (name: string): string => {
    const value = runtime.resources.channel?.[name];
    if (!value) throw new Error(`environment variable ${name} is required for channel ${channel} (${kind.env[name] ?? 'set by its construct part'})`);
    return value;
  };
  // The record is keyed by kind, so the factory found is the one for these settings.
  const factory = CHANNEL_ADAPTERS[settings.kind] as unknown as AdapterFactory<ChannelSettings>;
  return factory({ channel, settings, runtime, resource });
}
