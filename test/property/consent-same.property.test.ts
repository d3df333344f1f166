/**
 * `sameConsent` (shared/enrich/consent.ts) counts grants without building key arrays; it must
 * answer as the array version it replaced does for any two choices, keys that look like
 * prototype properties and objects from JSON.parse included: a wrong "same" would skip a
 * profile write that narrows consent.
 */
import fc from 'fast-check';
import { sameConsent } from '../../shared/enrich/consent';

/** The version before (2026-12-01), kept as the reference. */
function sameConsentByArrays(a: Record<string, boolean>, b: Record<string, boolean>): boolean {
  const ga = Object.keys(a).filter((k) => a[k] === true);
  const gb = Object.keys(b).filter((k) => b[k] === true);
  return ga.length === gb.length && ga.every((k) => b[k] === true);
}

const KEYS = ['personalization', 'push', 'email', 'sms', 'webhook', 'locationOffers', 'marketing', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''];
const value = fc.oneof(fc.boolean(), fc.boolean(), fc.constantFrom<unknown>(null, 1, 0, 'true', undefined, {}));
const choice = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 });
// Through JSON too: `{"__proto__": true}` parses to an own key, as a stored profile would.
const asStored = choice.map((c) => JSON.parse(JSON.stringify(c)) as Record<string, boolean>);
const either = fc.oneof(choice as fc.Arbitrary<Record<string, boolean>>, asStored);

describe('sameConsent', () => {
  it('answers as the array version for any two choices', () => {
    fc.assert(
      fc.property(either, either, (a, b) => {
        expect(sameConsent(a, b)).toBe(sameConsentByArrays(a, b));
        expect(sameConsent(b, a)).toBe(sameConsentByArrays(b, a));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers as the array version for a choice and its edits (mostly the same grants)', () => {
    fc.assert(
      fc.property(either, fc.constantFrom(...KEYS), value, (a, key, v) => {
        const b = { ...a, [key]: v } as Record<string, boolean>;
        expect(sameConsent(a, b)).toBe(sameConsentByArrays(a, b));
        expect(sameConsent(a, { ...a })).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
