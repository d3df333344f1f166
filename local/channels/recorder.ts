/**
 * The sns kind's stand-in (push, SMS): what the topic's subscriber would get, kept in memory.
 * It asks the send guard once, as SnsChannel does before its one Publish.
 */
import type { SnsChannelSettings } from '../../shared/channels';
import type { Channel } from '../../shared/contracts/channel-names';
import type { ChannelAdapter, ChannelResult, NotificationMessage, Recipient, SendGuard } from '../../shared/notify/channel';
import type { LocalStandIn, LocalStandInFactory } from './stand-in';

export class SnsRecorder implements ChannelAdapter, LocalStandIn<SnsChannelSettings> {
  readonly messages: (NotificationMessage & { hasExternalId: boolean })[] = [];
  readonly label = 'SNS recorder';
  constructor(readonly channel: Channel) {}
  get received(): readonly NotificationMessage[] {
    return this.messages;
  }
  get adapter(): ChannelAdapter {
    return this;
  }
  settings(configured: SnsChannelSettings): SnsChannelSettings {
    return configured;
  }
  counts() {
    return { received: this.messages.length };
  }
  async stop(): Promise<void> {}
  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    const stop = await guard?.(1);
    if (stop) return { status: 'withdrawn', attempts: 0, reason: stop };
    this.messages.push({ ...message, hasExternalId: recipient.externalId !== undefined });
    return { status: 'delivered', attempts: 1, providerMessageId: `local-${this.messages.length}` };
  }
}

export const snsStandIn: LocalStandInFactory<SnsChannelSettings> = {
  start: async (channel) => new SnsRecorder(channel),
};
