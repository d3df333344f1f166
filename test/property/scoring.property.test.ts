/**
 * Properties of the scoring model over random journeys: scores stay in [0, 1), decay only ever
 * lowers them without new evidence, and scoring the same signals again (a redelivery, whole or
 * in part) changes no state and opens no moment.
 */
import fc from 'fast-check';
import { defaultScoring, priorScoring } from '../../shared/config/defaults';
import type { ScoringConfig } from '../../shared/config/types';
import { INTENTS, type Daypart, type DeviceClass } from '../../shared/contracts/enriched';
import { scoreCustomer, scoresAt } from '../../shared/scoring/score-customer';
import { emptyState } from '../../shared/scoring/state';
import { enriched, KEY } from '../unit/scoring/builders';

const EVENTS = Object.keys(defaultScoring.eventWeights).concat(['Life Event', 'Unknown Event', 'Product Removed']);

/** The hand-set priors without their negative weights (a removal, an emptied cart). */
const nonNegative: ScoringConfig = {
  ...structuredClone(priorScoring),
  eventWeights: { ...priorScoring.eventWeights, 'Product Removed': {} },
  behaviour: { ...priorScoring.behaviour, cartEmptied: {} },
};

/** Those with every behaviour feature on, so the properties cover them. */
const withBehaviour: ScoringConfig = {
  ...structuredClone(nonNegative),
  behaviour: {
    ...nonNegative.behaviour,
    memory: 3,
    focusProduct: { buy: 0.3 },
    focusCategory: { buy: 0.1 },
    breadth: { buy: 0.02, know: 0.05 },
    cartEmptied: {},
    cartItems: { weights: { buy: 0.15 }, maxItems: 3 },
    recency: { weights: { buy: 0.5 }, halfLifeMinutes: 20 },
    priorPurchases: { weights: { buy: 0.2 }, maxCount: 2 },
  },
};

/** The same with negative evidence: a removal, an emptied cart, prior purchases against know. */
const withNegative: ScoringConfig = {
  ...structuredClone(withBehaviour),
  eventWeights: { ...withBehaviour.eventWeights, 'Product Removed': { buy: -0.3 } },
  behaviour: { ...withBehaviour.behaviour, cartEmptied: { buy: -0.4 }, priorPurchases: { weights: { buy: 0.2, know: -0.1 }, maxCount: 2 } },
};
const QUERIES = ['coffee near me', 'how to fix a tap', 'best shoes vs boots', 'price of a coat', 'open now', 'weather', ''];
const DEVICES: DeviceClass[] = ['mobile', 'desktop', 'tablet'];
const DAYPARTS: Daypart[] = ['morning', 'midday', 'afternoon', 'evening', 'night'];
const BASE = Date.parse('2026-11-23T08:00:00.000Z');

