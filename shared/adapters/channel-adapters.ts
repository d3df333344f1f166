/**
 * The channel adapter a notify function sends through: the one the runtime was given (local mode,
 * tests), else the one the configuration's channel kind names, built on the runtime's clients.
 */
import type { Channel } from '../contracts/enriched';
import { ENV } from '../names';
import type { ChannelAdapter } from '../notify/channel';
import { WebhookChannel } from '../notify/webhook-channel';
import type { Runtime } from './runtime';
import { SnsChannel } from './sns-channel';

export function channelAdapterFor(runtime: Runtime, channel: Channel): ChannelAdapter {
  const given = runtime.channels?.[channel];
  if (given) return given;
  const settings = runtime.config.channels[channel];
  if (!settings?.enabled) throw new Error(`channels.${channel}: not configured or not enabled`);
  if (settings.kind === 'webhook') {
    return new WebhookChannel({ settings, secret: () => runtime.secrets.get('webhook') });
  }
  const topicArn = runtime.resources.notificationTopicArn;
  if (!topicArn) throw new Error(`environment variable ${ENV.notificationTopicArn} is required for channel ${channel}`);
  return new SnsChannel({ channel, sns: runtime.clients.sns, topicArn, counter: runtime.counter, now: runtime.now });
}
