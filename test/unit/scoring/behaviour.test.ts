/**
 * Behaviour features: focus against breadth, the cart, negative evidence, the last strong signal
 * and prior purchases, each computed from the small per-customer state and named in reasons.
 */
import { defaultScoring } from '../../../shared/config/defaults';
import type { BehaviourSettings, ScoringConfig } from '../../../shared/config/types';
import { hash32 } from '../../../shared/scoring/behaviour';
import { scoreCustomer, scoresAt } from '../../../shared/scoring/score-customer';
import { at, enriched } from './builders';

/** Only behaviour features speak to buy here, so each test reads one feature's effect. */
function config(patch: Partial<BehaviourSettings>, buy: Partial<ScoringConfig['intents']['buy']> = {}): ScoringConfig {
  const c = structuredClone(defaultScoring);
  for (const w of Object.values(c.eventWeights)) delete w.buy;
  c.lexicon = c.lexicon.filter((e) => e.intent !== 'buy');
  // The 1 - exp(-evidence) score unless a test asks for the probability (baseLogOdds).
  delete c.intents.buy.baseLogOdds;
  c.intents.buy = { ...c.intents.buy, halfLifeMinutes: 30, threshold: 0.5, cooldownMinutes: 0, ...buy };
  c.behaviour = {
    ...c.behaviour,
    focusProduct: {},
    focusCategory: {},
    breadth: {},
    cartEmptied: {},
    cartItems: { weights: {}, maxItems: 5 },
    recency: { weights: {}, halfLifeMinutes: 30 },
    priorPurchases: { weights: {}, maxCount: 5 },
    ...patch,
  };
  return c;
}

const view = (minutes: number, productId: string, category = 'shoes', messageId?: string) =>
  enriched({ event: 'Product Viewed', timestamp: at(minutes), features: { productId, category }, messageId });
const add = (minutes: number, productId = 'p1', messageId?: string) =>
  enriched({ event: 'Product Added', timestamp: at(minutes), features: { productId }, messageId });
const remove = (minutes: number, productId = 'p1') => enriched({ event: 'Product Removed', timestamp: at(minutes), features: { productId } });
const order = (minutes: number, messageId?: string) => enriched({ event: 'Order Completed', timestamp: at(minutes), messageId });

/** Buy evidence just after the last signal (at a closer's own time the intent is closed). */
const buyEvidence = (signals: ReturnType<typeof view>[], c: ScoringConfig) => {
  const { state } = scoreCustomer(undefined, signals, c);
  return -Math.log(1 - scoresAt(state, state.watermarkMs + 1, c).buy) + 0;
};
const decayed = (weight: number, minutes: number, halfLife = 30) => weight * 2 ** (-minutes / halfLife);

