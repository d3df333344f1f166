/**
 * The webhook channel against a real HTTP server on 127.0.0.1 (port 0): the receiver can verify
 * the signature with the shared secret; 503 is retried then succeeds; 400 is not retried; a
 * receiver slower than the timeout is abandoned and retried, then reported unavailable.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelUnavailableError, type NotificationMessage } from '../../shared/notify/channel';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookDelivery, verifyWebhookSignature, WebhookChannel } from '../../shared/notify/webhook-channel';

const SECRET = 'webhook-test-secret-0123456789';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let url: string;
let received: Received[] = [];
let respond: (n: number, res: ServerResponse) => void = (_n, res) => res.writeHead(204).end();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(received.length, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  respond = (_n, res) => res.writeHead(204).end();
});

const message: NotificationMessage = {
  version: 1,
  notificationId: '0123456789abcdef0123456789abcdef',
  momentId: 'fedcba9876543210fedcba9876543210',
  customerKey: 'a'.repeat(64),
  channel: 'webhook',
  intent: 'buy',
  templateId: 'buy-cart',
  title: 'Your cart is waiting',
  body: 'Your cart is saved.',
  decidedAt: '2026-11-24T14:00:00.000Z',
};

const channel = (timeoutMs = 2000, maxAttempts = 3) =>
  new WebhookChannel({ settings: { endpoint: url, timeoutMs, maxAttempts }, secret: async () => SECRET, backoff: { baseDelayMs: 5, maxDelayMs: 20 } });

describe('webhook channel', () => {
  it('delivers a body the receiver can verify with the secret, and nobody can without it', async () => {
    const result = await channel().send(message, { customerKey: message.customerKey, externalId: 'brand-42' });
    expect(result).toEqual({ status: 'delivered', attempts: 1 });
    expect(received).toHaveLength(1);
    const r = received[0];
    const timestamp = r.headers[TIMESTAMP_HEADER] as string;
    const signature = r.headers[SIGNATURE_HEADER] as string;
    const notificationId = r.headers[NOTIFICATION_ID_HEADER] as string;
    expect(signature).toMatch(/^v2=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: SECRET, body: r.body, timestamp, notificationId, signature })).toBe(true);
    expect(verifyWebhookSignature({ secret: 'wrong-secret', body: r.body, timestamp, notificationId, signature })).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, body: r.body.replace('buy-cart', 'buy-xxxx'), timestamp, notificationId, signature })).toBe(false);
    // The notification id header is signed: another one does not verify.
    expect(verifyWebhookSignature({ secret: SECRET, body: r.body, timestamp, notificationId: 'f'.repeat(32), signature })).toBe(false);
    // A replay long after is refused.
    expect(verifyWebhookSignature({ secret: SECRET, body: r.body, timestamp, notificationId, signature, now: new Date(Date.now() + 3600_000) })).toBe(false);
    const delivery = verifyWebhookDelivery({ secret: SECRET, body: r.body, header: (n) => r.headers[n] });
    expect(delivery).toMatchObject({ ok: true, notificationId: message.notificationId });
    expect(JSON.parse(r.body)).toMatchObject({ notificationId: message.notificationId, externalId: 'brand-42', title: 'Your cart is waiting' });
    expect(r.headers['x-mm-notification-id']).toBe(message.notificationId);
  });

  it('retries on 503 and succeeds', async () => {
    respond = (n, res) => res.writeHead(n < 3 ? 503 : 200).end('ok');
    const result = await channel().send(message, { customerKey: message.customerKey });
    expect(result).toEqual({ status: 'delivered', attempts: 3 });
    expect(received).toHaveLength(3);
    // Each attempt is signed afresh and verifiable.
    for (const r of received) {
      expect(verifyWebhookDelivery({ secret: SECRET, body: r.body, header: (n) => r.headers[n] })).toMatchObject({ ok: true, notificationId: message.notificationId });
    }
  });

  it('retries on 429 and gives up after maxAttempts with ChannelUnavailableError', async () => {
    respond = (_n, res) => res.writeHead(429).end();
    await expect(channel(2000, 2).send(message, { customerKey: message.customerKey })).rejects.toBeInstanceOf(ChannelUnavailableError);
    expect(received).toHaveLength(2);
  });

  it('does not retry a 400: the notification is rejected', async () => {
    respond = (_n, res) => res.writeHead(400).end('bad');
    const result = await channel().send(message, { customerKey: message.customerKey });
    expect(result).toEqual({ status: 'rejected', attempts: 1, detail: 'HTTP 400' });
    expect(received).toHaveLength(1);
  });

  it('abandons a receiver slower than the timeout, retries, and reports the timeout', async () => {
    respond = () => undefined; // never answers
    const err = await channel(150, 2).send(message, { customerKey: message.customerKey }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelUnavailableError);
    expect((err as Error).message).toContain('timeout after 150 ms');
    expect(received).toHaveLength(2);
  });

  it('a timeout followed by a quick answer is delivered', async () => {
    respond = (n, res) => {
      if (n > 1) res.writeHead(202).end();
    };
    expect(await channel(150, 3).send(message, { customerKey: message.customerKey })).toEqual({ status: 'delivered', attempts: 2 });
  });
});
