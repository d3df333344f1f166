/**
 * Guardrail 5: frequency caps per day and per week, across channels (one counter per customer
 * and period, whichever channel sends). Periods are the customer's local date and ISO week, so
 * "three a day" means three between the customer's midnights. The day slot is taken first; when
 * the week refuses, the day slot is given back, so a refused notification counts nowhere.
 */
import { ttlFromNow } from '../store/keys';
import type { LocalTime } from '../time';
import { customerLocalTime } from './customer-clock';
import type { ReservationStore } from './reservation-store';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

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

/** Counters outlive their period by a day (a late retry still finds its slot), then expire. */
const DAY_COUNTER_DAYS = 2;
const WEEK_COUNTER_DAYS = 8;

export interface CapReservation {
  verdict: Verdict;
  periods: CapPeriods;
}

export async function reserveCaps(
  store: ReservationStore,
  ctx: Omit<GuardrailContext, 'channel'>,
  notificationId: string,
): Promise<CapReservation> {
  const { moment, profile, now, config } = ctx;
  const periods = capPeriodsOf(customerLocalTime(now, profile, moment));
  const key = moment.customerKey;
  const nowMs = now.getTime();
  const caps = config.guardrails.caps;
  if (!(await store.takeCapSlot(key, periods.day, caps.perDay, notificationId, ttlFromNow(nowMs, DAY_COUNTER_DAYS)))) {
    return { verdict: stop('DAILY_CAP'), periods };
  }
  if (!(await store.takeCapSlot(key, periods.week, caps.perWeek, notificationId, ttlFromNow(nowMs, WEEK_COUNTER_DAYS)))) {
    await store.releaseCapSlot(key, periods.day, notificationId);
    return { verdict: stop('WEEKLY_CAP'), periods };
  }
  return { verdict: ALLOW, periods };
}

export async function releaseCaps(store: ReservationStore, customerKey: string, periods: CapPeriods, notificationId: string): Promise<void> {
  await store.releaseCapSlot(customerKey, periods.week, notificationId);
  await store.releaseCapSlot(customerKey, periods.day, notificationId);
}
