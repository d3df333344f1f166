/**
 * scoreCustomer copies the state it is given only on the first signal that changes it (the
 * in-memory store hands out the states it keeps, so the input must never change): over random
 * journeys cut into two batches, scoring the second on a deeply frozen state gives what scoring
 * it on a private copy gives, and the frozen input is untouched (a write to it throws).
 */
import fc from 'fast-check';
import { priorScoring } from '../../shared/config/defaults';
import type { ScoringConfig } from '../../shared/config/types';
import { scoreCustomer } from '../../shared/scoring/score-customer';
import { emptyState } from '../../shared/scoring/state';
import { enriched, KEY } from '../unit/scoring/builders';

const withBehaviour: ScoringConfig = {
  ...structuredClone(priorScoring),
  behaviour: {
    ...priorScoring.behaviour,
    memory: 3,
    focusProduct: { buy: 0.3 },
    breadth: { buy: 0.02, know: 0.05 },
    cartItems: { weights: { buy: 0.15 }, maxItems: 3 },
    recency: { weights: { buy: 0.5 }, halfLifeMinutes: 20 },
    priorPurchases: { weights: { buy: 0.2 }, maxCount: 2 },
  },
};
const EVENTS = Object.keys(priorScoring.eventWeights).concat(['Life Event', 'Unknown Event', 'Page Viewed', 'Product Removed']);
const BASE = Date.parse('2026-11-23T08:00:00.000Z');

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}

const journey = fc
  .array(
    fc.record({
      event: fc.constantFrom(...EVENTS),
      minutes: fc.integer({ min: 0, max: 600 }),
      query: fc.constantFrom('coffee near me', 'price of a coat', ''),
      product: fc.constantFrom('p1', 'p2', ''),
      // A redelivery of an earlier signal of the journey (same message id and time).
      repeat: fc.boolean(),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((xs) =>
    xs.map((x, i) => {
      const j = x.repeat && i > 0 ? i - 1 : i;
      const y = xs[j];
      return enriched({
        customerKey: KEY,
        messageId: `m-${j}`,
        event: y.event,
        timestamp: new Date(BASE + y.minutes * 60_000).toISOString(),
        features: { ...(y.query ? { query: y.query } : {}), ...(y.product ? { productId: y.product, category: 'coats' } : {}), ...(y.event === 'Life Event' ? { lifeEventType: 'moved' } : {}) },
      });
    }),
  );

describe.each([
  ['the priors', priorScoring],
  ['behaviour features on', withBehaviour],
])('scoreCustomer leaves its input state alone (%s)', (_name, cfg) => {
  it('scores a frozen state as it scores a private copy, and returns the input itself when nothing changed', () => {
    fc.assert(
      fc.property(journey, fc.nat(), (signals, cut) => {
        const k = cut % (signals.length + 1);
        const first = scoreCustomer(emptyState(KEY), signals.slice(0, k), cfg).state;
        const copy = structuredClone(first);
        const frozen = deepFreeze(structuredClone(first));
        const onFrozen = scoreCustomer(frozen, signals.slice(k), cfg, { withScores: true });
        const onCopy = scoreCustomer(copy, signals.slice(k), cfg, { withScores: true });
        expect(onFrozen).toEqual(onCopy);
        expect(frozen).toEqual(first);
        if (!onFrozen.changed) expect(onFrozen.state).toBe(frozen);
        else expect(onFrozen.state).not.toBe(frozen);
      }),
      { numRuns: 300 },
    );
  });
});
