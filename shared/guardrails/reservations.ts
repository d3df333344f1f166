/**
 * The reservations of guardrails 5 and 6 (frequency caps, cooldown) as one value, held in the
 * customer's NOTIFY item (shared/notify/notify-item.ts) and written with that item's version
 * condition, so checking and taking a reservation is one decision over one read: N concurrent
 * invocations cannot take more than there is (a write that lost the race is refused and the
 * loser decides again on a fresh read). Every function here is pure.
 *
 * - Caps: per local day of the customer, the notifications (decision keys) holding a slot that
 *   day. The week count is the sum of the days of that ISO week, so a slot is taken once and
 *   counts for both periods; a refused notification counts nowhere.
 * - Cooldown: per intent, which notification holds it and until when.
 *
 * Reservations belong to the decision key, so a retry of a decision re-finds its own instead of
 * taking a second one, and giving back removes them wherever they are.
 */
import { isoWeekOf, type CapPeriods } from './caps';
import { ALLOW, stop, type Verdict } from './types';

export interface Reservations {
  /** Local date (`2026-11-24`) → decision keys holding a slot that day. */
  capDays: Map<string, string[]>;
  /** Intent → the decision key holding its cooldown and until when (epoch ms). */
  cooldowns: Map<string, { holder: string; untilMs: number }>;
}

export const emptyReservations = (): Reservations => ({ capDays: new Map(), cooldowns: new Map() });

/** `D#2026-11-24` → `2026-11-24`. */
export const dayOfPeriod = (day: string): string => day.replace(/^D#/, '');

/** The ISO week (`2026-W48`) of a local date `2026-11-24`. */
export function weekOfDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const w = isoWeekOf(y as number, m as number, d as number);
  return `${String(w.year).padStart(4, '0')}-W${String(w.week).padStart(2, '0')}`;
}

/** Slots taken by others on the day of `periods` and in its week. */
export function capCounts(r: Reservations, periods: CapPeriods, own: string): { day: number; week: number; held: boolean } {
  const day = dayOfPeriod(periods.day);
  const week = weekOfDay(day);
  let dayCount = 0;
  let weekCount = 0;
  let held = false;
  for (const [d, holders] of r.capDays) {
    if (weekOfDay(d) !== week) continue;
    for (const h of holders) {
      if (h === own) {
        if (d === day) held = true;
        continue;
      }
      weekCount++;
      if (d === day) dayCount++;
    }
  }
  return { day: dayCount, week: weekCount, held };
}

/** Guardrail 5 over the reservations: a slot this decision already holds is its own. */
export function checkCaps(r: Reservations, periods: CapPeriods, caps: { perDay: number; perWeek: number }, own: string): Verdict {
  const c = capCounts(r, periods, own);
  if (c.held) return ALLOW;
  if (c.day >= caps.perDay) return stop('DAILY_CAP');
  if (c.week >= caps.perWeek) return stop('WEEKLY_CAP');
  return ALLOW;
}

/** Guardrail 6 over the reservations: free when none, run out, or this decision's own. */
export function checkCooldown(r: Reservations, intent: string, nowMs: number, own: string): Verdict {
  const c = r.cooldowns.get(intent);
  return !c || c.untilMs <= nowMs || c.holder === own ? ALLOW : stop('COOLDOWN');
}

/** Takes (or keeps) a cap slot on `periods.day` and the cooldown of `intent` until `untilMs`. */
export function reserve(r: Reservations, own: string, periods: CapPeriods, intent: string, untilMs: number): Reservations {
  const day = dayOfPeriod(periods.day);
  const capDays = new Map(r.capDays);
  const holders = capDays.get(day) ?? [];
  if (!holders.includes(own)) capDays.set(day, [...holders, own]);
  const cooldowns = new Map(r.cooldowns);
  cooldowns.set(intent, { holder: own, untilMs });
  return { capDays, cooldowns };
}

/** Whether this decision holds a cap slot or a cooldown. */
export function holdsAny(r: Reservations, own: string): boolean {
  for (const holders of r.capDays.values()) if (holders.includes(own)) return true;
  for (const c of r.cooldowns.values()) if (c.holder === own) return true;
  return false;
}

/** Gives back whatever this decision holds (a no-op when it holds nothing). */
export function release(r: Reservations, own: string): Reservations {
  const capDays = new Map<string, string[]>();
  for (const [d, holders] of r.capDays) {
    const kept = holders.filter((h) => h !== own);
    if (kept.length > 0) capDays.set(d, kept);
  }
  const cooldowns = new Map([...r.cooldowns].filter(([, c]) => c.holder !== own));
  return { capDays, cooldowns };
}

/**
 * Drops what can no longer count: days before `keepFromDay` (the caller passes the first day of
 * last ISO week's tail it still needs) and cooldowns that have run out.
 */
export function pruneReservations(r: Reservations, keepFromDay: string, nowMs: number): Reservations {
  return {
    capDays: new Map([...r.capDays].filter(([d]) => d >= keepFromDay)),
    cooldowns: new Map([...r.cooldowns].filter(([, c]) => c.untilMs > nowMs)),
  };
}
