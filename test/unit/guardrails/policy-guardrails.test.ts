import { checkChannelConsent } from '../../../shared/guardrails/consent';
import { checkConsumerInitiated } from '../../../shared/guardrails/consumer-initiated';
import { checkMomentAge } from '../../../shared/guardrails/moment-age';
import { checkQuietHours, isQuietMinute } from '../../../shared/guardrails/quiet-hours';
import { checkSensitive } from '../../../shared/guardrails/sensitive';
import { checkPolicyGuardrails } from '../../../shared/guardrails';
import { config, moment, NOW, profile } from '../../fixtures/notify';

const cfg = config();
const ctx = (o: Partial<Parameters<typeof checkPolicyGuardrails>[0]> = {}) => ({
  moment: moment(),
  channel: 'push' as const,
  profile: profile(),
  now: NOW,
  config: cfg,
  ...o,
});

describe('consent guardrail (NO_CHANNEL_CONSENT)', () => {
  it('allows when the profile read now consents to personalization and the channel', () => {
    expect(checkChannelConsent(ctx())).toEqual({ ok: true });
  });
  it('stops when the channel consent was revoked since the moment', () => {
    expect(checkChannelConsent(ctx({ profile: profile({ consent: { personalization: true, push: false, webhook: true } }) }))).toEqual({
      ok: false,
      reason: 'NO_CHANNEL_CONSENT',
    });
  });
  it('stops when personalization was revoked, whatever the channel says', () => {
    expect(checkChannelConsent(ctx({ profile: profile({ consent: { personalization: false, push: true } }) })).ok).toBe(false);
  });
  it('stops when there is no profile at all', () => {
    expect(checkChannelConsent(ctx({ profile: undefined }))).toEqual({ ok: false, reason: 'NO_CHANNEL_CONSENT' });
  });
});

describe('sensitive guardrail (SENSITIVE_CATEGORY)', () => {
  it('allows an ordinary moment and message', () => {
    expect(checkSensitive(ctx(), { title: 'Soho store is open', body: 'It is 350 m away.' })).toEqual({ ok: true });
  });
  it('stops a moment whose reasons carry a sensitive term', () => {
    const m = moment({ reasons: [{ kind: 'lexicon', feature: 'pregnancy test near me', messageId: 'x', weight: 1, contribution: 1 }] });
    expect(checkSensitive(ctx({ moment: m }))).toEqual({ ok: false, reason: 'SENSITIVE_CATEGORY' });
  });
  it('stops a moment whose content reason is a sensitive category', () => {
    const m = moment({ reasons: [{ kind: 'content', feature: 'Health/Vitamins', messageId: 'x', weight: 1, contribution: 1 }] });
    expect(checkSensitive(ctx({ moment: m })).ok).toBe(false);
  });
  it('stops a life event of a type that is not allowed, and allows an allowed one', () => {
    const refused = moment({ intent: 'life-event', lifeEventType: 'new-baby' });
    expect(checkSensitive(ctx({ moment: refused }))).toEqual({ ok: false, reason: 'SENSITIVE_CATEGORY' });
    const unknown = moment({ intent: 'life-event', lifeEventType: 'won-lottery' });
    expect(checkSensitive(ctx({ moment: unknown })).ok).toBe(false);
    const allowed = moment({ intent: 'life-event', lifeEventType: 'new-home', reasons: [] });
    expect(checkSensitive(ctx({ moment: allowed }))).toEqual({ ok: true });
  });
  it('stops a rendered message that carries a sensitive term', () => {
    expect(checkSensitive(ctx(), { title: 'Deals', body: 'Pregnancy tests on sale' }).ok).toBe(false);
    // Baby products are ordinary retail, not a special category (docs/PRIVACY.md, "The classifier").
    expect(checkSensitive(ctx(), { title: 'Deals', body: 'Diapers on sale' }).ok).toBe(true);
  });
});

