/**
 * The local stand-in of each channel kind (shared/channels/ lists the kinds): a record over
 * ChannelKind, so a kind without its stand-in does not compile. `startStandIns` starts one per
 * enabled channel of a configuration.
 */
import { randomBytes } from 'node:crypto';
import type { ChannelKind, ChannelSettings } from '../../shared/channels';
import type { MicroMomentsConfig } from '../../shared/config';
import type { Channel } from '../../shared/contracts/channel-names';
import type { ChannelAdapter } from '../../shared/notify/channel';
import type { SecretName } from '../../shared/secrets';
import { snsStandIn } from './recorder';
import { sesStandIn } from './ses';
import type { LocalStandIn, LocalStandInFactory } from './stand-in';
import { webhookStandIn } from './webhook';

export const LOCAL_STAND_INS: { [K in ChannelKind]: LocalStandInFactory<Extract<ChannelSettings, { kind: K }>> } = {
  webhook: webhookStandIn,
  sns: snsStandIn,
  ses: sesStandIn,
};

/** The stand-ins of a run, by channel, and the configuration, adapters and secrets that send to them. */
export interface StandIns {
  byChannel: Map<Channel, LocalStandIn>;
  /** The configuration with each channel's settings as its stand-in runs them. */
  config: MicroMomentsConfig;
  /** The adapters that replace the kinds' own (recorders). */
  adapters: Partial<Record<Channel, ChannelAdapter>>;
  secrets: Partial<Record<SecretName, string>>;
  stop(): Promise<void>;
}

export async function startStandIns(config: MicroMomentsConfig): Promise<StandIns> {
  const byChannel = new Map<Channel, LocalStandIn>();
  const secrets: Partial<Record<SecretName, string>> = {};
  const secret = (name: SecretName) => (secrets[name] ??= randomBytes(32).toString('hex'));
  const stop = async () => {
    await Promise.all([...byChannel.values()].map((s) => s.stop()));
  };
  try {
    const channels: MicroMomentsConfig['channels'] = { ...config.channels };
    for (const [channel, settings] of Object.entries(config.channels) as [Channel, ChannelSettings | undefined][]) {
      if (!settings?.enabled) continue;
      const factory = LOCAL_STAND_INS[settings.kind] as unknown as LocalStandInFactory<ChannelSettings>;
      const standIn = await factory.start(channel, settings, secret);
      byChannel.set(channel, standIn);
      channels[channel] = standIn.settings(settings);
    }
    const all = [...byChannel.values()];
    return {
      byChannel,
      config: { ...config, channels },
      adapters: Object.fromEntries(all.flatMap((s) => (s.adapter ? [[s.channel, s.adapter]] : []))),
      secrets,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export type { LocalStandIn, LocalStandInFactory } from './stand-in';
export { SnsRecorder } from './recorder';
export { WebhookReceiver } from './webhook';
