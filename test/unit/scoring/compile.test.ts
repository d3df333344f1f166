import { defaultScoring } from '../../../shared/config/defaults';
import type { ScoringConfig } from '../../../shared/config/types';
import { compileScoring, normaliseText } from '../../../shared/scoring/compile';
import { featuresOf } from '../../../shared/scoring/evidence';
import { enriched } from './builders';

const lexiconOf = (query: string, title?: string) =>
  featuresOf(enriched({ event: 'Unknown Event', features: { query, ...(title ? { title } : {}) } }), compileScoring(defaultScoring))
    .filter((f) => f.kind === 'lexicon')
    .map((f) => f.feature);

describe('compiled scoring configuration', () => {
  it('is compiled once per configuration object', () => {
    expect(compileScoring(defaultScoring)).toBe(compileScoring(defaultScoring));
    const copy: ScoringConfig = structuredClone(defaultScoring);
    expect(compileScoring(copy)).not.toBe(compileScoring(defaultScoring));
  });

  it('normalises text to lower-case words separated by single spaces', () => {
    expect(normaliseText('  Coffee, NEAR-me?! ')).toBe(' coffee near me ');
    expect(normaliseText('Crème brûlée')).toBe(' crème brûlée ');
  });

  it('matches lexicon phrases on word boundaries, case-insensitively', () => {
    expect(lexiconOf('Coffee NEAR ME')).toEqual(['near me']);
    expect(lexiconOf('coffee near me?')).toEqual(['near me']);
    expect(lexiconOf('iphone vs. pixel')).toEqual(['vs']);
    // "fix" is not in "fixture", "best" not in "bestseller", "review" not in "reviews".
    expect(lexiconOf('light fixture bestseller')).toEqual([]);
    expect(lexiconOf('running shoe reviews')).toEqual(['reviews']);
  });

  it('counts a phrase once per signal even when it is in both the query and the title', () => {
    expect(lexiconOf('how to tile', 'How to tile a floor')).toEqual(['how to']);
  });

  it('does not match a phrase across the boundary between query and title', () => {
    expect(lexiconOf('coffee near', 'me and you')).toEqual([]);
  });
});
