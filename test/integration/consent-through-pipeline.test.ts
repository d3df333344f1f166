/**
 * Issue 9, finding 3, end to end: generated orderings of grants, revocations and plain signals for
 * one customer, stamped by clocks up to 10 minutes off either way, through the whole local pipeline
 * (the deployed enrich, score and notify handlers on kinesalite and dynalite, redeliveries from
 * crashes before the checkpoint). The signals arrive in segments, each processed to the end before
 * the next arrives; the enrich handler is watched to know which records each invocation got.
 *
 * Nothing is enriched, and nothing is sent on a channel, that the latest choice at the signal's
 * arrival or at the end of its delivery refuses: a revocation wins by arrival, whatever any
 * timestamp says, and applies to the signals before it in its batch. (A redelivery after a crash
 * may hold more records than the first delivery, a revocation among them: the signal was enriched
 * by the delivery before it, which is allowed, so one delivery of the signal must allow it.) (The same property over many more orderings, batch by batch, is
 * test/property/consent-order.property.test.ts; this one adds score and notify.)
 */
import fc from 'fast-check';
import { putRecords } from '../../shared/adapters/kinesis';
import { loadConfig, type MicroMomentsConfig } from '../../shared/config';
import { customerKeyOf, messageDigestOf } from '../../shared/enrich/pseudonymise';
import type { EnrichedSignal } from '../../shared/contracts';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../../shared/contracts/events';
import { LocalPipeline } from '../../local/pipeline';
import type { BusEvent } from '../../local/bus';
import type { KinesisHandler } from '../../local/poller';
import { readStream } from '../fixtures/faults/inspect';

const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Quiet hours away from now, and no cooldown or cap in the way: every allowed moment can be sent. */
function testConfig(): MicroMomentsConfig {
  const base = loadConfig({ stage: 'local' });
  const now = Date.now();
  const intents = Object.fromEntries(Object.entries(base.scoring.intents).map(([k, v]) => [k, { ...v, cooldownMinutes: 0 }])) as MicroMomentsConfig['scoring']['intents'];
  return {
    ...base,
    scoring: { ...base.scoring, intents },
    guardrails: {
      ...base.guardrails,
      quietHours: { start: hhmm(now + 3 * 60 * MINUTE), end: hhmm(now + 4 * 60 * MINUTE) },
      caps: { perDay: 1000, perWeek: 1000 },
      cooldownMinutes: { know: 0, go: 0, do: 0, buy: 0, 'life-event': 0 },
    },
  };
}

type Kind = 'grant' | 'revoke' | 'no-webhook' | 'plain';
const CHOICES: Record<Exclude<Kind, 'plain'>, Record<string, boolean>> = {
  grant: { personalization: true, push: true, webhook: true },
  revoke: { personalization: false, push: true, webhook: true },
  'no-webhook': { personalization: true, push: true, webhook: false },
};
const allows = (kind: Kind | undefined, channel: 'push' | 'webhook' | 'any'): boolean =>
  kind !== undefined && kind !== 'plain' && CHOICES[kind].personalization && (channel === 'any' || CHOICES[kind][channel]);

let pipeline: LocalPipeline;
const events: BusEvent[] = [];
/** The messageIds of each enrich invocation, in order. */
const deliveries: string[][] = [];
const watch = (handler: KinesisHandler): KinesisHandler => async (event, context) => {
  deliveries.push(event.Records.map((r) => String((JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as { messageId?: unknown }).messageId)));
  return handler(event, context);
};
let crashesLeft = 0;
const crashed = new Set<string>();
const crashOnce = ({ records }: { records: { sequenceNumber: string }[] }) => {
  if (crashesLeft <= 0 || crashed.has(records[0].sequenceNumber)) return false;
  crashed.add(records[0].sequenceNumber);
  crashesLeft--;
  return true;
};

beforeAll(async () => {
  pipeline = await LocalPipeline.start({
    config: testConfig(),
    pollIntervalMs: 20,
    retryDelayMs: 2,
    busRetryDelayMs: 5,
    faults: { enrich: { crashBeforeCheckpoint: crashOnce } },
    wrap: { enrich: watch },
  });
  pipeline.bus.on('*', (e) => events.push(e));
}, 60_000);
afterAll(async () => pipeline?.stop());

