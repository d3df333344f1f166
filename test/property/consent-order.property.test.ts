/**
 * Issue 9, finding 3, as an attacker would try it: generated orderings of grants, revocations and
 * plain signals for one customer, stamped by clocks up to 10 minutes off either way (the most a
 * signal may run ahead and still be accepted), cut into batches, some delivered again whole or
 * from a record in the middle (as Lambda redelivers after a failure). Whatever the timestamps say:
 *
 * - a signal is never enriched once the latest choice that arrived before it revokes
 *   personalization, nor when a revocation arrives later in the same delivery;
 * - nor for a channel the latest choice at its arrival or at the end of its delivery refuses;
 * - a redelivery is enriched exactly as the first delivery was;
 * - and, so the test cannot pass by dropping everything: with grants only, a signal is enriched
 *   exactly when a grant arrived before it and some grant applied by the end of its delivery was
 *   made (its timestamp, or its arrival when stamped beyond the skew) no later than the signal.
 */
import fc from 'fast-check';
import { enrichBatch, type EnrichInput, type EnrichOutcome } from '../../shared/enrich/pipeline';
import { InMemoryProfileStore } from '../../shared/store/profile-store';
import { defaultConfig } from '../../shared/config/defaults';
import { choiceTimeMs } from '../../shared/stream/arrival';

const PEPPER = 'consent-order-pepper';
const START = Date.parse('2026-11-23T12:00:00.000Z');
const SKEW_MS = defaultConfig.signalTimeWindow.consentSkewSeconds * 1000;
const MAX_AHEAD_MS = (defaultConfig.signalTimeWindow.maxFutureMinutes - 1) * 60_000;

type Kind = 'grant' | 'revoke' | 'no-webhook' | 'plain';
const CHOICES: Record<Exclude<Kind, 'plain'>, Record<string, boolean>> = {
  grant: { personalization: true, push: true, webhook: true },
  revoke: { personalization: false, push: true, webhook: true },
  'no-webhook': { personalization: true, push: true, webhook: false },
};

interface Rec {
  kind: Kind;
  /** Timestamp minus arrival: a slow clock, an honest one, or one running fast. */
  offsetMs: number;
  /** Arrival after the previous record's. */
  gapMs: number;
}

interface Delivery {
  /** Positions of the records, in stream order. */
  positions: number[];
  outcomes: EnrichOutcome[];
}

const recArb = (kinds: Kind[], maxAheadMs: number): fc.Arbitrary<Rec> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    offsetMs: fc.oneof(fc.integer({ min: -10 * 60_000, max: 0 }), fc.integer({ min: 0, max: maxAheadMs }), fc.constant(0)),
    gapMs: fc.integer({ min: 1, max: 90_000 }),
  });

/** Batches as sizes, and per batch: delivered again (from which record), or not. */
const planArb = (kinds: Kind[], maxAheadMs: number) =>
  fc
    .array(recArb(kinds, maxAheadMs), { minLength: 1, maxLength: 24 })
    .chain((recs) =>
      fc.record({
        recs: fc.constant(recs),
        cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: recs.length, maxLength: recs.length }),
        again: fc.array(fc.option(fc.nat(7), { nil: undefined }), { minLength: recs.length, maxLength: recs.length }),
      }),
    );

function build(recs: Rec[]) {
  let arrival = START;
  return recs.map((r, i) => {
    arrival += r.gapMs;
    const timestampMs = arrival + r.offsetMs;
    const signal = {
      type: 'track',
      event: 'Products Searched',
      messageId: `m-${i}`,
      timestamp: new Date(timestampMs).toISOString(),
      userId: 'consent-order-user',
      properties: { query: 'coffee near me' },
      context: { timezone: 'Europe/London', ...(r.kind === 'plain' ? {} : { consent: { categoryPreferences: CHOICES[r.kind] } }) },
    };
    const input: EnrichInput = {
      data: Buffer.from(JSON.stringify(signal)),
      sequenceNumber: String(1_000_000 + i),
      shardId: 'shardId-000000000000',
      partitionKey: 'consent-order-user',
      arrivedAtMs: arrival,
      stream: 'signals',
    };
    return { ...r, arrivalMs: arrival, timestampMs, input };
  });
}

