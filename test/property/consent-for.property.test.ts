/**
 * `consentFor` (shared/enrich/consent.ts) reads the three choices a signal is processed under
 * key by key; it must allow exactly what intersecting their EffectiveConsents (the version
 * before, kept here) allows, for any profile, history, stream position and timestamp: a
 * difference would process a signal a choice does not allow.
 */
import fc from 'fast-check';
import { CHANNELS } from '../../shared/contracts';
import { consentAt, consentAtArrival, consentFor, consentHistoryOf, effectiveConsent, NO_CONSENT_YET, type EffectiveConsent, type SignalPosition } from '../../shared/enrich/consent';
import type { Profile } from '../../shared/store/profile';

const intersect = (a: EffectiveConsent, b: EffectiveConsent): EffectiveConsent => ({
  personalization: a.personalization && b.personalization,
  channels: a.channels.filter((c) => b.channels.includes(c)),
  locationOffers: a.locationOffers && b.locationOffers,
});

function consentForByIntersection(profile: Profile | undefined, at: SignalPosition): EffectiveConsent {
  const history = consentHistoryOf(profile);
  const arrived = effectiveConsent(consentAtArrival(history, at.seq));
  const then = effectiveConsent(consentAt(history, Date.parse(at.timestamp)));
  return intersect(intersect(arrived, then), effectiveConsent(profile?.consent));
}

const KEYS = ['personalization', ...CHANNELS, 'locationOffers', 'marketing'];
const choice = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.boolean(), fc.boolean(), fc.constant<unknown>(1)), { maxKeys: 7 }) as fc.Arbitrary<Record<string, boolean>>;
const BASE = Date.parse('2026-11-20T00:00:00.000Z');
const iso = fc.integer({ min: 0, max: 10 * 86_400 }).map((s) => new Date(BASE + s * 1000).toISOString());
const seq = fc.integer({ min: 1, max: 99_999 }).map((n) => `4960${String(n).padStart(5, '0')}`);
const entry = fc.record({ at: iso, seq: fc.option(seq, { nil: undefined }), consent: choice }).map((e) => (e.seq === undefined ? { at: e.at, consent: e.consent } : e));

const profile: fc.Arbitrary<Profile | undefined> = fc.option(
  fc.record({
    consent: choice,
    consentUpdatedAt: fc.oneof(iso, fc.constant(NO_CONSENT_YET)),
    consentHistory: fc.option(fc.array(entry, { maxLength: 6 }), { nil: undefined }),
  }).map((p) => ({ customerKey: 'a'.repeat(64), updatedAt: '2026-11-30T00:00:00.000Z', ...p, ...(p.consentHistory === undefined ? { consentHistory: undefined } : {}) }) as Profile),
  { nil: undefined },
);
const position = fc.record({ seq, timestamp: fc.oneof(iso, fc.constant('2026-11-25T12:00:00Z'), fc.constant('not a date')) });

describe('consentFor', () => {
  it('allows exactly what the intersection of the three EffectiveConsents allows', () => {
    fc.assert(
      fc.property(profile, position, (p, at) => {
        expect(consentFor(p, at)).toEqual(consentForByIntersection(p, at));
      }),
      { numRuns: 5000 },
    );
  });
});
