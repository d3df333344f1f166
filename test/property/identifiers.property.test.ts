/**
 * Issue 9, finding 2, as an attacker: generated identifiers (emails, phones of twenty countries
 * in every format, IBANs, Luhn-valid cards, IPv4/IPv6, street addresses in seven languages,
 * titled names) embedded in every field a producer controls. Nothing of them comes out of the
 * enrich stage: not in an enriched record, not in a quarantine reason, not in an outcome's
 * messageId, not in a profile. The whole pipeline (moments, STATE, bus, channels, logs) is
 * attacked the same way in test/integration/local/identifiers-pipeline.test.ts.
 */
import fc from 'fast-check';
import { enrichBatch, type EnrichInput } from '../../shared/enrich/pipeline';
import { InMemoryProfileStore } from '../../shared/store/profile-store';
import { validateEnrichedSignal } from '../../shared/contracts';
import { defaultConfig } from '../../shared/config/defaults';
import { messageDigestOf } from '../../shared/enrich/pseudonymise';
import { ENRICHED_SIGNAL_FORMATS } from '../../shared/privacy/scrub';
import { eventVocabulary } from '../../shared/enrich/vocabulary';
import { attackSignalArb } from '../fixtures/identifier-signals';
import { runReplay } from '../../scripts/replay';
import { leaksOf, stringsIn, type Identifier } from '../fixtures/identifiers';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const PEPPER = 'identifiers-property-pepper';

const VOCABULARY = eventVocabulary(defaultConfig);
const PHRASES = new Set(defaultConfig.scoring.lexicon.map((e) => e.phrase));
/** Free text kept is the lexicon phrases found in it, one per line: no other word survives (a bare name neither). */
const onlyPhrases = (text: string | undefined) => text === undefined || text.split('\n').every((p) => PHRASES.has(p));

let n = 0;
const seq = () => ++n;

describe('identifiers never leave enrich', () => {
  it('not in the enriched record, an outcome, a quarantine reason or a profile, wherever they were put', async () => {
    let enrichedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(attackSignalArb(NOW.getTime(), seq), { minLength: 1, maxLength: 6 }), async (attacks) => {
        const inputs: EnrichInput[] = attacks.map((a, i) => ({
          data: Buffer.from(JSON.stringify(a.signal)),
          sequenceNumber: String(i).padStart(20, '0'),
          stream: 'signals',
        }));
        const store = new InMemoryProfileStore();
        const result = await enrichBatch(inputs, { config: defaultConfig, pepper: PEPPER, profiles: store, now: NOW });
        const identifiers: Identifier[] = attacks.flatMap((a) => a.identifiers);

        const leaks: string[] = [];
        result.outcomes.forEach((o, i) => {
          const where = `${o.kind} (${attacks[i].fields.join(', ')})`;
          if (o.kind === 'enriched') {
            enrichedCount++;
            expect(validateEnrichedSignal(o.signal).ok).toBe(true);
            // Structural fields hold exactly their format: a digest, a key, a time.
            for (const [path, format] of Object.entries(ENRICHED_SIGNAL_FORMATS)) {
              const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o.signal);
              if (typeof value === 'string') expect([path, format(value)]).toEqual([path, true]);
            }
            expect(o.signal.messageId).toBe(messageDigestOf(PEPPER, attacks[i].messageId));
            expect(VOCABULARY.has(o.signal.event) || o.signal.event === 'custom').toBe(true);
            expect([o.signal.features.query, o.signal.features.title].every(onlyPhrases)).toBe(true);
            leaks.push(...leaksOf(identifiers, stringsIn(o.signal), where));
          } else if (o.kind === 'quarantined') {
            leaks.push(...leaksOf(identifiers, [o.entry.reason, o.messageId ?? ''], where));
          } else {
            expect(o.messageId).toBe(messageDigestOf(PEPPER, attacks[i].messageId));
            leaks.push(...leaksOf(identifiers, [o.messageId ?? ''], where));
          }
        });
        leaks.push(...leaksOf(identifiers, stringsIn(result.profileWrites), 'profile'));
        expect(leaks).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // The attack went through: most signals were enriched, not stopped before the check.
    expect(enrichedCount).toBeGreaterThan(200);
  });
});

describe('replaying identifier-bearing messages (npm run replay)', () => {
  it('gives moments, scores and a summary that carry none of them', async () => {
    let moments = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(attackSignalArb(NOW.getTime(), seq), { minLength: 3, maxLength: 8 }), async (attacks) => {
        const out = await runReplay(attacks.map((a) => JSON.stringify(a.signal)), defaultConfig, { withScores: true });
        moments += out.moments.length;
        const identifiers = attacks.flatMap((a) => a.identifiers);
        expect(leaksOf(identifiers, [...out.moments, ...out.scores, JSON.stringify(out.summary)], 'replay')).toEqual([]);
      }),
      { numRuns: 40 },
    );
    expect(moments).toBeGreaterThan(20);
  });
});
