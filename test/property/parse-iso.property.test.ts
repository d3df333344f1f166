/**
 * parseIsoMs (shared/time/parse-iso.ts) reads toISOString's form digit by digit and hands
 * everything else to Date.parse: for any text, it must answer exactly as Date.parse (NaN
 * included), the dates it reads itself, near misses of the form and impossible dates alike.
 */
import fc from 'fast-check';
import { parseIsoMs } from '../../shared/time/parse-iso';

const same = (s: string) => expect(Object.is(parseIsoMs(s), Date.parse(s))).toBe(true);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('parseIsoMs', () => {
  it('answers as Date.parse for every instant toISOString writes (years 0 to 9999)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => same(new Date(ms).toISOString())),
      { numRuns: 5000 },
    );
  });

  it('answers as Date.parse for the form with any two-digit fields (impossible dates, hour 24, day 0)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 999 }),
        (y, mo, d, h, mi, s, ms) => same(`${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`),
      ),
      { numRuns: 5000 },
    );
  });

  it('answers as Date.parse for the form with one character changed, and for any text', () => {
    const chars = fc.constantFrom('0', '9', '-', ':', '.', 'T', 'Z', 'z', 't', ' ', '+', 'x', '/', '٣');
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), fc.nat(23), chars, (date, i, c) => {
        const iso = date.toISOString();
        same(iso.slice(0, i) + c + iso.slice(i + 1));
        same(iso.slice(0, i) + iso.slice(i + 1));
      }),
      { numRuns: 5000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 30 }), same), { numRuns: 2000 });
  });
});
