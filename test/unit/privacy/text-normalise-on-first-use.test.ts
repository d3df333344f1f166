/**
 * The HTML entity decoder (`entities/decode`, whose tables are decoded at load) is loaded on first
 * use (shared/privacy/text-normalise.ts): a text without a character reference does not need it,
 * so a cold start that meets only such texts does not evaluate it. The package's confusables table
 * is never loaded by the classifier (it reads the generated subset, test/unit/privacy/confusables-latin.test.ts).
 * Each module's factory counts its loads; the real module is what it returns.
 */
describe('text normalisation loads its tables on first use', () => {
  const load = () => {
    const loads = { confusables: 0, entities: 0 };
    let normaliseText!: (text: string) => string;
    jest.isolateModules(() => {
      jest.doMock('unhomoglyph/data.json', () => {
        loads.confusables++;
        return jest.requireActual('unhomoglyph/data.json');
      });
      jest.doMock('entities/decode', () => {
        loads.entities++;
        return jest.requireActual('entities/decode');
      });
      ({ normaliseText } = jest.requireActual('../../../shared/privacy/text-normalise') as typeof import('../../../shared/privacy/text-normalise'));
    });
    return { loads, normaliseText };
  };
  afterEach(() => {
    jest.dontMock('unhomoglyph/data.json');
    jest.dontMock('entities/decode');
  });

  test('plain ASCII, percent escapes included, loads neither', () => {
    const { loads, normaliseText } = load();
    expect(normaliseText('Maternity Jeans & Tops, size M')).toBe('maternity jeans tops size m');
    expect(normaliseText('pr%65gnancy%20test')).toBe('pregnancy test');
    expect(loads).toEqual({ confusables: 0, entities: 0 });
  });

  test('a character reference loads the decoder, once', () => {
    const { loads, normaliseText } = load();
    expect(normaliseText('pr&eacute;gnancy')).toBe('pregnancy');
    expect(normaliseText('&#112;regnancy')).toBe('pregnancy');
    expect(loads).toEqual({ confusables: 0, entities: 1 });
  });

  test('a look-alike letter is folded without loading either package', () => {
    const { loads, normaliseText } = load();
    expect(normaliseText('pr\u0435gnancy')).toBe('pregnancy'); // Cyrillic е
    expect(normaliseText('\u03bfvulation')).toBe('ovulation'); // Greek ο
    expect(loads).toEqual({ confusables: 0, entities: 0 });
  });
});
