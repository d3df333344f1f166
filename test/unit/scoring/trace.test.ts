/**
 * The fitter's view of the scorer (traceCustomer) must be the scorer: for any weights (negative
 * ones included), Σ weight × column + offset after each signal is the evidence behind the buy
 * score that scoreCustomer reports after that signal.
 */
import fc from 'fast-check';
import { defaultScoring } from '../../../shared/config/defaults';
import type { ScoringConfig } from '../../../shared/config/types';
import { scoreOf } from '../../../shared/scoring/decay';
import { scoreCustomer } from '../../../shared/scoring/score-customer';
import { planTrace, traceCustomer, type TraceSpec } from '../../../shared/scoring/trace';
import { at, enriched, KEY } from './builders';

const EVENTS = ['Product Viewed', 'Product Added', 'Product Removed', 'Product Added to Wishlist', 'Order Completed', 'Products Searched', 'Page Viewed'];
const FITTED = ['Product Added', 'Product Added to Wishlist', 'Product Removed'];

const weight = fc.double({ min: -2, max: 2, noNaN: true });
const scenario = fc.record({
  signals: fc.array(
    fc.record({
      event: fc.constantFrom(...EVENTS),
      minutes: fc.integer({ min: 0, max: 600 }),
      product: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
      category: fc.constantFrom('a', 'b'),
      query: fc.constantFrom('price of boots', 'coffee', ''),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  events: fc.array(weight, { minLength: FITTED.length, maxLength: FITTED.length }),
  behaviour: fc.array(weight, { minLength: 6, maxLength: 6 }),
  halfLife: fc.integer({ min: 5, max: 240 }),
  recency: fc.integer({ min: 5, max: 120 }),
  // The only weight that must not be negative (a score would rise as the signal fades).
  recencyWeight: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('traceCustomer', () => {
  it('decomposes the scorer: weights × columns + offset is the evidence behind every buy score', () => {
    fc.assert(
      fc.property(scenario, (x) => {
        const signals = x.signals
          .map((s, i) => ({ ...s, i }))
          .sort((a, b) => a.minutes - b.minutes || a.i - b.i)
          .map((s) =>
            enriched({
              customerKey: KEY,
              messageId: `t-${s.i}`,
              event: s.event,
              timestamp: at(s.minutes),
              features: { productId: s.product, category: s.category, ...(s.query ? { query: s.query } : {}) },
            }),
          );
        const [fp, fc2, br, ce, cart, prior] = x.behaviour;
        const rec = x.recencyWeight;
        const scoring: ScoringConfig = structuredClone(defaultScoring);
        scoring.intents.buy = { ...scoring.intents.buy, halfLifeMinutes: x.halfLife, threshold: 0.99 };
        FITTED.forEach((e, j) => (scoring.eventWeights[e] = { ...scoring.eventWeights[e], buy: x.events[j] }));
        // Views are represented by behaviour: their own buy weight is off in the scorer too.
        scoring.eventWeights['Product Viewed'] = { know: 0.1 };
        scoring.behaviour = {
          ...scoring.behaviour,
          focusProduct: { buy: fp },
          focusCategory: { buy: fc2 },
          breadth: { buy: br },
          cartEmptied: { buy: ce },
          cartItems: { weights: { buy: cart }, maxItems: 3 },
          priorPurchases: { weights: { buy: prior }, maxCount: 2 },
          recency: { weights: { buy: rec }, halfLifeMinutes: x.recency },
        };
        const spec: TraceSpec = { intent: 'buy', events: FITTED, halfLifeMinutes: x.halfLife, recencyHalfLifeMinutes: x.recency, scoring, viewsByBehaviour: true };
        const trace = traceCustomer(signals, planTrace(spec));
        const w = [...x.events, fp, fc2, br, ce, cart, prior, rec];
        const { scores } = scoreCustomer(undefined, signals, scoring, { withScores: true });
        expect(scores).toHaveLength(signals.length);
        scores?.forEach((s, n) => {
          let evidence = trace.offset[n];
          w.forEach((wj, j) => (evidence += wj * trace.rows[n * w.length + j]));
          // To 1e-8: the scorer forgets evidence below 1e-9 (DynamoDB cannot hold such numbers).
          // The shipped buy score is a probability (baseLogOdds): σ(base + evidence), the fitted regression.
          expect(s.scores.buy).toBeCloseTo(scoreOf(evidence, scoring.evidenceScale, scoring.intents.buy.baseLogOdds), 8);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('names its columns: the fitted events, then the pattern and level features', () => {
    const spec: TraceSpec = { intent: 'buy', events: ['Product Added'], halfLifeMinutes: 30, recencyHalfLifeMinutes: 30, scoring: defaultScoring, viewsByBehaviour: true };
    expect(traceCustomer([], planTrace(spec)).columns).toEqual([
      'event:Product Added',
      'focus:product',
      'focus:category',
      'breadth',
      'cart-empty',
      'cart-items',
      'prior-purchases',
      'recent-strong-signal',
    ]);
  });
});
