import {
  validateCustomerErased,
  validateEnrichedSignal,
  validateMomentDetected,
  validateNotificationSent,
  validateNotificationSuppressed,
} from '../../../shared/contracts';
import type { EnrichedSignal, MomentDetectedDetail } from '../../../shared/contracts';

const key = 'a'.repeat(64);
const id = 'b'.repeat(32);

export const sampleEnriched: EnrichedSignal = {
  version: 1,
  messageId: 'm-1',
  customerKey: key,
  identity: 'user',
  type: 'track',
  event: 'Products Searched',
  timestamp: '2026-11-23T08:00:00.000Z',
  enrichedAt: '2026-11-23T08:00:00.120Z',
  features: { query: 'coffee near me' },
  context: { timezone: 'Europe/London', localTime: '2026-11-23T08:00', localHour: 8, weekday: 1, weekend: false, daypart: 'morning', deviceClass: 'mobile', area: 'gcpvj0', nearestLocation: { id: 'lon-soho', name: 'Soho store', distanceMeters: 420, open: true } },
  consent: { personalization: true, channels: ['push'], locationOffers: false },
  consumerInitiated: true,
  configVersion: 'scoring-2026.11-1',
};

const moment: MomentDetectedDetail = {
  version: 1,
  momentId: id,
  customerKey: key,
  intent: 'go',
  score: 0.65,
  threshold: 0.6,
  reasons: [{ kind: 'lexicon', feature: 'near me', messageId: 'm-1', weight: 0.8, contribution: 0.8 }],
  trigger: { messageId: 'm-1', event: 'Products Searched', time: '2026-11-23T08:00:00.000Z' },
  context: { localTime: '2026-11-23T08:00', daypart: 'morning', timezone: 'Europe/London', weekend: false, device: 'mobile' },
  consent: { channels: ['push'], locationOffers: false },
  consumerInitiated: true,
  detectedAt: '2026-11-23T08:00:00.300Z',
  scoringVersion: 'scoring-2026.11-1',
};

describe('EnrichedSignal contract', () => {
  test('a complete record is valid', () => expect(validateEnrichedSignal(sampleEnriched).ok).toBe(true));
  test('a raw identifier field is refused', () => {
    expect(validateEnrichedSignal({ ...sampleEnriched, userId: 'u-1' })).toEqual({ ok: false, error: 'EnrichedSignal.userId: is not allowed (additionalProperties)' });
  });
  test('precise area is refused: at most 6 geohash characters', () => {
    const r = validateEnrichedSignal({ ...sampleEnriched, context: { ...sampleEnriched.context, area: 'gcpvj0e5' } });
    expect(r).toEqual({ ok: false, error: 'EnrichedSignal.context.area: must match pattern "^[0-9b-hjkmnp-z]{1,6}$" (pattern)' });
  });
  test('personalization consent must be true', () => {
    const r = validateEnrichedSignal({ ...sampleEnriched, consent: { ...sampleEnriched.consent, personalization: false } });
    expect(r).toEqual({ ok: false, error: 'EnrichedSignal.consent.personalization: must be equal to constant (const)' });
  });
});

describe('Moment Detected contract', () => {
  test('a complete detail is valid', () => expect(validateMomentDetected(moment).ok).toBe(true));
  test('a score of 1 or more is refused', () => {
    expect(validateMomentDetected({ ...moment, score: 1.2 })).toEqual({ ok: false, error: 'MomentDetected.score: must be <= 1 (maximum)' });
  });
  test('an unknown intent is refused', () => {
    expect(validateMomentDetected({ ...moment, intent: 'pregnancy' })).toEqual({
      ok: false,
      error: 'MomentDetected.intent: must be one of ["know","go","do","buy","life-event"] (enum)',
    });
  });
  test('a raw user id is refused', () => {
    expect(validateMomentDetected({ ...moment, userId: 'u-1' })).toEqual({ ok: false, error: 'MomentDetected.userId: is not allowed (additionalProperties)' });
  });
  test('the version is required', () => {
    const { version: _v, ...rest } = moment;
    expect(validateMomentDetected(rest)).toEqual({ ok: false, error: 'MomentDetected.version: is required (required)' });
  });
});

describe('Notification and erasure contracts', () => {
  const base = { version: 1, notificationId: id, momentId: id, customerKey: key, channel: 'push', intent: 'go', decidedAt: '2026-11-23T08:00:01Z' };
  test('Notification Sent', () => {
    expect(validateNotificationSent({ ...base, outcome: 'sent', templateId: 'go-near-store' }).ok).toBe(true);
    expect(validateNotificationSent({ ...base, outcome: 'sent' })).toEqual({ ok: false, error: 'NotificationSent.templateId: is required (required)' });
  });
  test('Notification Suppressed names a known guardrail', () => {
    expect(validateNotificationSuppressed({ ...base, outcome: 'suppressed', reason: 'QUIET_HOURS' }).ok).toBe(true);
    const r = validateNotificationSuppressed({ ...base, outcome: 'suppressed', reason: 'BECAUSE' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^NotificationSuppressed\.reason: must be one of \[.*"QUIET_HOURS".*\] \(enum\)$/);
  });
  test('Customer Erased', () => {
    const detail = { version: 1, customerKey: key, requestId: 'r-1', erasedAt: '2026-11-23T08:00:00Z', itemsDeleted: 12 };
    expect(validateCustomerErased(detail).ok).toBe(true);
    expect(validateCustomerErased({ ...detail, itemsDeleted: -1 })).toEqual({ ok: false, error: 'CustomerErased.itemsDeleted: must be >= 0 (minimum)' });
  });
});
