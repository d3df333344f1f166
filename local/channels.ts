/**
 * Local channels. The webhook goes through the real WebhookChannel (HTTP, signed) to a receiver
 * on loopback that does what docs/SUBSCRIBERS.md asks of a brand's endpoint: verify the signature
 * over timestamp, notification id and raw body (verifyWebhookDelivery), then de-duplicate on the
 * notificationId that verification returned, never on an unsigned header; push and SMS, which go
 * through SNS in AWS, are recorded in memory. Neither prints what it receives: a notification
 * may carry the brand's external id.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Channel } from '../shared/contracts/enriched';
import type { ChannelAdapter, ChannelResult, NotificationMessage, Recipient, SendGuard } from '../shared/notify/channel';
import { verifyWebhookDelivery, type WebhookPayload } from '../shared/notify/webhook-channel';

export class WebhookReceiver {
  readonly received: WebhookPayload[] = [];
  /** Deliveries that did not verify (answered 401): a bad or missing signature, a stale timestamp, an altered header. */
  rejected = 0;
  /** Deliveries of a notification id already received (answered 200, not recorded twice). */
  duplicates = 0;
  private server?: Server;
  /**
   * Signed notification ids seen. A real receiver keeps them at least as long as its tolerance
   * (older deliveries are refused anyway); this one lives as long as the process.
   */
  private readonly seen = new Set<string>();
  url = '';

  constructor(
    private readonly secret: string,
    private readonly toleranceSeconds?: number,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const delivery =
          req.method === 'POST'
            ? verifyWebhookDelivery({ secret: this.secret, body, header: (name) => req.headers[name], ...(this.toleranceSeconds !== undefined ? { toleranceSeconds: this.toleranceSeconds } : {}) })
            : undefined;
        if (!delivery?.ok) {
          this.rejected++;
          res.writeHead(401).end();
          return;
        }
        if (this.seen.has(delivery.notificationId)) {
          this.duplicates++;
        } else {
          this.seen.add(delivery.notificationId);
          this.received.push(delivery.payload);
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/micro-moments`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Push and SMS: what an SNS topic's subscriber would get, kept in memory. */
export class SnsRecorder implements ChannelAdapter {
  readonly messages: (NotificationMessage & { hasExternalId: boolean })[] = [];
  constructor(readonly channel: Channel) {}
  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    const stop = await guard?.(1);
    if (stop) return { status: 'withdrawn', attempts: 0, reason: stop };
    this.messages.push({ ...message, hasExternalId: recipient.externalId !== undefined });
    return { status: 'delivered', attempts: 1, providerMessageId: `local-${this.messages.length}` };
  }
}
