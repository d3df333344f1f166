/**
 * The webhook kind: an HTTPS POST of the notification, signed with a key from Secrets Manager
 * (shared/notify/webhook-channel.ts). Construct part: infra/constructs/channels/webhook.ts; local
 * stand-in: a receiver on loopback that verifies signatures (local/channels/webhook.ts).
 */
import { fail, int, str } from '../config/checks';
import type { ChannelDescriptor } from './descriptor';

export interface WebhookChannelSettings {
  kind: 'webhook';
  enabled: boolean;
  /** HTTPS endpoint (http only for loopback in local mode). */
  endpoint: string;
  timeoutMs: number;
  maxAttempts: number;
}

/** Hosts reserved for documentation (RFC 2606): the shipped example endpoint, never a receiver. */
export function isExampleEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.toLowerCase();
  return ['example.com', 'example.net', 'example.org'].some((d) => host === d || host.endsWith(`.${d}`));
}

export const webhookKind: ChannelDescriptor<WebhookChannelSettings> = {
  kind: 'webhook',
  summary: 'signed HTTPS POST',
  keys: ['endpoint', 'timeoutMs', 'maxAttempts'],
  validate(settings, f) {
    const endpoint = str(settings.endpoint, `${f}.endpoint`);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      fail(`${f}.endpoint`, 'must be an absolute URL', endpoint);
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      fail(`${f}.endpoint`, 'must be https (http is allowed for loopback only, in local mode)', endpoint);
    }
    int(settings.timeoutMs, `${f}.timeoutMs`, 100, 30_000);
    int(settings.maxAttempts, `${f}.maxAttempts`, 1, 10);
  },
  // The shipped example endpoint would send every webhook to a domain reserved for documentation.
  validateDeployment(settings, f, config) {
    if (settings.enabled && isExampleEndpoint(settings.endpoint)) {
      fail(
        `${f}.endpoint`,
        `is the example endpoint, and stage "${config.stage}" is not in devStages: name your receiver's HTTPS URL (or set ${f}.enabled to false)`,
        settings.endpoint,
      );
    }
  },
  secrets: ['webhook'],
  env: {},
};
