/**
 * Concurrent decisions for one customer, interleaved by fast-check's scheduler at every store
 * call (the NOTIFY item's read and version-guarded write, the audit reads and puts), with
 * redeliveries, channel failures (retried as Lambda would, after the lease), 4xx rejections and
 * writes refused as if another invocation had written first. Whatever the interleaving:
 * - the caps are never exceeded (per day, per week), counted by what the channels received;
 * - each moment and channel reaches its channel at most once, and is recorded (audit) once;
 * - a suppression gives its reservations back: when every event has been decided, the cap slots
 *   and cooldowns held are exactly those of the notifications sent.
 */
import fc from 'fast-check';
import { CHANNELS, type Channel, type MomentIntent } from '../../../shared/contracts/enriched';
import { decideAndSend, type DecideDeps } from '../../../shared/notify/decide';
import { InMemoryNotifyStore } from '../../../shared/notify/in-memory-notify-store';
import { decisionKeyOf } from '../../../shared/notify/notify-item';
import type { NotifyStore } from '../../../shared/notify/notify-store';
import { config, CUSTOMER, moment, momentIdOf, NOW, profile } from '../../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../../fixtures/notify-doubles';

const INTENTS: MomentIntent[] = ['know', 'go', 'do', 'buy'];

/** The store with every call a task of the scheduler: the property decides in which order they complete. */
function scheduled(s: fc.Scheduler, store: InMemoryNotifyStore): NotifyStore {
  return {
    getCustomer: s.scheduleFunction((k: string) => store.getCustomer(k)),
    writeNotify: s.scheduleFunction((...a: Parameters<NotifyStore['writeNotify']>) => store.writeNotify(...a)),
    getAudit: s.scheduleFunction((...a: Parameters<NotifyStore['getAudit']>) => store.getAudit(...a)),
    findAudit: s.scheduleFunction((...a: Parameters<NotifyStore['findAudit']>) => store.findAudit(...a)),
    putAudit: s.scheduleFunction((r: Parameters<NotifyStore['putAudit']>[0]) => store.putAudit(r)),
  };
}

const deliveryArb = fc.record({
  moment: fc.integer({ min: 0, max: 5 }),
  channel: fc.constantFrom<Channel>(...CHANNELS),
  copies: fc.integer({ min: 1, max: 3 }),
  channelAnswer: fc.constantFrom('delivered', 'delivered', 'unavailable', 'rejected'),
});

test('caps never exceeded, each moment and channel sent at most once, suppressions give back', async () => {
  let sentTotal = 0;
  let suppressedTotal = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(deliveryArb, { minLength: 1, maxLength: 12 }),
      fc.record({ perDay: fc.integer({ min: 0, max: 3 }), perWeek: fc.integer({ min: 1, max: 4 }) }),
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      async (s, deliveries, caps, refusedWrites, cooldowns) => {
        const store = new InMemoryNotifyStore();
        store.profiles.set(CUSTOMER, profile());
        store.failNextWrites = refusedWrites;
        const cfg = config();
        cfg.guardrails.caps = caps;
        cfg.guardrails.quietHours = { start: '00:00', end: '00:00' };
        if (!cooldowns) cfg.guardrails.cooldownMinutes = { know: 0, go: 0, do: 0, buy: 0, 'life-event': 0 };
        const adapters = new Map(CHANNELS.map((c) => [c, new RecordingChannel(c)]));
        const publisher = new RecordingPublisher();
        const shared = scheduled(s, store);
        let clock = NOW.getTime();
        const momentOf = (i: number) => moment({ momentId: momentIdOf(`conc${i}`), intent: INTENTS[i % INTENTS.length] });
        const decide = (d: (typeof deliveries)[number]) =>
          decideAndSend(momentOf(d.moment), d.channel, {
            config: cfg,
            store: shared,
            adapter: adapters.get(d.channel) as RecordingChannel,
            publisher,
            now: () => new Date(clock),
            leaseMs: 30_000,
          } satisfies DecideDeps);

        for (const d of deliveries) if (d.channelAnswer !== 'delivered') (adapters.get(d.channel) as RecordingChannel).script.push(d.channelAnswer as 'unavailable' | 'rejected');
        // Every copy of every event at once; whatever throws is retried later, as Lambda would.
        let pending = deliveries.flatMap((d) => Array.from({ length: d.copies }, () => d));
        for (let round = 0; pending.length > 0 && round < 6; round++) {
          const settled = await s.waitFor(Promise.allSettled(pending.map(decide)));
          pending = pending.filter((_, i) => settled[i]?.status === 'rejected');
          clock += 60_000;
        }
        expect(pending).toEqual([]);

        const sent = [...adapters.values()].flatMap((a) => a.sent.map((x) => x.message));
        const decided = new Set(sent.map((m) => `${m.momentId}/${m.channel}`));
        expect(decided.size).toBe(sent.length);
        expect(sent.length).toBeLessThanOrEqual(Math.min(caps.perDay, caps.perWeek));
        const audits = [...store.audit.values()];
        expect(new Set(audits.map((a) => a.notificationId)).size).toBe(audits.length);
        for (const m of sent) expect(audits.find((a) => a.notificationId === m.notificationId)?.outcome).toBe('sent');
        // Held reservations are exactly the sent notifications'.
        const sentKeys = sent.map((m) => decisionKeyOf(m.notificationId)).sort();
        const r = store.notifyOf(CUSTOMER).reservations;
        expect([...r.capDays.values()].flat().sort()).toEqual(sentKeys);
        for (const c of r.cooldowns.values()) expect(sentKeys).toContain(c.holder);
        sentTotal += sent.length;
        suppressedTotal += audits.filter((a) => a.outcome === 'suppressed').length;
      },
    ),
    { numRuns: 60 },
  );
  // The runs exercised both sides.
  expect(sentTotal).toBeGreaterThan(0);
  expect(suppressedTotal).toBeGreaterThan(0);
});
