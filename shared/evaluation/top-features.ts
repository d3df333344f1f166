/** An intent's weights, strongest first: what the report shows as "top features by weight". */
import type { IntentWeights, ScoringConfig } from '../config/types';
import type { Intent } from '../contracts/enriched';
import type { ReasonKind } from '../contracts/events';

export interface FeatureWeight {
  kind: ReasonKind;
  feature: string;
  weight: number;
  /** What the weight multiplies: one signal (decaying), or a level (per item, per purchase, at 1 when fresh). */
  per: 'signal' | 'item in cart' | 'prior purchase' | 'fresh strong signal';
}

export function topFeatures(s: ScoringConfig, intent: Intent, max = 15): FeatureWeight[] {
  const out: FeatureWeight[] = [];
  const add = (kind: ReasonKind, feature: string, w: IntentWeights, per: FeatureWeight['per'] = 'signal') => {
    const weight = w[intent];
    if (typeof weight === 'number' && weight !== 0) out.push({ kind, feature, weight, per });
  };
  for (const [event, w] of Object.entries(s.eventWeights)) add('event', event, w);
  for (const e of s.lexicon) if (e.intent === intent && e.weight !== 0) out.push({ kind: 'lexicon', feature: e.phrase, weight: e.weight, per: 'signal' });
  for (const [category, w] of Object.entries(s.contentWeights)) add('content', category, w);
  const b = s.behaviour;
  add('behaviour', 'focus:product', b.focusProduct);
  add('behaviour', 'focus:category', b.focusCategory);
  add('behaviour', 'breadth', b.breadth);
  add('behaviour', 'cart-empty', b.cartEmptied);
  add('behaviour', 'cart-items', b.cartItems.weights, 'item in cart');
  add('behaviour', 'prior-purchases', b.priorPurchases.weights, 'prior purchase');
  add('behaviour', 'recent-strong-signal', b.recency.weights, 'fresh strong signal');
  return out.sort((a, b2) => Math.abs(b2.weight) - Math.abs(a.weight) || (a.feature < b2.feature ? -1 : 1)).slice(0, max);
}
