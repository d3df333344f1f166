/**
 * The one scrubber against generated identifiers (test/fixtures/identifiers.ts): emails with odd
 * local parts, phones of twenty countries in every format, IBANs, Luhn-valid cards, IPv4/IPv6,
 * street addresses in seven languages, titled names, each embedded in text as a field would hold
 * it, and kebab-cased as content categories are. None survives, in any form.
 */
import fc from 'fast-check';
import { embeddingArb, forbiddenForms, identifierArb, leaksOf, luhnValid, stringsIn } from '../../fixtures/identifiers';
import { buildMoment } from '../../../shared/scoring/moment';
import { validateMomentDetected } from '../../../shared/contracts/validate';
import { enriched } from '../scoring/builders';
import { scrubFields, scrubText, survivesScrubbing, ENRICHED_SIGNAL_FORMATS } from '../../../shared/privacy/scrub';
import { kebab } from '../../../shared/enrich/features';

describe('scrubText', () => {
  it('masks every generated identifier, as typed and kebab-cased', () => {
    fc.assert(
      fc.property(identifierArb, embeddingArb, (id, embed) => {
        const text = embed(id.value);
        // The check itself sees the identifier before scrubbing (so an empty result below means something).
        expect(leaksOf([id], [text], 'input').length).toBeGreaterThan(0);
        expect(leaksOf([id], [scrubText(text)], 'scrubbed')).toEqual([]);
        expect(leaksOf([id], [scrubText(kebab(text))], 'scrubbed kebab')).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves text without identifiers as it is', () => {
    for (const t of ['coffee near me', 'best running shoes', 'Directions Requested', 'how-to', 'Europe/London', 'GBP', 'product', 'Soho store', 'sku-12345', 'size 42 trail runner']) {
      expect(scrubText(t)).toBe(t);
      expect(survivesScrubbing(t)).toBe(true);
    }
  });

  it('the generated cards pass Luhn and the forms cover digits', () => {
    fc.assert(
      fc.property(identifierArb.filter((i) => i.kind === 'card'), (id) => {
        expect(luhnValid(id.value.replace(/\D/g, ''))).toBe(true);
        expect(forbiddenForms(id).digits).toBe(id.value.replace(/\D/g, ''));
      }),
      { numRuns: 50 },
    );
  });
});

describe('scrubFields: applied structurally', () => {
  it('scrubs a field nobody listed, and keeps a listed one only when its value has its format', () => {
    fc.assert(
      fc.property(identifierArb, fc.stringMatching(/^[a-z]{1,12}$/), (id, newField) => {
        const built = {
          messageId: id.value, // not a digest: scrubbed
          customerKey: 'a'.repeat(64),
          features: { [newField]: id.value, contentCategories: [id.value] },
          context: { timezone: 'Europe/London', nearestLocation: { id: 'lon-soho', name: 'Soho store' } },
        };
        const context = structuredClone(built.context);
        const out = scrubFields(built, ENRICHED_SIGNAL_FORMATS);
        expect(leaksOf([id], [JSON.stringify(out)], 'walked')).toEqual([]);
        expect(out.customerKey).toBe('a'.repeat(64));
        expect(out.context).toEqual(context);
      }),
      { numRuns: 300 },
    );
  });

  it('masks a text seen before as it did the first time (the walk remembers short texts), and a long one too', () => {
    fc.assert(
      fc.property(identifierArb, embeddingArb, fc.nat({ max: 200 }), (id, embed, pad) => {
        const text = embed(id.value);
        const long = `${'catalogue '.repeat(pad)}${text}`;
        for (let round = 0; round < 3; round++) {
          const out = scrubFields({ event: text, features: { title: long, contentCategories: [text, text] } }, ENRICHED_SIGNAL_FORMATS);
          expect(out.event).toBe(scrubText(text));
          expect(out.features.title).toBe(scrubText(long));
          expect(leaksOf([id], [JSON.stringify(out)], `walked, round ${round}`)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never makes a field longer than it was', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const out = scrubFields({ category: s }, {} as Record<string, never>);
        expect(Array.from(out.category).length).toBeLessThanOrEqual(Array.from(s).length);
      }),
    );
  });
});

describe('buildMoment: every string of a moment through the same scrubber', () => {
  it('masks identifiers that reach a moment by any field, keeps digests, times and configured vocabulary', () => {
    fc.assert(
      fc.property(identifierArb, identifierArb, (a, b) => {
        const trigger = enriched({ messageId: a.value, event: b.value, features: { contentCategories: [b.value] } });
        const moment = buildMoment({
          intent: 'go',
          score: 0.8,
          threshold: 0.6,
          reasons: [
            { kind: 'content', feature: b.value, messageId: a.value, weight: 0.3, contribution: 0.3 },
            { kind: 'event', feature: 'Directions Requested', messageId: '0'.repeat(32), weight: 0.8, contribution: 0.7 },
          ],
          trigger,
          detectedAtMs: Date.parse(trigger.timestamp),
          scoringVersion: 'scoring-2026.11-1',
        });
        expect(leaksOf([a, b], stringsIn(moment), 'moment')).toEqual([]);
        expect(moment.reasons[1]).toMatchObject({ feature: 'Directions Requested', messageId: '0'.repeat(32) });
        expect(moment).toMatchObject({ scoringVersion: 'scoring-2026.11-1', detectedAt: trigger.timestamp, customerKey: trigger.customerKey });
        expect(validateMomentDetected(moment).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
