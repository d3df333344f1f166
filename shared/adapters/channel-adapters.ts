/**
 * The channel adapter a notify function sends through: the one the runtime was given (local mode,
 * tests), else the one its kind's descriptor builds (shared/channels/) on the runtime's clients,
 * secrets and the resources its construct part named in the environment.
 */
import { channelKindOf } from '../channels';
import type { Channel } from '../contracts/channel-names';
import type { ChannelAdapter } from '../notify/channel';
import type { Runtime } from './runtime';

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
  return kind.adapter({ channel, settings, runtime, resource });
}
