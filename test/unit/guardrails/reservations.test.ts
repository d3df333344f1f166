import { capKeepFrom, capPeriodsOf, isoWeekOf } from '../../../shared/guardrails/caps';
import { cooldownUntil } from '../../../shared/guardrails/cooldown';
import {
  capCounts,
  checkCaps,
  checkCooldown,
  emptyReservations,
  holdsAny,
  pruneReservations,
  release,
  reserve,
  type Reservations,
} from '../../../shared/guardrails/reservations';
import { config, NOW } from '../../fixtures/notify';

const TUESDAY = capPeriodsOf({ year: 2026, month: 11, day: 24 });
const MONDAY = capPeriodsOf({ year: 2026, month: 11, day: 23 });
const SUNDAY_BEFORE = capPeriodsOf({ year: 2026, month: 11, day: 22 });

/** Takes a slot (and the go cooldown) for each id whose caps allow it, as a decision would. */
function take(r: Reservations, ids: string[], periods = TUESDAY, caps = { perDay: 3, perWeek: 10 }): { r: Reservations; refused: string[] } {
  const refused: string[] = [];
  for (const id of ids) {
    const v = checkCaps(r, periods, caps, id);
    if (v.ok) r = reserve(r, id, periods, 'go', 0);
    else refused.push(`${id}:${v.reason}`);
  }
  return { r, refused };
}

describe('ISO weeks and cap periods', () => {
  it.each([
    [2026, 11, 24, 2026, 48],
    [2021, 1, 3, 2020, 53],
    [2024, 12, 30, 2025, 1],
    [2026, 1, 1, 2026, 1],
  ])('%i-%i-%i is in %i-W%i', (y, m, d, wy, w) => {
    expect(isoWeekOf(y, m, d)).toEqual({ year: wy, week: w });
  });
  it('formats the day and week periods', () => {
    expect(capPeriodsOf({ year: 2026, month: 11, day: 24 })).toEqual({ day: 'D#2026-11-24', week: 'W#2026-W48' });
  });
});

describe('frequency caps (DAILY_CAP / WEEKLY_CAP) over the NOTIFY item reservations', () => {
  it('allows up to the daily cap, then stops with DAILY_CAP', () => {
    const { r, refused } = take(emptyReservations(), ['n1', 'n2', 'n3'], TUESDAY, { perDay: 2, perWeek: 10 });
    expect(refused).toEqual(['n3:DAILY_CAP']);
    expect(capCounts(r, TUESDAY, '')).toEqual({ day: 2, week: 2, held: false });
  });
  it('counts the days of one ISO week for WEEKLY_CAP, and takes no day slot when the week refuses', () => {
    let { r } = take(emptyReservations(), ['a', 'b', 'c'], MONDAY, { perDay: 3, perWeek: 3 });
    // Sunday before is the week before: it does not count.
    r = take(r, ['z'], SUNDAY_BEFORE, { perDay: 3, perWeek: 3 }).r;
    const t = take(r, ['d'], TUESDAY, { perDay: 3, perWeek: 3 });
    expect(t.refused).toEqual(['d:WEEKLY_CAP']);
    expect(capCounts(t.r, TUESDAY, '')).toEqual({ day: 0, week: 3, held: false });
  });
  it('is idempotent per decision and given back wholly', () => {
    const { r } = take(emptyReservations(), ['n1', 'n1']);
    expect(capCounts(r, TUESDAY, '').day).toBe(1);
    expect(checkCaps(r, TUESDAY, { perDay: 1, perWeek: 1 }, 'n1')).toEqual({ ok: true });
    expect(holdsAny(r, 'n1')).toBe(true);
    const back = release(r, 'n1');
    expect(capCounts(back, TUESDAY, '')).toEqual({ day: 0, week: 0, held: false });
    expect(holdsAny(back, 'n1')).toBe(false);
    expect(back.cooldowns.size).toBe(0);
  });
  it('a cap of 0 stops everything', () => {
    expect(checkCaps(emptyReservations(), TUESDAY, { perDay: 0, perWeek: 0 }, 'n')).toEqual({ ok: false, reason: 'DAILY_CAP' });
  });
  it('keeps the days of the current ISO week and yesterday, nothing older', () => {
    expect(capKeepFrom({ year: 2026, month: 11, day: 24 })).toBe('2026-11-23');
    // On a Monday, yesterday (the Sunday of the week before) is kept for a retry across midnight.
    expect(capKeepFrom({ year: 2026, month: 11, day: 23 })).toBe('2026-11-22');
    let { r } = take(emptyReservations(), ['a'], SUNDAY_BEFORE);
    r = take(r, ['b'], MONDAY).r;
    expect([...pruneReservations(r, '2026-11-23', 0).capDays.keys()]).toEqual(['2026-11-23']);
  });
});

describe('cooldown per intent (COOLDOWN) over the NOTIFY item reservations', () => {
  it('allows the first, stops a second of the same intent within the cooldown, allows after it', () => {
    const cfg = config();
    const until = cooldownUntil(cfg, 'go', NOW.getTime());
    expect(until - NOW.getTime()).toBe(cfg.guardrails.cooldownMinutes.go * 60_000);
    const r = reserve(emptyReservations(), 'n1', TUESDAY, 'go', until);
    expect(checkCooldown(r, 'go', NOW.getTime() + 60_000, 'n2')).toEqual({ ok: false, reason: 'COOLDOWN' });
    expect(checkCooldown(r, 'go', NOW.getTime() + 60_000, 'n1')).toEqual({ ok: true });
    expect(checkCooldown(r, 'go', until, 'n3')).toEqual({ ok: true });
    expect(pruneReservations(r, '2026-11-23', until).cooldowns.size).toBe(0);
  });
  it('does not hold back another intent', () => {
    const r = reserve(emptyReservations(), 'n1', TUESDAY, 'go', NOW.getTime() + 3_600_000);
    expect(checkCooldown(r, 'buy', NOW.getTime(), 'n2')).toEqual({ ok: true });
  });
});
