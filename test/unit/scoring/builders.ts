/** Builders of enriched signals for the scoring tests: sensible defaults, override what matters. */
import type { EnrichedContext, EnrichedSignal } from '../../../shared/contracts/enriched';

export const KEY = 'a'.repeat(64);
export const OTHER_KEY = 'b'.repeat(64);

let seq = 0;
export const nextId = (): string => `msg-${String(++seq).padStart(6, '0')}`;

export interface SignalOverrides extends Partial<Omit<EnrichedSignal, 'context' | 'features'>> {
  context?: Partial<EnrichedContext>;
  features?: EnrichedSignal['features'];
}

export function enriched(o: SignalOverrides = {}): EnrichedSignal {
  const timestamp = o.timestamp ?? '2026-11-23T08:00:00.000Z';
  return {
    version: 1,
    messageId: o.messageId ?? nextId(),
    customerKey: o.customerKey ?? KEY,
    identity: o.identity ?? 'user',
    type: o.type ?? 'track',
    event: o.event ?? 'Page Viewed',
    timestamp,
    enrichedAt: o.enrichedAt ?? timestamp,
    features: o.features ?? {},
    context: {
      timezone: 'Europe/London',
      localTime: '2026-11-23T08:00',
      localHour: 8,
      weekday: 1,
      weekend: false,
      daypart: 'morning',
      deviceClass: 'desktop',
      ...o.context,
    },
    consent: o.consent ?? { personalization: true, channels: ['push', 'webhook'], locationOffers: false },
    consumerInitiated: o.consumerInitiated ?? true,
    configVersion: o.configVersion ?? 'test',
  };
}

/** ISO time `minutes` after the base time of the builders. */
export const at = (minutes: number): string => new Date(Date.parse('2026-11-23T08:00:00.000Z') + minutes * 60_000).toISOString();
