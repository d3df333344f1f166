import { geohashBounds, geohashEncode } from '../../../shared/geo/geohash';
import { haversineMeters } from '../../../shared/geo/distance';
import { nearestLocation } from '../../../shared/geo/nearest';
import { isOpenAt, parseHours } from '../../../shared/geo/opening-hours';
import type { Location } from '../../../shared/config/types';

describe('geohashEncode', () => {
  it('matches known hashes', () => {
    expect(geohashEncode(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
    expect(geohashEncode(51.5136, -0.1365, 5)).toBe('gcpvh');
  });

  it('gives a cell that contains the point, and shorter hashes are prefixes', () => {
    const h = geohashEncode(-33.8688, 151.2093, 6);
    const b = geohashBounds(h);
    expect(-33.8688).toBeGreaterThanOrEqual(b.latMin);
    expect(-33.8688).toBeLessThan(b.latMax);
    expect(151.2093).toBeGreaterThanOrEqual(b.lonMin);
    expect(151.2093).toBeLessThan(b.lonMax);
    expect(h.startsWith(geohashEncode(-33.8688, 151.2093, 5))).toBe(true);
  });

  it('refuses out-of-range input with the field', () => {
    expect(() => geohashEncode(91, 0, 6)).toThrow(/latitude must be within/);
    expect(() => geohashEncode(0, 181, 6)).toThrow(/longitude must be within/);
    expect(() => geohashEncode(0, 0, 0)).toThrow(/precision/);
  });
});

describe('haversineMeters', () => {
  it('measures London to Paris at about 344 km', () => {
    const d = haversineMeters(51.5074, -0.1278, 48.8566, 2.3522);
    expect(d).toBeGreaterThan(340_000);
    expect(d).toBeLessThan(348_000);
  });
  it('is zero for the same point and symmetric', () => {
    expect(haversineMeters(10, 20, 10, 20)).toBe(0);
    expect(haversineMeters(1, 2, 3, 4)).toBeCloseTo(haversineMeters(3, 4, 1, 2), 6);
  });
});

const store = (openingHours: Location['openingHours'], timezone = 'Europe/London'): Location => ({
  id: 's', name: 'Store', latitude: 51.5, longitude: -0.1, timezone, openingHours,
});

describe('nearestLocation', () => {
  it('picks the closest', () => {
    const a = { ...store({}), id: 'a', latitude: 51.5, longitude: -0.1 };
    const b = { ...store({}), id: 'b', latitude: 48.85, longitude: 2.35 };
    expect(nearestLocation(48.86, 2.34, [a, b])?.location.id).toBe('b');
    expect(nearestLocation(48.86, 2.34, [])).toBeUndefined();
  });
});

describe('isOpenAt', () => {
  // 2026-11-23 is a Monday (weekday 1); London is on UTC in November.
  const monday = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);
  it('is open within the hours, start inclusive, end exclusive', () => {
    const s = store({ '1': '08:00-20:00' });
    expect(isOpenAt(s, monday('07:59'))).toBe(false);
    expect(isOpenAt(s, monday('08:00'))).toBe(true);
    expect(isOpenAt(s, monday('19:59'))).toBe(true);
    expect(isOpenAt(s, monday('20:00'))).toBe(false);
  });
  it('is closed on a day without hours', () => {
    expect(isOpenAt(store({ '2': '08:00-20:00' }), monday('12:00'))).toBe(false);
  });
  it('uses the location time zone', () => {
    const ny = store({ '1': '08:00-20:00' }, 'America/New_York');
    expect(isOpenAt(ny, monday('12:00'))).toBe(false); // 07:00 in New York
    expect(isOpenAt(ny, monday('13:00'))).toBe(true);
  });
  it('handles hours past midnight, on the day and the day after', () => {
    const bar = store({ '0': '18:00-02:00' });
    expect(isOpenAt(bar, monday('01:30'))).toBe(true); // Sunday's hours, Monday 01:30
    expect(isOpenAt(bar, monday('02:00'))).toBe(false);
    expect(isOpenAt(bar, new Date('2026-11-22T19:00:00Z'))).toBe(true); // Sunday 19:00
    expect(isOpenAt(store({ '1': '00:00-24:00' }), monday('23:59'))).toBe(true);
  });
  it('treats malformed hours as closed', () => {
    expect(parseHours('9-5')).toBeNull();
    expect(parseHours('25:00-26:00')).toBeNull();
    expect(isOpenAt(store({ '1': 'always' }), monday('12:00'))).toBe(false);
  });
});
