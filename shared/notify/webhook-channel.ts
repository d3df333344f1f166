/**
 * The webhook channel: an HTTPS POST of the rendered notification as JSON to the configured
 * endpoint, signed so the receiver knows it came from us, unaltered, and can drop a replay.
 *
 * Signature v2 covers everything a receiver uses: `x-mm-signature: v2=<hex HMAC-SHA256(secret,
 * timestamp + "." + notificationId + "." + body)>` with `x-mm-timestamp: <unix seconds>` and
 * `x-mm-notification-id: <notificationId>`, the same id the body carries. A receiver verifies it
 * over the raw body (verifyWebhookDelivery below), refuses timestamps outside a tolerance, and
 * de-duplicates on the notificationId that verification returns: a delivery replayed with a new
 * timestamp or notification id no longer verifies, and one replayed as it was is a duplicate.
 * (v1 signed timestamp and body only, and receivers de-duplicated on an unsigned header.)
 *
 * Delivery: a timeout per attempt (AbortController); retries with exponential backoff and full
 * jitter on 5xx, 429, network errors and timeouts, up to `maxAttempts`, each one only after the
 * caller's guard allowed it (consent read again); any other 4xx (and a
 * redirect, which is never followed: the signed body must go to the configured host only) is a
 * rejection, not retried. Every attempt carries the same notificationId.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookChannelSettings } from '../config/types';
import { backoffDelay, sleep as defaultSleep } from '../adapters/retry';
import { ChannelUnavailableError, type ChannelAdapter, type ChannelResult, type NotificationMessage, type Recipient, type SendGuard } from './channel';

export const SIGNATURE_HEADER = 'x-mm-signature';
export const TIMESTAMP_HEADER = 'x-mm-timestamp';
export const NOTIFICATION_ID_HEADER = 'x-mm-notification-id';
export const SIGNATURE_VERSION = 'v2';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The signature header's value for one delivery. */
export function signWebhook(secret: string, timestamp: string, notificationId: string, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${notificationId}.${body}`, 'utf8').digest('hex');
  return `${SIGNATURE_VERSION}=${mac}`;
}

export interface VerifyInput {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string;
  timestamp: string | undefined;
  notificationId: string | undefined;
  signature: string | undefined;
  /** Refuse deliveries older (or newer) than this; default 300 s. */
  toleranceSeconds?: number;
  now?: Date;
}

const NOTIFICATION_ID = /^[0-9a-f]{32}$/;

/** For receivers: true when the signature is ours over this timestamp, notification id and body, and the timestamp is fresh. */
export function verifyWebhookSignature(input: VerifyInput): boolean {
  const { secret, body, timestamp, notificationId, signature } = input;
  if (!timestamp || !signature || !notificationId || !/^\d{1,12}$/.test(timestamp) || !NOTIFICATION_ID.test(notificationId)) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, notificationId, body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type HeaderLookup = (name: string) => string | string[] | undefined;

export type VerifiedDelivery =
  | { ok: true; notificationId: string; timestamp: number; payload: WebhookPayload }
  | { ok: false; reason: 'missing-header' | 'bad-signature' | 'id-mismatch' | 'bad-body' };

/**
 * Everything a receiver needs, in one call: the headers (each exactly once), the signature over
 * them and the raw body, and the body's notificationId equal to the signed one. De-duplicate on
 * the returned `notificationId`, for at least the tolerance window (older deliveries are refused).
 */
export function verifyWebhookDelivery(input: {
  secret: string;
  body: string;
  header: HeaderLookup;
  toleranceSeconds?: number;
  now?: Date;
}): VerifiedDelivery {
  const single = (name: string): string | undefined => {
    const v = input.header(name);
    return typeof v === 'string' ? v : undefined; // absent, or repeated: refused
  };
  const timestamp = single(TIMESTAMP_HEADER);
  const notificationId = single(NOTIFICATION_ID_HEADER);
  const signature = single(SIGNATURE_HEADER);
  if (!timestamp || !notificationId || !signature) return { ok: false, reason: 'missing-header' };
  const verified = verifyWebhookSignature({
    secret: input.secret,
    body: input.body,
    timestamp,
    notificationId,
    signature,
    ...(input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
  if (!verified) return { ok: false, reason: 'bad-signature' };
  let payload: WebhookPayload;
  try {
    payload = JSON.parse(input.body) as WebhookPayload;
  } catch {
    return { ok: false, reason: 'bad-body' };
  }
  if (payload?.notificationId !== notificationId) return { ok: false, reason: 'id-mismatch' };
  return { ok: true, notificationId, timestamp: Number(timestamp), payload };
}

/** What the receiver gets. */
export interface WebhookPayload extends NotificationMessage {
  externalId?: string;
  sentAt: string;
}

export interface WebhookChannelOptions {
  settings: Pick<WebhookChannelSettings, 'endpoint' | 'timeoutMs' | 'maxAttempts'>;
  /** The signing secret (Secrets Manager in AWS, cached by the SecretSource). */
  secret: () => Promise<string>;
  fetch?: typeof fetch;
  /** Backoff base and cap between attempts (ms). */
  backoff?: { baseDelayMs: number; maxDelayMs: number };
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

const isRetryableStatus = (status: number) => status >= 500 || status === 429;

export class WebhookChannel implements ChannelAdapter {
  readonly channel = 'webhook' as const;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(private readonly opts: WebhookChannelOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? defaultSleep;
    this.now = opts.now ?? (() => new Date());
  }

  async send(message: NotificationMessage, recipient: Recipient, guard?: SendGuard): Promise<ChannelResult> {
    const secret = await this.opts.secret();
    const { endpoint, timeoutMs, maxAttempts } = this.opts.settings;
    const backoff = { maxAttempts, baseDelayMs: this.opts.backoff?.baseDelayMs ?? 200, maxDelayMs: this.opts.backoff?.maxDelayMs ?? 2000 };
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await this.sleep(backoffDelay(attempt - 1, backoff));
      // Consent is asked again right before each attempt: a revocation during the backoff stops the next one.
      const stop = await guard?.(attempt);
      if (stop) return { status: 'withdrawn', attempts: attempt - 1, reason: stop };
      // Signed per attempt: a fresh timestamp, so a slow retry is not refused as stale.
      const now = this.now();
      const payload: WebhookPayload = {
        ...message,
        ...(recipient.externalId !== undefined ? { externalId: recipient.externalId } : {}),
        sentAt: now.toISOString(),
      };
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await this.fetchFn(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhook(secret, timestamp, message.notificationId, body),
            [NOTIFICATION_ID_HEADER]: message.notificationId,
          },
          body,
          redirect: 'manual',
          signal: controller.signal,
        });
        // The body is not needed; reading it frees the socket.
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return { status: 'delivered', attempts: attempt };
        if (!isRetryableStatus(res.status)) return { status: 'rejected', attempts: attempt, detail: `HTTP ${res.status}` };
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        lastError = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : `network error: ${(err as Error).name}`;
      } finally {
        clearTimeout(timer);
      }
    }
    throw new ChannelUnavailableError('webhook', maxAttempts, lastError);
  }
}
