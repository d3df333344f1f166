/**
 * Email through Amazon SES v2: one SendEmail per notification, from the configured address, to
 * the recipient's relay address (shared/channels/ses.ts says why), through the stack's
 * configuration set. Subject and text are the rendered template's title and body; the header
 * `X-MM-Notification-Id` and the tags (channel, intent, notificationId, none an identifier) let the
 * brand's relay drop a repeated delivery and its event destinations count by intent.
 *
 * Consent is asked once, right before the call (the SDK's own retries resend the same request).
 * Outcomes: MessageRejected and BadRequestException refuse this message for good (rejected, the
 * decision is CHANNEL_REJECTED); anything else (throttling after the SDK's retries, a paused or
 * suspended account, a missing configuration set) throws, so the event is retried and in the end
 * kept in the function's failure queue. Neither the address nor the external id is put in an
 * error message: those end up in log lines.
 */
import { SendEmailCommand, SESv2Client, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { relayAddress, SES_CONFIGURATION_SET_ENV, type SesChannelSettings } from '../channels/ses';
import type { Channel } from '../contracts/channel-names';
import { ChannelUnavailableError, type ChannelAdapter, type ChannelResult, type NotificationMessage, type Recipient, type SendGuard } from '../notify/channel';
import type { AwsClients } from './aws-clients';
import type { AdapterContext } from './channel-adapters';
import type { RequestCounter } from './request-counter';

export const NOTIFICATION_ID_HEADER = 'X-MM-Notification-Id';

/** What the adapter needs of an SES client: SendEmail (a stand-in records it). */
export interface EmailSender {
  send(command: SendEmailCommand): Promise<Pick<SendEmailCommandOutput, 'MessageId'>>;
}

/** The runtime's SES v2 client (built on first use, like the others). */
export const sesClient = (clients: AwsClients): EmailSender => clients.of('sesv2', (config) => new SESv2Client(config));

export interface SesChannelOptions {
  channel: Channel;
  ses: EmailSender;
  settings: Pick<SesChannelSettings, 'fromAddress' | 'identityArn' | 'relayDomain'>;
  configurationSet: string;
  counter?: RequestCounter;
}

/** Errors that refuse this one message; any other is the channel being unavailable. */
const REFUSED = new Set(['MessageRejected', 'BadRequestException']);

export class SesChannel implements ChannelAdapter {
  readonly channel: Channel;
  constructor(private readonly opts: SesChannelOptions) {
    this.channel = opts.channel;
  }

  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    const stop = await guard?.(1);
    if (stop) return { status: 'withdrawn', attempts: 0, reason: stop };
    const { fromAddress, identityArn, relayDomain } = this.opts.settings;
    const to = relayAddress(recipient.externalId, relayDomain);
    if (!to) return { status: 'rejected', attempts: 0, detail: 'no external id usable as a relay address' };
    this.opts.counter?.add('ses.SendEmail');
    try {
      const res = await this.opts.ses.send(
        new SendEmailCommand({
          FromEmailAddress: fromAddress,
          ...(identityArn ? { FromEmailAddressIdentityArn: identityArn } : {}),
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: message.title, Charset: 'UTF-8' },
              Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
              Headers: [{ Name: NOTIFICATION_ID_HEADER, Value: message.notificationId }],
            },
          },
          ConfigurationSetName: this.opts.configurationSet,
          EmailTags: [
            { Name: 'channel', Value: message.channel },
            { Name: 'intent', Value: message.intent },
            { Name: 'notificationId', Value: message.notificationId },
          ],
        }),
      );
      return { status: 'delivered', attempts: 1, ...(res.MessageId ? { providerMessageId: res.MessageId } : {}) };
    } catch (err) {
      const e = err as Error;
      if (REFUSED.has(e.name)) return { status: 'rejected', attempts: 1, detail: e.name };
      throw new ChannelUnavailableError(this.channel, 1, e.name);
    }
  }
}

/** The ses kind's adapter on the runtime's SES v2 client and the configuration set its construct part named. */
export function sesChannelFor({ channel, settings, runtime, resource }: AdapterContext<SesChannelSettings>): SesChannel {
  return new SesChannel({ channel, ses: sesClient(runtime.clients), settings, configurationSet: resource(SES_CONFIGURATION_SET_ENV), counter: runtime.counter });
}