describe('behaviour features', () => {
  it('tells focus from breadth: a product seen before, another of a category seen before, a new category', () => {
    const c = config({ focusProduct: { buy: 0.4 }, focusCategory: { buy: 0.2 }, breadth: { buy: 0.05 } }, { threshold: 0.45, cooldownMinutes: 60 });
    const { moments, state } = scoreCustomer(
      undefined,
      [view(0, 'p1', 'shoes'), view(1, 'p2', 'shoes'), view(2, 'p1', 'shoes', 'm-again'), view(3, 'p3', 'coats')],
      c,
    );
    expect(state.intents.buy?.contributions.map((k) => k.feature)).toEqual(['breadth', 'focus:category', 'focus:product', 'breadth']);
    expect(state.behaviour?.viewed.map(([p]) => p)).toEqual([hash32('p1'), hash32('p2'), hash32('p1'), hash32('p3')]);
    // At the third view 0.05 and 0.2 decayed by two and one minutes, + 0.4: 0.643, score 0.474 ≥ 0.45.
    expect(moments).toHaveLength(1);
    expect(moments[0].trigger.messageId).toBe('m-again');
    expect(moments[0].reasons[0]).toMatchObject({ kind: 'behaviour', feature: 'focus:product', weight: 0.4, messageId: 'm-again' });
  });

  it('forgets views beyond the focus window and beyond its memory', () => {
    const c = config({ focusProduct: { buy: 0.4 }, breadth: { buy: 0.05 }, memory: 2, focusWindowMinutes: 60 });
    const late = scoreCustomer(undefined, [view(0, 'p1'), view(61, 'p1')], c);
    expect(late.state.intents.buy?.contributions.map((k) => k.feature)).toEqual(['breadth', 'breadth']);
    const many = scoreCustomer(undefined, [view(0, 'p1', 'a'), view(1, 'p2', 'b'), view(2, 'p3', 'c'), view(3, 'p1', 'a')], c);
    expect(many.state.behaviour?.viewed).toHaveLength(2);
    expect(many.state.intents.buy?.contributions.map((k) => k.feature)).toEqual(['breadth', 'breadth', 'breadth', 'breadth']);
  });

  it('counts items in the cart now, up to maxItems, as a level that does not decay', () => {
    const c = config({ cartItems: { weights: { buy: 0.2 }, maxItems: 3 } }, { threshold: 0.99 });
    expect(buyEvidence([add(0), add(1)], c)).toBeCloseTo(0.4, 9);
    expect(buyEvidence([add(0), add(1), add(2), add(3), add(4)], c)).toBeCloseTo(0.6, 9);
    expect(buyEvidence([add(0), add(1), remove(2)], c)).toBeCloseTo(0.2, 9);
    // Levels are read, not accumulated: still 0.2 a day later.
    const { state } = scoreCustomer(undefined, [add(0)], c);
    expect(scoresAt(state, state.watermarkMs + 86_400_000, c).buy).toBeCloseTo(1 - Math.exp(-0.2), 9);
    // A purchase empties the cart.
    expect(buyEvidence([add(0), add(1), order(2)], c)).toBeCloseTo(0, 12);
  });

  it('takes a removal that empties the cart as negative evidence', () => {
    const c = config({ cartEmptied: { buy: -0.3 } });
    const c2 = config({ cartEmptied: { buy: -0.3 }, focusProduct: { buy: 0.4 }, breadth: { buy: 0.4 } });
    const { state } = scoreCustomer(undefined, [add(0), add(0), remove(1), remove(2)], c);
    expect(state.intents.buy?.contributions.map((k) => [k.feature, k.weight])).toEqual([['cart-empty', -0.3]]);
    expect(buyEvidence([view(0, 'p1'), add(1), remove(2)], c2)).toBeCloseTo(decayed(0.4, 2) - 0.3, 6);
  });

  it('reads the last strong signal as a level that halves every recency half-life, and a purchase ends it', () => {
    const c = config({ recency: { weights: { buy: 0.8 }, halfLifeMinutes: 20 } }, { threshold: 0.5 });
    const { state, moments } = scoreCustomer(undefined, [add(0, 'p1', 'm-add')], c);
    expect(moments.map((m) => m.reasons)).toEqual([
      [{ kind: 'behaviour', feature: 'recent-strong-signal', messageId: 'm-add', weight: 0.8, contribution: 0.8 }],
    ]);
    expect(scoresAt(state, state.watermarkMs + 20 * 60_000, c).buy).toBeCloseTo(1 - Math.exp(-0.4), 9);
    expect(buyEvidence([add(0), order(1)], c)).toBeCloseTo(0, 12);
  });

  it('counts prior purchases, up to maxCount, for the journeys that follow', () => {
    const c = config({ priorPurchases: { weights: { buy: 0.3 }, maxCount: 2 }, breadth: { buy: 0.01 } }, { threshold: 0.45 });
    expect(buyEvidence([order(0)], c)).toBeCloseTo(0.3, 9);
    const { moments } = scoreCustomer(undefined, [order(0, 'o-1'), order(60, 'o-2'), order(120, 'o-3'), view(121, 'p9', 'x', 'm-next')], c);
    // The orders themselves never open a buy moment; the view after them does (2 × 0.3 + 0.01).
    expect(moments.map((m) => m.trigger.messageId)).toEqual(['m-next']);
    expect(moments[0].reasons[0]).toEqual({ kind: 'behaviour', feature: 'prior-purchases', messageId: 'o-3', weight: 0.3, contribution: 0.6 });
  });

  it('ranks focus above breadth and a removal below the cart it empties, when the score is a probability (baseLogOdds)', () => {
    const sigma = (z: number) => 1 / (1 + Math.exp(-z));
    const c = config(
      { focusProduct: { buy: 0.15 }, breadth: { buy: -1.2 }, focusCategory: { buy: -0.4 }, cartEmptied: { buy: -0.5 }, cartItems: { weights: { buy: 0.4 }, maxItems: 5 } },
      { baseLogOdds: -2.6, threshold: 0.9 },
    );
    const buyScore = (signals: ReturnType<typeof view>[]) => {
      const { state } = scoreCustomer(undefined, signals, c);
      return scoresAt(state, state.watermarkMs, c).buy;
    };
    // One product viewed twice (breadth, then focus) against two categories (breadth twice), a minute apart.
    const focused = buyScore([view(0, 'p1', 'shoes'), view(1, 'p1', 'shoes')]);
    const browsing = buyScore([view(0, 'p1', 'shoes'), view(1, 'p2', 'coats')]);
    expect(focused).toBeCloseTo(sigma(-2.6 + decayed(-1.2, 1) + 0.15), 9);
    expect(browsing).toBeCloseTo(sigma(-2.6 + decayed(-1.2, 1) - 1.2), 9);
    expect(focused).toBeGreaterThan(browsing);
    // Negative evidence is not floored away: wide browsing scores below a customer with no evidence.
    expect(browsing).toBeLessThan(sigma(-2.6));
    // A removal that empties the cart lowers the score below the cart it emptied, and below no cart at all.
    const carted = buyScore([add(0)]);
    const emptied = buyScore([add(0), remove(0)]);
    expect(carted).toBeCloseTo(sigma(-2.6 + 0.4), 9);
    expect(emptied).toBeCloseTo(sigma(-2.6 - 0.5), 9);
    expect(emptied).toBeLessThan(carted);
  });

  it('keeps the state small however long the history: memory-bounded views, counts, two message ids', () => {
    const c = config({ focusProduct: { buy: 0.4 }, breadth: { buy: 0.05 }, cartItems: { weights: { buy: 0.1 }, maxItems: 5 } });
    const many = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? add(i, `p${i}`) : view(i, `product-with-a-long-id-${i}`, `category-${i % 40}`)));
    const { state } = scoreCustomer(undefined, many, c);
    expect(state.behaviour?.viewed).toHaveLength(c.behaviour.memory);
    expect(Object.keys(state.behaviour ?? {}).sort()).toEqual(['cart', 'cartAtMs', 'cartMessageId', 'purchases', 'strongAtMs', 'strongMessageId', 'viewed']);
    // Numbers only in `viewed` (hashes, never the ids): a few hundred bytes as JSON.
    expect(JSON.stringify(state.behaviour).length).toBeLessThan(400);
    expect(JSON.stringify(state.behaviour)).not.toContain('product-with-a-long-id');
  });

  it('keeps no behaviour state when no behaviour feature has a weight, or for customers without commerce signals', () => {
    const off = config({});
    expect(scoreCustomer(undefined, [view(0, 'p1'), add(1)], off).state.behaviour).toBeUndefined();
    const on = config({ breadth: { buy: 0.1 } });
    expect(scoreCustomer(undefined, [enriched({ event: 'Products Searched', features: { query: 'coffee near me' } })], on).state.behaviour).toBeUndefined();
  });
});
