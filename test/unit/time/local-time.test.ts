import { daypartOf, isValidTimeZone, isWeekend, localTimeOf, utcOffsetMinutes } from '../../../shared/time/local-time';

describe('localTimeOf', () => {
  it('gives the wall-clock time in the zone, DST included', () => {
    expect(localTimeOf(new Date('2026-07-01T12:30:00Z'), 'Europe/London').localTime).toBe('2026-07-01T13:30');
    expect(localTimeOf(new Date('2026-01-01T12:30:00Z'), 'Europe/London').localTime).toBe('2026-01-01T12:30');
    expect(localTimeOf(new Date('2026-11-23T08:00:00Z'), 'America/New_York').localTime).toBe('2026-11-23T03:00');
  });

  it('handles quarter-hour zones and the date line', () => {
    expect(localTimeOf(new Date('2026-11-23T08:00:00Z'), 'Asia/Kathmandu').localTime).toBe('2026-11-23T13:45');
    const t = localTimeOf(new Date('2026-11-23T20:00:00Z'), 'Pacific/Auckland');
    expect(t.localTime).toBe('2026-11-24T09:00');
    expect(t.weekday).toBe(2); // Tuesday there, Monday in UTC
  });

  it('switches offset exactly at a DST transition', () => {
    // Europe/Paris: 2026-03-29 01:00 UTC clocks go from 02:00 to 03:00.
    expect(localTimeOf(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Paris').localTime).toBe('2026-03-29T01:59');
    expect(localTimeOf(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Paris').localTime).toBe('2026-03-29T03:00');
    expect(utcOffsetMinutes(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Paris')).toBe(120);
  });

  it('agrees with Intl on many instants', () => {
    const zones = ['Europe/London', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    const fmt = (tz: string) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2027-01-01T00:00:00Z'); ms += 7 * 3_600_000 + 13 * 60_000) {
      for (const tz of zones) {
        expect(localTimeOf(ms, tz).localTime).toBe(fmt(tz).format(ms).replace(' ', 'T'));
      }
    }
  });

  it('throws a RangeError naming an unknown zone', () => {
    expect(() => localTimeOf(0, 'Mars/Olympus')).toThrow(/not an IANA time zone: "Mars\/Olympus"/);
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects the rest', () => {
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('daypartOf', () => {
  it.each([
    [0, 'night'], [5, 'night'], [6, 'morning'], [10, 'morning'], [11, 'midday'], [13, 'midday'],
    [14, 'afternoon'], [17, 'afternoon'], [18, 'evening'], [21, 'evening'], [22, 'night'], [23, 'night'],
  ] as const)('hour %d is %s', (hour, part) => {
    expect(daypartOf(hour)).toBe(part);
  });
});

describe('isWeekend', () => {
  it('is Saturday and Sunday', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(isWeekend)).toEqual([true, false, false, false, false, false, true]);
  });
});
