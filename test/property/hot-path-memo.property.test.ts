/**
 * The per-text memos of the hot path (issue 12) give the answer the computation gives, whatever
 * order texts come in, against the same configuration compiled afresh (no memo yet): enrich's
 * lexicon phrases of a query or title (features.ts) per field limit; score's lexicon features of
 * a query and title pair (evidence.ts), including pairs that differ only in where one ends.
 */
import fc from 'fast-check';
import { defaultConfig } from '../../shared/config/defaults';
import { lexiconPhrasesIn } from '../../shared/enrich/features';
import { compileScoring } from '../../shared/scoring/compile';
import { featuresOf } from '../../shared/scoring/evidence';
import { enriched } from '../unit/scoring/builders';

const PHRASES = defaultConfig.scoring.lexicon.map((e) => e.phrase);
const textArb = fc
  .array(fc.oneof(fc.constantFrom(...PHRASES), fc.stringMatching(/^[A-Za-z]{1,8}$/), fc.constantFrom(' ', ', ', '-', '!')), { maxLength: 12 })
  .map((parts) => parts.join(' '));

describe('lexiconPhrasesIn, remembered per text', () => {
  it('answers as a fresh computation does, for any order of texts and limits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(textArb, fc.constantFrom(8, 20, 64, 512)), { minLength: 1, maxLength: 20 }), (calls) => {
        // A copy of the scoring configuration compiles (and remembers) on its own.
        const fresh = () => ({ ...defaultConfig.scoring });
        for (const [text, max] of [...calls, ...calls]) {
          expect(lexiconPhrasesIn(text, defaultConfig.scoring, max)).toEqual(lexiconPhrasesIn(text, fresh(), max));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('featuresOf, lexicon features remembered per query and title', () => {
  const text = fc.array(fc.constantFrom(...PHRASES, 'near', 'me', 'open', '\u0001'), { maxLength: 4 }).chain((words) =>
    fc.array(fc.constantFrom(' ', '\n'), { minLength: words.length, maxLength: words.length }).map((seps) => words.map((w, i) => w + seps[i]).join('').trim()),
  );
  it('answers as a fresh compilation does, however one text is cut into query and title', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.nat()), { minLength: 1, maxLength: 8 }), (texts) => {
        const shared = compileScoring(defaultConfig.scoring);
        for (const [whole, cut] of [...texts, ...texts]) {
          const at = whole.length === 0 ? 0 : cut % (whole.length + 1);
          for (const [query, title] of [[whole, ''], ['', whole], [whole.slice(0, at), whole.slice(at)]]) {
            const signal = enriched({ event: 'Products Searched', features: { ...(query ? { query } : {}), ...(title ? { title } : {}) } });
            expect(featuresOf(signal, shared)).toEqual(featuresOf(signal, compileScoring({ ...defaultConfig.scoring })));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
