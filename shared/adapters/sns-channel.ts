/**
 * Push and SMS through an SNS topic: one Publish per notification. The subscribers of the topic
 * (a mobile push platform application, an SMS sender, a brand's delivery service) pick it up and
 * filter on the message attributes `channel`, `intent` and `momentId`, which carry no identifier.
 * The recipient's external id travels in the message body only, on a topic encrypted with the CMK.
 * Throttling and 5xx are retried by the SDK; what still fails throws, so the event is retried
 * and in the end kept in the function's failure queue.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { RequestCounter } from './request-counter';
import type { Channel } from '../contracts/enriched';
import { ChannelUnavailableError, type ChannelAdapter, type ChannelResult, type NotificationMessage, type Recipient, type SendGuard } from '../notify/channel';

export interface SnsChannelOptions {
  channel: Channel;
  sns: SNSClient;
  topicArn: string;
  counter?: RequestCounter;
  now?: () => Date;
}

export class SnsChannel implements ChannelAdapter {
  readonly channel: Channel;
  constructor(private readonly opts: SnsChannelOptions) {
    this.channel = opts.channel;
  }

  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    // One Publish (the SDK's retries resend the same request): consent is asked once, right before it.
    const stop = await guard?.(1);
    if (stop) return { status: 'withdrawn', attempts: 0, reason: stop };
    const body = {
      ...message,
      ...(recipient.externalId !== undefined ? { externalId: recipient.externalId } : {}),
      sentAt: (this.opts.now?.() ?? new Date()).toISOString(),
    };
    this.opts.counter?.add('sns.Publish');
    try {
      const res = await this.opts.sns.send(
        new PublishCommand({
          TopicArn: this.opts.topicArn,
          Message: JSON.stringify(body),
          MessageAttributes: {
            channel: { DataType: 'String', StringValue: message.channel },
            intent: { DataType: 'String', StringValue: message.intent },
            momentId: { DataType: 'String', StringValue: message.momentId },
          },
        }),
      );
      return { status: 'delivered', attempts: 1, ...(res.MessageId ? { providerMessageId: res.MessageId } : {}) };
    } catch (err) {
      throw new ChannelUnavailableError(this.channel, 1, `${(err as Error).name}: ${(err as Error).message}`);
    }
  }
}
