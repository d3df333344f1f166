/**
 * shared/privacy/generated/confusables-latin.ts is derived from the `unhomoglyph` package's table
 * (TR39's confusables) by npm run generate:confusables; the classifier reads only the generated
 * module, so the two must not drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import table from 'unhomoglyph/data.json';
import { CONFUSABLES_LATIN_FILE, confusablesLatinSource, latinConfusablesOf } from '../../../shared/privacy/confusables-latin-source';
import { CONFUSABLES_LATIN } from '../../../shared/privacy/generated/confusables-latin';
import { foldText } from '../../../shared/privacy/text-normalise';

describe('the confusables the classifier uses', () => {
  test('the committed module is what the package gives today (run npm run generate:confusables after updating unhomoglyph)', () => {
    expect(readFileSync(join(__dirname, '..', '..', '..', CONFUSABLES_LATIN_FILE), 'utf8')).toBe(confusablesLatinSource(table as Record<string, string>));
  });

  test('it holds every entry of the package that maps one non-ASCII character to one or two Latin letters, and only those', () => {
    const entries = Object.entries(CONFUSABLES_LATIN).flatMap(([latin, chars]) => [...chars].map((ch): [string, string] => [ch, latin]));
    const expected = Object.entries(table as Record<string, string>).filter(([from, to]) => {
      const latin = to.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
      return [...from].length === 1 && from.charCodeAt(0) >= 0x80 && /^[a-z]{1,2}$/.test(latin);
    });
    expect(entries.length).toBe(expected.length);
    expect(new Map(entries)).toEqual(new Map(expected.map(([from, to]) => [from, to.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()])));
    expect(latinConfusablesOf({ a: 'a', '\u0430': 'a', '\u2460': '1', '\u00f8': 'o\u0338', '\u0133': 'ij' })).toEqual({ a: '\u0430', ij: '\u0133', o: '\u00f8' });
  });

  test('letters of other scripts fold through it', () => {
    // Cyrillic е, а, р, о; Cherokee Ꭺ (U+13AA, a capital A to the eye); Armenian օ.
    expect(foldText('pr\u0435gn\u0430ncy \u0440\u043eisoning \u13aaIDS \u0585vulation')).toBe('pregnancy poisoning aids ovulation');
  });
});
