/**
 * Properties of the notification decision over random moments, profiles and clocks, against the
 * in-memory NotifyStore (same port and semantics as DynamoDB): never a send without the
 * channel's consent, never inside quiet hours, never above the caps, never twice for one moment
 * and channel, whatever the redeliveries, concurrency and failures.
 */
import fc from 'fast-check';
import { CHANNELS, type Channel, type MomentIntent } from '../../shared/contracts/enriched';
import type { MomentDetectedDetail } from '../../shared/contracts/events';
import { capPeriodsOf, customerLocalTime, isQuietMinute } from '../../shared/guardrails';
import { decideAndSend, type DecideDeps } from '../../shared/notify/decide';
import { InMemoryNotifyStore } from '../../shared/notify/in-memory-notify-store';
import type { Profile } from '../../shared/store/profile';
import { config, CUSTOMER, momentIdOf, moment as baseMoment, profile as baseProfile } from '../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../fixtures/notify-doubles';

const ZONES = ['Europe/London', 'America/New_York', 'Asia/Singapore', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
const START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 86_400_000;

const channelArb = fc.constantFrom<Channel>(...CHANNELS);
const intentArb = fc.constantFrom<MomentIntent>('know', 'go', 'do', 'buy', 'life-event');

const profileArb: fc.Arbitrary<Profile | undefined> = fc.option(
  fc.record({
    personalization: fc.boolean(),
    push: fc.boolean(),
    email: fc.boolean(),
    sms: fc.boolean(),
    webhook: fc.boolean(),
    locationOffers: fc.boolean(),
    timezone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
  }).map(({ timezone, ...consent }) => baseProfile({ consent, timezone })),
  { nil: undefined, freq: 8 },
);

/** A moment detected `ageMin` minutes before `now`, triggered `triggerAgeMin` before that. */
const momentArb = (nowMs: number) =>
  fc
    .record({
      id: fc.integer({ min: 0, max: 1_000_000 }),
      intent: intentArb,
      consumerInitiated: fc.boolean(),
      ageMin: fc.integer({ min: 0, max: 30 }),
      triggerAgeMin: fc.integer({ min: 0, max: 40 }),
      zone: fc.constantFrom(...ZONES),
      lifeEventType: fc.constantFrom('new-home', 'moved', 'pregnancy', 'new-baby'),
    })
    .map(({ id, intent, consumerInitiated, ageMin, triggerAgeMin, zone, lifeEventType }): MomentDetectedDetail => {
      const detected = nowMs - ageMin * 60_000;
      return baseMoment({
        momentId: momentIdOf(`p${id}`),
        intent,
        consumerInitiated,
        detectedAt: new Date(detected).toISOString(),
        trigger: { messageId: `m${id}`, event: consumerInitiated ? 'Products Searched' : 'Location Entered', time: new Date(detected - triggerAgeMin * 60_000).toISOString() },
        context: { ...baseMoment().context, timezone: zone },
        ...(intent === 'life-event' ? { lifeEventType } : {}),
      });
    });

function deps(store: InMemoryNotifyStore, adapter: RecordingChannel, now: () => Date, caps = { perDay: 3, perWeek: 10 }): DecideDeps {
  const cfg = config();
  cfg.guardrails.caps = caps;
  return { config: cfg, store, adapter, publisher: new RecordingPublisher(), now };
}

describe('guardrail properties', () => {
  it('never sends without the channel consent in the profile read now, nor inside quiet hours', async () => {
    const seen = { sent: 0, suppressed: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: START, max: START + YEAR_MS }).chain((nowMs) =>
          fc.record({ nowMs: fc.constant(nowMs), moment: momentArb(nowMs), profile: profileArb, channel: channelArb }),
        ),
        async ({ nowMs, moment, profile, channel }) => {
          const store = new InMemoryNotifyStore();
          if (profile) store.profiles.set(CUSTOMER, profile);
          const adapter = new RecordingChannel(channel);
          const now = new Date(nowMs);
          const out = await decideAndSend(moment, channel, deps(store, adapter, () => now));
          if (out.status !== 'sent') {
            seen.suppressed++;
            return;
          }
          seen.sent++;
          expect(profile?.consent.personalization).toBe(true);
          expect(profile?.consent[channel]).toBe(true);
          const local = customerLocalTime(now, profile, moment);
          expect(isQuietMinute(local.minuteOfDay, config().guardrails.quietHours)).toBe(false);
          expect(adapter.sent).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: both outcomes happen.
    expect(seen.sent).toBeGreaterThan(0);
    expect(seen.suppressed).toBeGreaterThan(0);
  });

  it('never sends above the daily and weekly caps, across channels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ perDay: fc.integer({ min: 0, max: 4 }), extraWeek: fc.integer({ min: 0, max: 6 }) }),
        fc.array(fc.record({ offsetMin: fc.integer({ min: 0, max: 14 * 24 * 60 }), channel: channelArb, intent: intentArb }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...ZONES),
        async ({ perDay, extraWeek }, deliveries, zone) => {
          const caps = { perDay, perWeek: perDay + extraWeek };
          const store = new InMemoryNotifyStore();
          const profile = baseProfile({ timezone: zone });
          store.profiles.set(CUSTOMER, profile);
          const adapters = new Map(CHANNELS.map((c) => [c, new RecordingChannel(c)]));
          const sorted = [...deliveries].sort((a, b) => a.offsetMin - b.offsetMin);
          const sentAt: { momentId: string; at: Date }[] = [];
          for (const [i, d] of sorted.entries()) {
            const now = new Date(START + d.offsetMin * 60_000);
            const m = baseMoment({
              momentId: momentIdOf(`cap${i}`),
              intent: d.intent,
              lifeEventType: 'new-home',
              detectedAt: now.toISOString(),
              trigger: { messageId: `t${i}`, event: 'Products Searched', time: now.toISOString() },
            });
            const dep = deps(store, adapters.get(d.channel) as RecordingChannel, () => now, caps);
            // No cooldown, no quiet hours: let the caps be the only limit.
            dep.config.guardrails.cooldownMinutes = { know: 0, go: 0, do: 0, buy: 0, 'life-event': 0 };
            dep.config.guardrails.quietHours = { start: '00:00', end: '00:00' };
            const out = await decideAndSend(m, d.channel, dep);
            if (out.status === 'sent') sentAt.push({ momentId: m.momentId, at: now });
          }
          const perDayCount = new Map<string, number>();
          const perWeekCount = new Map<string, number>();
          for (const s of sentAt) {
            const p = capPeriodsOf(customerLocalTime(s.at, profile, baseMoment()));
            perDayCount.set(p.day, (perDayCount.get(p.day) ?? 0) + 1);
            perWeekCount.set(p.week, (perWeekCount.get(p.week) ?? 0) + 1);
          }
          for (const n of perDayCount.values()) expect(n).toBeLessThanOrEqual(caps.perDay);
          for (const n of perWeekCount.values()) expect(n).toBeLessThanOrEqual(caps.perWeek);
          const totalSends = [...adapters.values()].reduce((a, c) => a + c.sent.length, 0);
          expect(totalSends).toBe(sentAt.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never sends twice for one moment and channel, under redelivery, concurrency and failures', async () => {
    let totalSent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            moment: fc.integer({ min: 0, max: 3 }),
            channel: channelArb,
            copies: fc.integer({ min: 1, max: 3 }),
            channelFails: fc.boolean(),
            publishFails: fc.boolean(),
            laterMin: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (deliveries) => {
          const store = new InMemoryNotifyStore();
          store.profiles.set(CUSTOMER, baseProfile({ consent: { personalization: true, push: true, email: true, sms: true, webhook: true } }));
          const adapters = new Map(CHANNELS.map((c) => [c, new RecordingChannel(c)]));
          const publisher = new RecordingPublisher();
          const cfg = config();
          cfg.guardrails.caps = { perDay: 100, perWeek: 100 };
          cfg.guardrails.cooldownMinutes = { know: 0, go: 0, do: 0, buy: 0, 'life-event': 0 };
          cfg.guardrails.quietHours = { start: '00:00', end: '00:00' };
          let clock = Date.parse('2026-11-24T12:00:00Z');
          for (const d of deliveries) {
            clock += d.laterMin * 60_000;
            const now = new Date(clock);
            const m = baseMoment({
              momentId: momentIdOf(`dup${d.moment}`),
              detectedAt: new Date(clock - 60_000).toISOString(),
              trigger: { messageId: `t${d.moment}`, event: 'Products Searched', time: new Date(clock - 60_000).toISOString() },
            });
            const adapter = adapters.get(d.channel) as RecordingChannel;
            if (d.channelFails) adapter.script.push('unavailable');
            if (d.publishFails) publisher.failNext = 1;
            const dep: DecideDeps = { config: cfg, store, adapter, publisher, now: () => now };
            // Several copies of the same event at once; errors are what Lambda would retry.
            await Promise.allSettled(Array.from({ length: d.copies }, () => decideAndSend(m, d.channel, dep)));
          }
          for (const adapter of adapters.values()) {
            totalSent += adapter.sent.length;
            const ids = adapter.sent.map((s) => s.message.momentId);
            expect(new Set(ids).size).toBe(ids.length);
          }
          // A redelivery after the decision's lease may publish its event again (shared/notify/decide.ts):
          // only ever as an exact copy, which subscribers drop by notificationId.
          const published = new Map<string, string>();
          for (const e of publisher.events.filter((x) => x.detailType === 'Notification Sent')) {
            const id = (e.detail as { notificationId: string }).notificationId;
            expect(published.get(id) ?? JSON.stringify(e.detail)).toBe(JSON.stringify(e.detail));
            published.set(id, JSON.stringify(e.detail));
          }
          const sentIds = [...adapters.values()].flatMap((a) => a.sent.map((x) => x.message.notificationId));
          for (const id of published.keys()) expect(sentIds).toContain(id);
        },
      ),
      { numRuns: 200 },
    );
    expect(totalSent).toBeGreaterThan(0);
  });
});