const recArb = fc.record({
  kind: fc.constantFrom<Kind>('grant', 'revoke', 'no-webhook', 'plain', 'plain'),
  offsetMs: fc.oneof(fc.integer({ min: -10 * MINUTE, max: 0 }), fc.integer({ min: 0, max: 9 * MINUTE })),
});

let run = 0;
let enrichedTotal = 0;
let deliveredTotal = 0;

test('a revocation wins by arrival: nothing after it, or before it in the same delivery, is enriched or notified', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(recArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(2), async (segments, crashes) => {
      run++;
      crashesLeft = crashes;
      const userId = `consent-${run}@example.com`;
      const key = customerKeyOf(pipeline.config.localPepper, 'user', userId);
      const kinds: Kind[] = [];
      const position = new Map<string, number>();
      for (const segment of segments) {
        const now = Date.now();
        const records = segment.map((r, k) => {
          const messageId = `${run}-${kinds.length + k}`;
          position.set(messageId, kinds.length + k);
          // The enriched stream and the moments carry the message's digest, never the id.
          position.set(messageDigestOf(pipeline.config.localPepper, messageId), kinds.length + k);
          const context = { timezone: 'UTC', device: { type: 'ios' }, ...(r.kind === 'plain' ? {} : { consent: { categoryPreferences: CHOICES[r.kind] } }) };
          const signal = { type: 'track', event: 'Products Searched', messageId, timestamp: new Date(now + r.offsetMs).toISOString(), userId, properties: { query: 'best coffee reviews near me' }, context };
          return { partitionKey: userId, data: Buffer.from(JSON.stringify(signal)) };
        });
        kinds.push(...segment.map((r) => r.kind));
        const put = await putRecords(pipeline.emulators.clients.kinesis, pipeline.emulators.streams.signals.name, records);
        expect(put.failed).toEqual([]);
        await pipeline.drain();
      }
      const lastChoice = (upTo: number): Kind | undefined => {
        for (let i = upTo; i >= 0; i--) if (kinds[i] !== 'plain') return kinds[i];
        return undefined;
      };
      /** The last position of every delivery that held each signal. */
      const deliveryEnds = new Map<number, number[]>();
      for (const d of deliveries) {
        const ps = d.map((id) => position.get(id)).filter((p): p is number => p !== undefined);
        for (const p of ps) deliveryEnds.set(p, [...(deliveryEnds.get(p) ?? []), Math.max(...ps)]);
      }
      const allowed = (p: number, channel: 'push' | 'webhook' | 'any') =>
        allows(lastChoice(p), channel) && (deliveryEnds.get(p) ?? []).some((end) => allows(lastChoice(end), channel));

      const enriched = (await readStream(pipeline.emulators.clients.kinesis, pipeline.emulators.streams.enriched))
        .map((r) => JSON.parse(r.data.toString('utf8')) as EnrichedSignal)
        .filter((s) => s.customerKey === key);
      for (const s of enriched) {
        const p = position.get(s.messageId) as number;
        expect(p).toBeDefined();
        expect(allowed(p, 'any')).toBe(true);
        for (const channel of ['push', 'webhook'] as const) if (!allowed(p, channel)) expect(s.consent.channels).not.toContain(channel);
      }
      const triggerOf = new Map(
        events
          .filter((e) => e['detail-type'] === DETAIL_TYPES.momentDetected && (e.detail as MomentDetectedDetail).customerKey === key)
          .map((e) => [(e.detail as MomentDetectedDetail).momentId, (e.detail as MomentDetectedDetail).trigger.messageId]),
      );
      const sent = [
        ...pipeline.delivered('webhook').filter((w) => w.customerKey === key).map((w) => ({ channel: 'webhook' as const, momentId: w.momentId })),
        ...pipeline.delivered('push').filter((m) => m.customerKey === key).map((m) => ({ channel: 'push' as const, momentId: m.momentId })),
      ];
      for (const d of sent) {
        const p = position.get(triggerOf.get(d.momentId) as string) as number;
        expect(p).toBeDefined();
        expect(allowed(p, d.channel)).toBe(true);
      }
      enrichedTotal += enriched.length;
      deliveredTotal += sent.length;
    }),
    // Each run drives the whole pipeline: report the first failure rather than shrink for minutes.
    { numRuns: 5, endOnFailure: true },
  );
  // Not vacuous: some signals were enriched and some notifications sent across the runs.
  expect(enrichedTotal).toBeGreaterThan(0);
  expect(deliveredTotal).toBeGreaterThan(0);
}, 180_000);
