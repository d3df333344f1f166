/**
 * The per-text memos of enrich's hot path (issue 12) give the answer the computation gives: the
 * lexicon phrases of a query or title (features.ts) per field limit, whatever order texts and
 * limits come in, against the same configuration compiled afresh (no memo yet).
 */
import fc from 'fast-check';
import { defaultConfig } from '../../shared/config/defaults';
import { lexiconPhrasesIn } from '../../shared/enrich/features';

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
