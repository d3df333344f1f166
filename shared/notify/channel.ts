/**
 * The channel port. A channel adapter delivers one rendered notification to one recipient; a new
 * channel is a new file implementing ChannelAdapter (webhook-channel.ts here, shared/adapters/sns-channel.ts).
 *
 * Outcomes: `delivered`; `rejected` when the channel refused this notification for good (a 4xx
 * other than 429: retrying cannot help, the decision is recorded as CHANNEL_REJECTED); `withdrawn`
 * when the guard, asked before every attempt, said stop (consent revoked, customer erased); and a
 * thrown ChannelUnavailableError when the channel could not be reached after the adapter's own
 * retries, so that the event is retried later as a whole (and lands in the dead-letter queue in
 * the end): a moment is never dropped because a receiver was briefly down.
 */
import type { Channel, MomentIntent } from '../contracts/enriched';

export interface NotificationMessage {
  version: 1;
  /** Deterministic from moment id and channel: receivers use it to drop a repeated delivery. */
  notificationId: string;
  momentId: string;
  customerKey: string;
  channel: Channel;
  intent: MomentIntent;
  templateId: string;
  title: string;
  body: string;
  decidedAt: string;
}

/**
 * Who receives it. `externalId` is the brand's own id from the PROFILE, needed to deliver; it is
 * handed to the channel only, never logged, published or put in a metric.
 */
export interface Recipient {
  customerKey: string;
  externalId?: string;
}

/** Why a send stopped before an attempt: consent withdrawn, or the customer erased, since the decision. */
export type WithdrawnReason = 'NO_CHANNEL_CONSENT' | 'erased';

export type ChannelResult =
  | { status: 'delivered'; attempts: number; providerMessageId?: string }
  | { status: 'rejected'; attempts: number; detail: string }
  /** Stopped by the guard before attempt `attempts + 1`: nothing more was sent. */
  | { status: 'withdrawn'; attempts: number; reason: WithdrawnReason };

/**
 * Asked before every attempt, retries included (a retry can come seconds after the decision):
 * undefined to go on, or why to stop. notify re-reads consent and the tombstone here.
 */
export type SendGuard = (attempt: number) => Promise<WithdrawnReason | undefined>;

export interface ChannelAdapter {
  readonly channel: Channel;
  send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult>;
}

/** The channel could not take the notification after retries; the caller retries the event. */
export class ChannelUnavailableError extends Error {
  constructor(
    readonly channel: Channel,
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`${channel}: not delivered after ${attempts} attempt(s): ${lastError}`);
    this.name = 'ChannelUnavailableError';
  }
}
