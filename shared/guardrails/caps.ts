/**
 * Guardrail 5: frequency caps per day and per week, across channels (one counter per customer
 * and period, whichever channel sends). Periods are the customer's local date and ISO week, so
 * "three a day" means three between the customer's midnights. The slots themselves are held in
 * the customer's NOTIFY item (reservations.ts: one slot per day, counted for its week too).
 */
import type { LocalTime } from '../time';

export interface CapPeriods {
  /** `D#2026-11-23` */
  day: string;
  /** `W#2026-W48` */
  week: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ISO 8601 week of a calendar date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeekOf(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - mondayBased) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000));
  return { year: isoYear, week };
}

export function capPeriodsOf(local: Pick<LocalTime, 'year' | 'month' | 'day'>): CapPeriods {
  const w = isoWeekOf(local.year, local.month, local.day);
  return {
    day: `D#${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`,
    week: `W#${pad(w.year, 4)}-W${pad(w.week)}`,
  };
}

const ymd = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/**
 * The first local day whose cap slots may still count: the Monday of the current ISO week (the
 * week count), or yesterday if earlier (a retry of a decision taken before midnight finds its slot).
 */
export function capKeepFrom(local: Pick<LocalTime, 'year' | 'month' | 'day'>): string {
  const today = Date.UTC(local.year, local.month - 1, local.day);
  const mondayBased = (new Date(today).getUTCDay() + 6) % 7;
  return ymd(today - Math.max(mondayBased, 1) * 86_400_000);
}
