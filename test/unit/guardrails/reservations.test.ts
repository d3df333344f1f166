import { capPeriodsOf, isoWeekOf, releaseCaps, reserveCaps } from '../../../shared/guardrails/caps';
import { reserveCooldown } from '../../../shared/guardrails/cooldown';
import { InMemoryNotifyStore } from '../../../shared/notify/in-memory-notify-store';
import { config, CUSTOMER, moment, NOW, profile } from '../../fixtures/notify';

const ctx = (cfg = config()) => ({ moment: moment(), profile: profile(), now: NOW, config: cfg });

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

describe('frequency caps (DAILY_CAP / WEEKLY_CAP)', () => {
  it('allows up to the daily cap, then stops with DAILY_CAP', async () => {
    const store = new InMemoryNotifyStore();
    const cfg = config();
    cfg.guardrails.caps = { perDay: 2, perWeek: 10 };
    expect((await reserveCaps(store, ctx(cfg), 'n1')).verdict).toEqual({ ok: true });
    expect((await reserveCaps(store, ctx(cfg), 'n2')).verdict).toEqual({ ok: true });
    expect((await reserveCaps(store, ctx(cfg), 'n3')).verdict).toEqual({ ok: false, reason: 'DAILY_CAP' });
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(2);
  });
  it('stops with WEEKLY_CAP and gives the day slot back', async () => {
    const store = new InMemoryNotifyStore();
    const cfg = config();
    cfg.guardrails.caps = { perDay: 3, perWeek: 3 };
    // Three on Monday fill the week.
    const monday = { ...ctx(cfg), now: new Date('2026-11-23T12:00:00Z') };
    for (const id of ['a', 'b', 'c']) expect((await reserveCaps(store, monday, id)).verdict.ok).toBe(true);
    const r = await reserveCaps(store, ctx(cfg), 'd');
    expect(r.verdict).toEqual({ ok: false, reason: 'WEEKLY_CAP' });
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(0);
    expect(store.capCount(CUSTOMER, 'W#2026-W48')).toBe(3);
  });
  it('is idempotent per notification and releasable', async () => {
    const store = new InMemoryNotifyStore();
    const r1 = await reserveCaps(store, ctx(), 'n1');
    await reserveCaps(store, ctx(), 'n1');
    expect(store.capCount(CUSTOMER, r1.periods.day)).toBe(1);
    await releaseCaps(store, CUSTOMER, r1.periods, 'n1');
    expect(store.capCount(CUSTOMER, r1.periods.day)).toBe(0);
    expect(store.capCount(CUSTOMER, r1.periods.week)).toBe(0);
  });
  it('a cap of 0 stops everything', async () => {
    const cfg = config();
    cfg.guardrails.caps = { perDay: 0, perWeek: 0 };
    expect((await reserveCaps(new InMemoryNotifyStore(), ctx(cfg), 'n')).verdict).toEqual({ ok: false, reason: 'DAILY_CAP' });
  });
});

describe('cooldown per intent (COOLDOWN)', () => {
  it('allows the first, stops a second of the same intent within the cooldown, allows after it', async () => {
    const store = new InMemoryNotifyStore();
    const c = ctx();
    expect(await reserveCooldown(store, c, 'n1')).toEqual({ ok: true });
    expect(await reserveCooldown(store, { ...c, now: new Date(NOW.getTime() + 60_000) }, 'n2')).toEqual({ ok: false, reason: 'COOLDOWN' });
    const after = new Date(NOW.getTime() + (c.config.guardrails.cooldownMinutes.go + 1) * 60_000);
    expect(await reserveCooldown(store, { ...c, now: after }, 'n3')).toEqual({ ok: true });
  });
  it('does not hold back another intent', async () => {
    const store = new InMemoryNotifyStore();
    expect(await reserveCooldown(store, ctx(), 'n1')).toEqual({ ok: true });
    expect(await reserveCooldown(store, { ...ctx(), moment: moment({ intent: 'buy' }) }, 'n2')).toEqual({ ok: true });
  });
});
