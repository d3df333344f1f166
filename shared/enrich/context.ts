/**
 * Step 6: the context of a signal. Local time, daypart and weekend come from the signal's
 * timezone, else the profile's, else the nearest configured location's, else UTC. Proximity is
 * computed from the precise coordinates, which then become an area (geohash precision 6, about
 * 1.2 km x 0.6 km) and go no further. The distance is rounded to 10 m.
 */
import type { DeviceClass, EnrichedContext, NearestLocation, Signal } from '../contracts';
import type { Location } from '../config/types';
import { geohashEncode } from '../geo/geohash';
import { nearestLocation } from '../geo/nearest';
import { isOpenAt } from '../geo/opening-hours';
import { daypartOf, isValidTimeZone, isWeekend, localTimeOf } from '../time/local-time';
import { parseIsoMs } from '../time/parse-iso';

export const AREA_PRECISION = 6;
export const DISTANCE_ROUNDING_M = 10;

const TV = /\b(tv|tvos|appletv|android ?tv|smart-?tv|smarttv|roku|firetv|fire tv|crkey|webos|tizen)\b/i;
const TABLET = /\b(tablet|ipad\w*|kindle|silk)\b/i;
const MOBILE = /\b(mobile|phone|iphone\w*|ipod\w*|ios|android|watchos|wearos)\b/i;
const DESKTOP = /\b(desktop|web|windows|macos|mac os|macintosh|linux|x11|cros|chromeos)\b/i;

function classify(text: string): DeviceClass | undefined {
  if (TV.test(text)) return 'tv';
  if (TABLET.test(text)) return 'tablet';
  if (MOBILE.test(text)) return 'mobile';
  if (DESKTOP.test(text)) return 'desktop';
  return undefined;
}

/**
 * Device class from, in order: context.device.type (with the model, so an iPad on `ios` is a
 * tablet), context.os.name, the user agent. Android user agents without `Mobile` are tablets.
 */
export function deviceClassOf(signal: Signal): DeviceClass {
  const ctx = signal.context ?? {};
  const device = ctx.device ?? {};
  const deviceText = [device.type, device.model].filter((x): x is string => typeof x === 'string').join(' ');
  const fromDevice = deviceText ? classify(deviceText) : undefined;
  if (fromDevice) return fromDevice;
  const osName = typeof ctx.os?.name === 'string' ? ctx.os.name : '';
  const fromOs = osName ? classify(osName) : undefined;
  if (fromOs) return fromOs;
  const ua = typeof ctx.userAgent === 'string' ? ctx.userAgent : '';
  if (ua) {
    if (TV.test(ua)) return 'tv';
    if (TABLET.test(ua) || (/android/i.test(ua) && !/mobile/i.test(ua))) return 'tablet';
    if (/mobi|iphone|ipod|android/i.test(ua)) return 'mobile';
    if (DESKTOP.test(ua)) return 'desktop';
  }
  return 'unknown';
}

export function coordinatesOf(signal: Signal): { latitude: number; longitude: number } | undefined {
  const loc = signal.context?.location;
  if (!loc) return undefined;
  const { latitude, longitude } = loc;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  return { latitude, longitude };
}

/** language, script and region only (`en`, `pt-BR`, `zh-Hant-TW`, `es-419`): nothing else of a tag is kept. */
const PLAIN_LOCALE = /^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$/;

const NAMES = { type: 'language', fallback: 'none' } as const;
let displayNames: Record<'language' | 'script' | 'region', Intl.DisplayNames> | undefined;

/**
 * Whether each subtag is one the Unicode CLDR names: a well-formed tag can still spell a name
 * (`doe-Anna-GB` has the shape of language, script and region), a real one cannot.
 */
function isKnownLocale(tag: string): boolean {
  displayNames ??= {
    language: new Intl.DisplayNames(['en'], NAMES),
    script: new Intl.DisplayNames(['en'], { ...NAMES, type: 'script' }),
    region: new Intl.DisplayNames(['en'], { ...NAMES, type: 'region' }),
  };
  const { language, script, region } = new Intl.Locale(tag);
  return (
    displayNames.language.of(language) !== undefined &&
    (script === undefined || displayNames.script.of(script) !== undefined) &&
    (region === undefined || displayNames.region.of(region) !== undefined)
  );
}

/** Values already decided (null: not a locale); bounded, emptied when full. */
const locales = new Map<string, string | null>();
const MAX_CACHED_LOCALES = 1000;

/**
 * The locale as a canonical BCP 47 tag of language, script and region, or nothing: a tag's
 * extensions and private-use parts (`en-x-...`) can carry anything, free text is not a locale,
 * and neither is a tag whose subtags CLDR does not know.
 * Canonicalising with Intl costs microseconds and a stream repeats a few dozen locales: the
 * answers are cached per raw value (bounded, so a flood of junk tags cannot grow it).
 */
export function localeOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const cached = locales.get(value);
  if (cached !== undefined) return cached ?? undefined;
  let canonical: string | null;
  try {
    canonical = Intl.getCanonicalLocales(value.replace(/_/g, '-'))[0];
    if (!PLAIN_LOCALE.test(canonical) || !isKnownLocale(canonical)) canonical = null;
  } catch {
    canonical = null;
  }
  if (value.length <= 64) {
    if (locales.size >= MAX_CACHED_LOCALES) locales.clear();
    locales.set(value, canonical);
  }
  return canonical ?? undefined;
}

export function buildContext(
  signal: Signal,
  opts: { profileTimezone?: string; locations: readonly Location[] },
): EnrichedContext {
  const at = parseIsoMs(signal.timestamp);
  const coords = coordinatesOf(signal);
  let nearest: NearestLocation | undefined;
  let nearestTz: string | undefined;
  let area: string | undefined;
  if (coords) {
    const n = nearestLocation(coords.latitude, coords.longitude, opts.locations);
    if (n) {
      nearest = {
        id: n.location.id,
        name: n.location.name,
        distanceMeters: Math.round(n.distanceMeters / DISTANCE_ROUNDING_M) * DISTANCE_ROUNDING_M,
        open: isOpenAt(n.location, at),
      };
      nearestTz = n.location.timezone;
    }
    area = geohashEncode(coords.latitude, coords.longitude, AREA_PRECISION);
  }
  // The signal's zone was validated; a stored one is checked again, since a bad profile must not fail a batch.
  const profileTz = opts.profileTimezone && isValidTimeZone(opts.profileTimezone) ? opts.profileTimezone : undefined;
  const timezone = signal.context?.timezone ?? profileTz ?? nearestTz ?? 'UTC';
  const local = localTimeOf(at, timezone);
  const context: EnrichedContext = {
    timezone,
    localTime: local.localTime,
    localHour: local.hour,
    weekday: local.weekday,
    weekend: isWeekend(local.weekday),
    daypart: daypartOf(local.hour),
    deviceClass: deviceClassOf(signal),
  };
  const locale = localeOf(signal.context?.locale);
  if (locale) context.locale = locale;
  if (area) context.area = area;
  if (nearest) context.nearestLocation = nearest;
  return context;
}