/** Runs the batches in order against one profile store; every delivery's outcomes, redeliveries included. */
async function run(plan: { recs: Rec[]; cuts: number[]; again: (number | undefined)[] }) {
  const records = build(plan.recs);
  const store = new InMemoryProfileStore();
  const deliveries: Delivery[] = [];
  let next = 0;
  for (let b = 0; next < records.length; b++) {
    const positions = Array.from({ length: Math.min(plan.cuts[b], records.length - next) }, (_, k) => next + k);
    next += positions.length;
    // Processed a little after its last record arrived.
    const now = new Date(records[positions[positions.length - 1]].arrivalMs + 1000);
    const deliver = async (ps: number[]) => {
      const { outcomes } = await enrichBatch(
        ps.map((p) => records[p].input),
        { config: defaultConfig, pepper: PEPPER, profiles: store, now },
      );
      deliveries.push({ positions: ps, outcomes });
    };
    await deliver(positions);
    const from = plan.again[b];
    if (from !== undefined) await deliver(positions.slice(from % positions.length));
  }
  return { records, deliveries };
}

const lastChoice = (records: { kind: Kind }[], upTo: number): Kind | undefined => {
  for (let i = upTo; i >= 0; i--) if (records[i].kind !== 'plain') return records[i].kind;
  return undefined;
};

describe('consent by arrival, against generated orderings and clocks', () => {
  it('never enriches a signal after a revocation, or before one in the same delivery, nor for a refused channel', async () => {
    await fc.assert(
      fc.asyncProperty(planArb(['grant', 'revoke', 'no-webhook', 'plain', 'plain'], MAX_AHEAD_MS), async (plan) => {
        const { records, deliveries } = await run(plan);
        for (const d of deliveries) {
          const end = d.positions[d.positions.length - 1];
          d.positions.forEach((p, k) => {
            const o = d.outcomes[k];
            const atArrival = lastChoice(records, p);
            const atEnd = lastChoice(records, end);
            if (atArrival === undefined || atArrival === 'revoke' || atEnd === 'revoke') expect(o.kind).not.toBe('enriched');
            if (o.kind === 'enriched' && (atArrival === 'no-webhook' || atEnd === 'no-webhook')) expect(o.signal.consent.channels).not.toContain('webhook');
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('enriches a redelivery exactly as the first delivery, whole or from a record in the middle', async () => {
    await fc.assert(
      fc.asyncProperty(planArb(['grant', 'revoke', 'no-webhook', 'plain', 'plain'], MAX_AHEAD_MS), async (plan) => {
        const { deliveries } = await run(plan);
        const first = new Map<number, string>();
        const summary = (o: EnrichOutcome) => (o.kind === 'enriched' ? `enriched ${o.signal.consent.channels.join('+')}` : o.kind === 'dropped' ? o.policy : o.kind);
        for (const d of deliveries) {
          d.positions.forEach((p, k) => {
            const s = summary(d.outcomes[k]);
            if (first.has(p)) expect(s).toBe(first.get(p));
            else first.set(p, s);
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with grants only, enriches exactly the signals a grant arrived before and that are not older than every grant applied', async () => {
    await fc.assert(
      fc.asyncProperty(planArb(['grant', 'plain'], MAX_AHEAD_MS), async (plan) => {
        const { records, deliveries } = await run(plan);
        const grantAt = (i: number) => choiceTimeMs(records[i].timestampMs, records[i].arrivalMs, SKEW_MS);
        for (const d of deliveries) {
          const end = d.positions[d.positions.length - 1];
          // The earliest time a grant applied by the end of this delivery says consent held.
          const grants = records.slice(0, end + 1).flatMap((r, i) => (r.kind === 'grant' ? [grantAt(i)] : []));
          const since = Math.min(...grants);
          d.positions.forEach((p, k) => {
            const arrivedAfterAGrant = records.slice(0, p + 1).some((r) => r.kind === 'grant');
            const expected = arrivedAfterAGrant && records[p].timestampMs >= since;
            expect(d.outcomes[k].kind).toBe(expected ? 'enriched' : 'dropped');
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
