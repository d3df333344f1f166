/**
 * "Open now" in the location's own time zone. Hours are `HH:mm-HH:mm` per weekday (0 = Sunday);
 * a missing day is closed; an end at or before the start runs past midnight into the next day
 * (`18:00-02:00`), and `24:00` means midnight at the end of the day.
 */
import type { Location } from '../config/types';
import { localTimeOf } from '../time/local-time';

type Day = keyof Location['openingHours'];

const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const parsed = new Map<string, { start: number; end: number } | null>();

/** `09:00-17:30` → minutes after midnight; null for a malformed range (treated as closed). */
export function parseHours(range: string): { start: number; end: number } | null {
  let hit = parsed.get(range);
  if (hit !== undefined) return hit;
  const m = RANGE.exec(range);
  hit = m ? { start: Number(m[1]) * 60 + Number(m[2]), end: Number(m[3]) * 60 + Number(m[4]) } : null;
  if (hit && (hit.start >= 24 * 60 || hit.end > 24 * 60)) hit = null;
  parsed.set(range, hit);
  return hit;
}

function hoursOf(location: Location, weekday: number) {
  const range = location.openingHours[String(weekday) as Day];
  return range ? parseHours(range) : null;
}

export function isOpenAt(location: Location, instant: Date | number): boolean {
  const local = localTimeOf(instant, location.timezone);
  const m = local.minuteOfDay;
  const today = hoursOf(location, local.weekday);
  if (today) {
    if (today.end > today.start ? m >= today.start && m < today.end : m >= today.start) return true;
  }
  const yesterday = hoursOf(location, (local.weekday + 6) % 7);
  return !!yesterday && yesterday.end <= yesterday.start && m < yesterday.end;
}
