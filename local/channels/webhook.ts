/**
 * The webhook kind's stand-in. The notify function sends through the real WebhookChannel (HTTP,
 * signed) to a receiver on loopback that does what docs/SUBSCRIBERS.md asks of a brand's endpoint:
 * verify the signature over timestamp, notification id and raw body (verifyWebhookDelivery), then
 * de-duplicate on the notificationId that verification returned, never on an unsigned header.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookChannelSettings } from '../../shared/channels';
import type { Channel } from '../../shared/contracts/channel-names';
import { verifyWebhookDelivery, type WebhookPayload } from '../../shared/notify/webhook-channel';
import type { LocalStandIn, LocalStandInFactory } from './stand-in';

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

/** A receiver with a signing key of its own, as the webhook channel's stand-in. */
class WebhookStandIn implements LocalStandIn<WebhookChannelSettings> {
  readonly label = 'webhook receiver';
  constructor(
    readonly channel: Channel,
    readonly receiver: WebhookReceiver,
  ) {}
  get received(): readonly WebhookPayload[] {
    return this.receiver.received;
  }
  get url(): string {
    return this.receiver.url;
  }
  settings(configured: WebhookChannelSettings): WebhookChannelSettings {
    return { ...configured, endpoint: this.receiver.url };
  }
  counts() {
    return { received: this.receiver.received.length, badSignatures: this.receiver.rejected, duplicates: this.receiver.duplicates };
  }
  stop(): Promise<void> {
    return this.receiver.stop();
  }
}

export const webhookStandIn: LocalStandInFactory<WebhookChannelSettings> = {
  async start(channel, _settings, secret) {
    const receiver = new WebhookReceiver(secret('webhook'));
    await receiver.start();
    return new WebhookStandIn(channel, receiver);
  },
};
