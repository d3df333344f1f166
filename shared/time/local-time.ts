/**
 * Local wall-clock time from an IANA time zone, with Intl only (no tz database of our own).
 * It runs once per record, so formatters are cached per zone and the zone's UTC offset is
 * cached per 15-minute slice of UTC: every offset change (DST, and the half- and
 * quarter-hour zones) happens on a 15-minute boundary of UTC, so a slice has one offset.
 */
import type { Daypart } from '../contracts/enriched';

export interface LocalTime {
  /** `YYYY-MM-DDTHH:mm`, local. */
  localTime: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday .. 6 = Saturday, local. */
  weekday: number;
  /** Minutes after local midnight, 0..1439. */
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      f = null;
    }
    // Producers can send anything as a zone; a bounded cache keeps a flood of junk harmless.
    if (formatters.size > 1000) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone Intl knows (IANA names and `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === 'string' && timeZone.length > 0 && formatterFor(timeZone) !== null;
}

const SLICE_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC in minutes at `ms` (e.g. 60 for Europe/Paris in winter). */
export function utcOffsetMinutes(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / SLICE_MS)}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  const f = formatterFor(timeZone);
  if (!f) throw new RangeError(`not an IANA time zone: ${JSON.stringify(timeZone)}`);
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  const offset = Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local date and time of an instant in a zone. Throws RangeError for an unknown zone. */
export function localTimeOf(instant: Date | number, timeZone: string): LocalTime {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const local = new Date(ms + utcOffsetMinutes(ms, timeZone) * 60_000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const hour = local.getUTCHours();
  const minute = local.getUTCMinutes();
  return {
    localTime: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`,
    year,
    month,
    day,
    hour,
    minute,
    weekday: local.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

/**
 * Dayparts by local hour (the scorer weighs them, docs/SCORING.md):
 * night 00-05, morning 06-10, midday 11-13, afternoon 14-17, evening 18-21, night 22-23.
 */
export function daypartOf(hour: number): Daypart {
  if (hour < 6) return 'night';
  if (hour < 11) return 'morning';
  if (hour < 14) return 'midday';
  if (hour < 18) return 'afternoon';
  if (hour < 22) return 'evening';
  return 'night';
}

/** Saturday and Sunday. */
export const isWeekend = (weekday: number): boolean => weekday === 0 || weekday === 6;