describe('consumer-initiated guardrail (TRIGGER_TOO_OLD, NOT_CONSUMER_INITIATED)', () => {
  it('allows a consumer-initiated moment whose trigger is within the window', () => {
    expect(checkConsumerInitiated(ctx())).toEqual({ ok: true });
  });
  it('stops when the triggering action is older than the window', () => {
    const m = moment({ trigger: { messageId: 'x', event: 'Directions Requested', time: new Date(NOW.getTime() - 31 * 60_000).toISOString() } });
    expect(checkConsumerInitiated(ctx({ moment: m }))).toEqual({ ok: false, reason: 'TRIGGER_TOO_OLD' });
  });
  it('names a stale trigger apart from a passive one, even for a passive moment without the opt-in', () => {
    const stalePassive = moment({ consumerInitiated: false, trigger: { messageId: 'p', event: 'Location Entered', time: new Date(NOW.getTime() - 31 * 60_000).toISOString() } });
    expect(checkConsumerInitiated(ctx({ moment: stalePassive }))).toEqual({ ok: false, reason: 'TRIGGER_TOO_OLD' });
    const unparseable = moment({ trigger: { messageId: 'u', event: 'Directions Requested', time: 'yesterday' } });
    expect(checkConsumerInitiated(ctx({ moment: unparseable }))).toEqual({ ok: false, reason: 'TRIGGER_TOO_OLD' });
  });
  it('stops a passive-only moment without the location-offers opt-in, allows it with', () => {
    const passive = moment({ consumerInitiated: false, trigger: { messageId: 'g', event: 'Location Entered', time: NOW.toISOString() } });
    expect(checkConsumerInitiated(ctx({ moment: passive }))).toEqual({ ok: false, reason: 'NOT_CONSUMER_INITIATED' });
    const optedIn = profile({ consent: { ...profile().consent, locationOffers: true } });
    expect(checkConsumerInitiated(ctx({ moment: passive, profile: optedIn }))).toEqual({ ok: true });
  });
});

describe('quiet hours guardrail (QUIET_HOURS)', () => {
  it('allows at 14:00 local', () => {
    expect(checkQuietHours(ctx())).toEqual({ ok: true });
  });
  it("stops at 22:30 in the customer's time zone (profile first)", () => {
    // 14:00 UTC is 22:00 in Singapore and 09:00 in New York.
    expect(checkQuietHours(ctx({ profile: profile({ timezone: 'Asia/Singapore' }) }))).toEqual({ ok: false, reason: 'QUIET_HOURS' });
    expect(checkQuietHours(ctx({ profile: profile({ timezone: 'America/New_York' }) }))).toEqual({ ok: true });
  });
  it("falls back to the moment's time zone when the profile has none", () => {
    const m = moment({ context: { ...moment().context, timezone: 'Asia/Tokyo' } });
    expect(checkQuietHours(ctx({ moment: m, profile: profile({ timezone: undefined }) })).ok).toBe(false);
  });
  it('handles windows that span midnight and windows that do not', () => {
    const night = { start: '21:00', end: '08:00' };
    expect(isQuietMinute(21 * 60, night)).toBe(true);
    expect(isQuietMinute(3 * 60, night)).toBe(true);
    expect(isQuietMinute(8 * 60, night)).toBe(false);
    expect(isQuietMinute(20 * 60 + 59, night)).toBe(false);
    const lunch = { start: '12:00', end: '13:00' };
    expect(isQuietMinute(12 * 60 + 30, lunch)).toBe(true);
    expect(isQuietMinute(13 * 60, lunch)).toBe(false);
    expect(isQuietMinute(0, { start: '00:00', end: '00:00' })).toBe(false);
  });
});

describe('moment age guardrail (MOMENT_TOO_OLD)', () => {
  it('allows a moment detected a minute ago', () => {
    expect(checkMomentAge(ctx())).toEqual({ ok: true });
  });
  it('stops a moment older than maxMomentAgeMinutes', () => {
    const m = moment({ detectedAt: new Date(NOW.getTime() - 16 * 60_000).toISOString() });
    expect(checkMomentAge(ctx({ moment: m }))).toEqual({ ok: false, reason: 'MOMENT_TOO_OLD' });
  });
});

describe('checkPolicyGuardrails', () => {
  it('names the first guardrail that stops, in order', () => {
    // No consent AND quiet hours: consent comes first.
    const c = ctx({ profile: profile({ timezone: 'Asia/Singapore', consent: { personalization: true } }) });
    expect(checkPolicyGuardrails(c)).toEqual({ ok: false, reason: 'NO_CHANNEL_CONSENT' });
    expect(checkPolicyGuardrails(ctx({ profile: profile({ timezone: 'Asia/Singapore' }) }))).toEqual({ ok: false, reason: 'QUIET_HOURS' });
    expect(checkPolicyGuardrails(ctx())).toEqual({ ok: true });
  });
});
