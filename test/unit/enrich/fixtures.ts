/** Builders shared by the enrich unit, property and handler tests. */
import { defaultConfig } from '../../../shared/config/defaults';
import { customerKeyOf, messageDigestOf } from '../../../shared/enrich/pseudonymise';
import type { EnrichInput } from '../../../shared/enrich/pipeline';

export const NOW = new Date('2026-11-23T08:00:00.000Z'); // a Monday
export const PEPPER = 'test-pepper';
export const config = defaultConfig;

export const CONSENT_ALL = {
  categoryPreferences: { personalization: true, push: true, email: false, sms: true, webhook: true, locationOffers: true },
};

let seq = 0;
export type Json = Record<string, unknown>;

export function signal(overrides: Json = {}): Json {
  seq++;
  return {
    type: 'track',
    event: 'Products Searched',
    messageId: `m-${seq}`,
    timestamp: '2026-11-23T07:59:00.000Z',
    userId: 'user-42',
    properties: { query: 'coffee near me' },
    context: { timezone: 'Europe/London', device: { type: 'ios' }, consent: CONSENT_ALL },
    ...overrides,
  };
}

let n = 1000;
export function input(value: Json | string | Uint8Array, extra: Partial<EnrichInput> = {}): EnrichInput {
  n++;
  const data = value instanceof Uint8Array ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { data, sequenceNumber: String(n).padStart(20, '0'), shardId: 'shardId-000000000000', partitionKey: 'pk', stream: 'signals', arrivedAtMs: NOW.getTime(), ...extra };
}

/** The customer key enrich derives for a user id (or, with `anonymous`, an anonymous id). */
export const keyOf = (id: string, identity: 'user' | 'anonymous' = 'user'): string => customerKeyOf(PEPPER, identity, id);
/** What the enriched record and the logs carry for a messageId. */
export const digestOf = (messageId: string): string => messageDigestOf(PEPPER, messageId);