const signalsArb = fc
  .array(
    fc.record({
      event: fc.constantFrom(...EVENTS),
      minutes: fc.integer({ min: 0, max: 3000 }),
      query: fc.constantFrom(...QUERIES),
      device: fc.constantFrom(...DEVICES),
      daypart: fc.constantFrom(...DAYPARTS),
      life: fc.constantFrom('moved', 'new-job', 'pregnancy'),
      categories: fc.subarray(['how-to', 'reviews', 'deals', 'store-info']),
      product: fc.constantFrom('p1', 'p2', 'p3', 'p4', ''),
      category: fc.constantFrom('shoes', 'coats', ''),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((xs) =>
    xs.map((x, i) =>
      enriched({
        customerKey: KEY,
        messageId: `p-${i}`,
        event: x.event,
        timestamp: new Date(BASE + x.minutes * 60_000).toISOString(),
        features: {
          ...(x.query ? { query: x.query } : {}),
          ...(x.categories.length ? { contentCategories: x.categories } : {}),
          ...(x.event === 'Life Event' ? { lifeEventType: x.life } : {}),
          ...(x.product ? { productId: x.product } : {}),
          ...(x.category ? { category: x.category } : {}),
        },
        context: { deviceClass: x.device, daypart: x.daypart },
      }),
    ),
  );

describe.each([
  // The shipped defaults hold negative evidence (fitted breadth, a removal): see below.
  ['the shipped defaults', defaultScoring, false],
  ['the priors without negative weights', nonNegative, true],
  ['behaviour features on', withBehaviour, true],
  // Negative evidence fades like the rest: a score it holds down recovers as it fades.
  ['negative evidence', withNegative, false],
])('scoring properties with %s', (_name, cfg, onlyDecays) => {
  it('keeps every score in [0, 1)', () => {
    fc.assert(
      fc.property(signalsArb, (signals) => {
        const { scores, moments } = scoreCustomer(undefined, signals, cfg, { withScores: true });
        for (const s of scores ?? []) for (const i of INTENTS) expect(s.scores[i] >= 0 && s.scores[i] < 1).toBe(true);
        for (const m of moments) if (m.intent !== 'life-event') expect(m.score >= m.threshold && m.score < 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  const decays = () => {
    fc.assert(
      fc.property(signalsArb, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (signals, a, b) => {
        const { state } = scoreCustomer(undefined, signals, cfg);
        const t1 = state.watermarkMs + Math.min(a, b) * 60_000;
        const t2 = state.watermarkMs + Math.max(a, b) * 60_000;
        const s1 = scoresAt(state, t1, cfg);
        const s2 = scoresAt(state, t2, cfg);
        for (const i of INTENTS) expect(s2[i] <= s1[i]).toBe(true);
      }),
      { numRuns: 200 },
    );
  };
  if (onlyDecays) it('lets scores only decay without new evidence', decays);

  it('changes nothing and opens no moment when the same signals are scored again', () => {
    fc.assert(
      fc.property(signalsArb, (signals) => {
        const first = scoreCustomer(undefined, signals, cfg);
        const again = scoreCustomer(first.state, signals, cfg);
        expect(again.moments).toEqual([]);
        expect(again.state).toEqual(first.state);
        // Nothing to write: every signal that changed the state is recognised as applied, and
        // one that could change nothing (not remembered) changes nothing again.
        expect(again.changed).toBe(false);
        expect(again.skipped.length).toBeLessThanOrEqual(signals.length);
        if (first.changed) expect(again.skipped.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('absorbs a redelivered batch: batches a, b then b again give the state of a, b and no new moment', () => {
    fc.assert(
      fc.property(signalsArb, fc.nat(), (signals, cut) => {
        const k = cut % (signals.length + 1);
        const a = scoreCustomer(emptyState(KEY), signals.slice(0, k), cfg);
        const b = scoreCustomer(a.state, signals.slice(k), cfg);
        const redelivered = scoreCustomer(b.state, signals.slice(k), cfg);
        expect(redelivered.moments).toEqual([]);
        expect(redelivered.state).toEqual(b.state);
        // Batching does not change the outcome either: one batch of everything is the same.
        const whole = scoreCustomer(undefined, signals, cfg);
        expect(b.state).toEqual(whole.state);
        expect([...a.moments, ...b.moments]).toEqual(whole.moments);
      }),
      { numRuns: 200 },
    );
  });
});

describe('negative evidence', () => {
  it('only ever lowers a score: with the negative weights set to zero, no score is lower', () => {
    const zeroed: ScoringConfig = {
      ...structuredClone(withNegative),
      eventWeights: { ...withNegative.eventWeights, 'Product Removed': {} },
      behaviour: { ...withNegative.behaviour, cartEmptied: {}, priorPurchases: { weights: { buy: 0.2 }, maxCount: 2 } },
    };
    fc.assert(
      fc.property(signalsArb, (signals) => {
        const a = scoreCustomer(undefined, signals, withNegative, { withScores: true }).scores ?? [];
        const b = scoreCustomer(undefined, signals, zeroed, { withScores: true }).scores ?? [];
        a.forEach((s, i) => {
          for (const intent of INTENTS) expect(s.scores[intent]).toBeLessThanOrEqual(b[i].scores[intent] + 1e-12);
        });
      }),
      { numRuns: 200 },
    );
  });
});
