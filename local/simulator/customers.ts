/**
 * The simulated population: each customer has a home near one of the configured locations (so
 * that go moments near an open store happen), that location's timezone and locale, one device,
 * and a consent profile. Identifiers are made up from the seeded PRNG.
 */
import type { Location } from '../../shared/config/types';
import type { Rng } from './prng';

export const CONSENT_PROFILES = ['full', 'no-personalization', 'no-contact-channels', 'anonymous-then-identified'] as const;
export type ConsentProfile = (typeof CONSENT_PROFILES)[number];

export const DEVICE_KINDS = ['ios-phone', 'android-phone', 'tablet', 'desktop'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface Coordinates {
  latitude: number;
  longitude: number;
}

export interface SimCustomer {
  index: number;
  userId: string;
  anonymousId: string;
  consentProfile: ConsentProfile;
  /** False until an identify links the anonymous id to the user id (anonymous-then-identified). */
  identified: boolean;
  /** Journeys walked anonymously before signing in. */
  identifyAfterJourneys: number;
  journeysDone: number;
  timezone: string;
  locale: string;
  device: DeviceKind;
  home: Coordinates;
  /** The configured location the home was placed near. */
  store: Location;
  consent: Record<string, boolean>;
  /** A made-up address at example.com, sent in identify traits (enrich must not pass it on). */
  email: string;
  firstName: string;
}

/** Used when the configuration has no locations: the default stores' cities. */
export const FALLBACK_LOCATIONS: readonly Location[] = [
  { id: 'lon', name: 'London', latitude: 51.5136, longitude: -0.1365, timezone: 'Europe/London', openingHours: {} },
  { id: 'nyc', name: 'New York', latitude: 40.7411, longitude: -73.9897, timezone: 'America/New_York', openingHours: {} },
];

const LOCALES: Readonly<Record<string, string>> = {
  'Europe/London': 'en-GB',
  'Europe/Paris': 'fr-FR',
  'Europe/Berlin': 'de-DE',
  'America/New_York': 'en-US',
  'America/Los_Angeles': 'en-US',
  'Australia/Sydney': 'en-AU',
};

const FIRST_NAMES = ['Alex', 'Sam', 'Jo', 'Robin', 'Charlie', 'Kim', 'Lee', 'Noor', 'Ari', 'Mika'];

const METRES_PER_DEGREE = 111_320;

/** A point `distanceM` from `from` on bearing `bearingRad`, rounded to 5 decimals (about 1 m). */
export function offset(from: Coordinates, distanceM: number, bearingRad: number): Coordinates {
  const dLat = (distanceM * Math.cos(bearingRad)) / METRES_PER_DEGREE;
  const dLon = (distanceM * Math.sin(bearingRad)) / (METRES_PER_DEGREE * Math.cos((from.latitude * Math.PI) / 180));
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return { latitude: round(from.latitude + dLat), longitude: round(from.longitude + dLon) };
}

export function randomNear(rng: Rng, from: Coordinates, minM: number, maxM: number): Coordinates {
  return offset(from, rng.range(minM, maxM), rng.range(0, 2 * Math.PI));
}

function consentFor(profile: ConsentProfile, rng: Rng): Record<string, boolean> {
  switch (profile) {
    case 'full':
    case 'anonymous-then-identified':
      return { personalization: true, push: true, email: true, sms: true, webhook: true, locationOffers: rng.chance(0.5) };
    case 'no-personalization':
      return { personalization: false, push: true, email: true, sms: false, webhook: true, locationOffers: false };
    case 'no-contact-channels':
      return { personalization: true, push: false, email: true, sms: false, webhook: false, locationOffers: false };
  }
}

export function createCustomers(rng: Rng, count: number, locations: readonly Location[]): SimCustomer[] {
  const places = locations.length > 0 ? locations : FALLBACK_LOCATIONS;
  const out: SimCustomer[] = [];
  for (let index = 0; index < count; index++) {
    const store = rng.pick(places);
    // Most live or work within walking distance of a store, some across town.
    const home = rng.chance(0.7) ? randomNear(rng, store, 150, 2500) : randomNear(rng, store, 3000, 25_000);
    const consentProfile = rng.weighted<ConsentProfile>([
      ['full', 65],
      ['no-personalization', 10],
      ['no-contact-channels', 12],
      ['anonymous-then-identified', 13],
    ]);
    const device = rng.weighted<DeviceKind>([
      ['ios-phone', 33],
      ['android-phone', 27],
      ['tablet', 12],
      ['desktop', 28],
    ]);
    const userId = `user-${rng.hex(12)}`;
    out.push({
      index,
      userId,
      anonymousId: rng.uuid(),
      consentProfile,
      identified: consentProfile !== 'anonymous-then-identified',
      identifyAfterJourneys: rng.int(1, 2),
      journeysDone: 0,
      timezone: store.timezone,
      locale: LOCALES[store.timezone] ?? 'en-US',
      device,
      home,
      store,
      consent: consentFor(consentProfile, rng),
      email: `${userId}@example.com`,
      firstName: rng.pick(FIRST_NAMES),
    });
  }
  return out;
}

/** The Segment context fields that describe the customer's device. */
export function deviceContext(device: DeviceKind): Record<string, unknown> {
  switch (device) {
    case 'ios-phone':
      return {
        device: { type: 'ios', manufacturer: 'Apple', model: 'iPhone16,1' },
        os: { name: 'iOS', version: '18.1' },
        app: { name: 'Shop', version: '4.2.0', build: '420' },
      };
    case 'android-phone':
      return {
        device: { type: 'android', manufacturer: 'Google', model: 'Pixel 8' },
        os: { name: 'Android', version: '15' },
        app: { name: 'Shop', version: '4.2.0', build: '420' },
      };
    case 'tablet':
      return {
        device: { type: 'ios', manufacturer: 'Apple', model: 'iPad14,1' },
        os: { name: 'iPadOS', version: '18.1' },
        app: { name: 'Shop', version: '4.2.0', build: '420' },
      };
    case 'desktop':
      return {
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      };
  }
}

/** Apps send screens and carry a position; the web sends pages and does not. */
export const isApp = (device: DeviceKind): boolean => device !== 'desktop';
