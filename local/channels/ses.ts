/**
 * The ses kind's stand-in (email): the real SesChannel, its SendEmail requests recorded instead of
 * sent, so local mode runs the same relay addressing, content and refusals as AWS. A customer
 * with no external id usable as a relay address is counted (`noRelayAddress`), never printed.
 */
import type { SendEmailCommand, SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { SesChannel } from '../../shared/adapters/ses-channel';
import type { SesChannelSettings } from '../../shared/channels';
import type { Channel } from '../../shared/contracts/channel-names';
import type { ChannelAdapter, ChannelResult, NotificationMessage, Recipient, SendGuard } from '../../shared/notify/channel';
import type { LocalStandIn, LocalStandInFactory } from './stand-in';

export type RecordedEmail = NotificationMessage & { email: SendEmailCommandInput };

export class SesRecorder implements ChannelAdapter, LocalStandIn<SesChannelSettings> {
  readonly label = 'SES recorder';
  readonly received: RecordedEmail[] = [];
  private noRelayAddress = 0;
  private readonly ses: SesChannel;
  /** Requests by the notificationId they carry: sends run concurrently, so each finds its own. */
  private readonly requests = new Map<string, SendEmailCommandInput>();

  constructor(readonly channel: Channel, settings: SesChannelSettings) {
    const record = async (command: SendEmailCommand) => {
      const id = command.input.EmailTags?.find((t) => t.Name === 'notificationId')?.Value ?? '';
      this.requests.set(id, command.input);
      return { MessageId: `local-${this.received.length + 1}` };
    };
    this.ses = new SesChannel({ channel, ses: { send: record }, settings, configurationSet: `local-${channel}` });
  }
  get adapter(): ChannelAdapter {
    return this;
  }
  settings(configured: SesChannelSettings): SesChannelSettings {
    return configured;
  }
  counts() {
    return { received: this.received.length, noRelayAddress: this.noRelayAddress };
  }
  async stop(): Promise<void> {}
  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    const result = await this.ses.send(message, recipient, guard);
    const request = this.requests.get(message.notificationId);
    this.requests.delete(message.notificationId);
    if (result.status === 'delivered' && request) this.received.push({ ...message, email: request });
    if (result.status === 'rejected' && result.attempts === 0) this.noRelayAddress++;
    return result;
  }
}

export const sesStandIn: LocalStandInFactory<SesChannelSettings> = {
  start: async (channel, settings) => new SesRecorder(channel, settings),
};
