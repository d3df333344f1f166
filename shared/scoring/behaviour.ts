/**
 * Behaviour features: what a customer's signals say together, not one at a time. The scorer keeps
 * a small state per customer (a count of items in the cart, purchases seen, the last strong
 * signal, the last few products viewed) and derives two sorts of feature from it:
 *
 * - **pattern** features of a signal, which decay like an event's: `focus:product` (a view of a
 *   product viewed before), `focus:category` (another product of a category viewed before),
 *   `breadth` (a product in a category not viewed before), `cart-empty` (a removal that empties
 *   the cart);
 * - **level** features of the state at a time, which are not accumulated but read: `cart-items`
 *   (items in the cart now), `prior-purchases`, `recent-strong-signal` (1 at the last strong
 *   signal, halving every `recency.halfLifeMinutes`).
 *
 * The state is bounded (`memory` products, three numbers each; counts; two message ids) because
 * it is written to DynamoDB with the rest of the customer's state on every batch.
 */
import { INTENTS, type EnrichedSignal, type Intent } from '../contracts/enriched';
import type { BehaviourSettings, IntentWeights } from '../config/types';
import { decayFactor } from './decay';
import type { Feature } from './evidence';

export interface BehaviourState {
  /** Adds minus removes since `cartSinceMs`; read as 0..maxItems. */
  cart: number;
  /** Time of the latest cart change (add, remove or purchase). */
  cartAtMs: number;
  /** The last purchase: adds and removes at or before it no longer count. */
  cartSinceMs?: number;
  /** The signal behind the latest cart change, named in reasons. */
  cartMessageId?: string;
  purchases: number;
  purchaseMessageId?: string;
  strongAtMs?: number;
  strongMessageId?: string;
  /** Products viewed, `[product hash, category hash (0 = none), time]`, oldest first, at most `memory`. */
  viewed: [product: number, category: number, atMs: number][];
}

export type PatternFeature = 'focus:product' | 'focus:category' | 'breadth' | 'cart-empty';
export type LevelFeature = 'cart-items' | 'prior-purchases' | 'recent-strong-signal';
export const PATTERN_FEATURES: readonly PatternFeature[] = ['focus:product', 'focus:category', 'breadth', 'cart-empty'];
export const LEVEL_FEATURES: readonly LevelFeature[] = ['cart-items', 'prior-purchases', 'recent-strong-signal'];

export interface CompiledBehaviour {
  settings: BehaviourSettings;
  view: ReadonlySet<string>;
  add: ReadonlySet<string>;
  remove: ReadonlySet<string>;
  purchase: ReadonlySet<string>;
  strong: ReadonlySet<string>;
  focusWindowMs: number;
  pattern: Record<PatternFeature, readonly (readonly [Intent, number])[]>;
  level: Record<LevelFeature, readonly (readonly [Intent, number])[]>;
  /** Intents with a level weight: only they read the levels. */
  levelIntents: ReadonlySet<Intent>;
}

function weights(w: IntentWeights): (readonly [Intent, number])[] {
  return INTENTS.filter((i) => typeof w[i] === 'number' && w[i] !== 0).map((i) => [i, w[i] as number] as const);
}

/** Undefined when no behaviour feature has a weight: the scorer then keeps no behaviour state. */
export function compileBehaviour(s: BehaviourSettings | undefined): CompiledBehaviour | undefined {
  if (!s) return undefined;
  const pattern: CompiledBehaviour['pattern'] = {
    'focus:product': s.memory > 0 ? weights(s.focusProduct) : [],
    'focus:category': s.memory > 0 ? weights(s.focusCategory) : [],
    breadth: s.memory > 0 ? weights(s.breadth) : [],
    'cart-empty': weights(s.cartEmptied),
  };
  const level: CompiledBehaviour['level'] = {
    'cart-items': weights(s.cartItems.weights),
    'prior-purchases': weights(s.priorPurchases.weights),
    'recent-strong-signal': weights(s.recency.weights),
  };
  const all = [...Object.values(pattern), ...Object.values(level)];
  if (all.every((l) => l.length === 0)) return undefined;
  const levelIntents = new Set<Intent>();
  for (const l of Object.values(level)) for (const [i] of l) levelIntents.add(i);
  return {
    settings: s,
    view: new Set(s.events.view),
    add: new Set(s.events.add),
    remove: new Set(s.events.remove),
    purchase: new Set(s.events.purchase),
    strong: new Set(s.events.strong),
    focusWindowMs: s.focusWindowMinutes * 60_000,
    pattern,
    level,
    levelIntents,
  };
}

/** FNV-1a, 32 bits: products are remembered as numbers (small state), never as their ids. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // 0 means "no category" in `viewed`.
  return (h >>> 0) || 1;
}

export function emptyBehaviour(): BehaviourState {
  return { cart: 0, cartAtMs: 0, purchases: 0, viewed: [] };
}

export function cloneBehaviour(b: BehaviourState): BehaviourState {
  return { ...b, viewed: b.viewed.slice() };
}

/** Which pattern feature a product view is, judged against the products viewed before it. */
function viewPattern(b: BehaviourState, product: number, category: number, t: number, windowMs: number): PatternFeature {
  let sameCategory = false;
  for (const [p, c, at] of b.viewed) {
    if (at > t || t - at > windowMs) continue;
    if (p === product) return 'focus:product';
    if (category !== 0 && c === category) sameCategory = true;
  }
  return sameCategory ? 'focus:category' : 'breadth';
}

function rememberView(b: BehaviourState, entry: [number, number, number], c: CompiledBehaviour): void {
  const t = entry[2];
  // Views older than the window say nothing any more: forget them first, then the oldest.
  const kept = b.viewed.filter((v) => entry[2] - v[2] <= c.focusWindowMs || v[2] > t);
  let i = kept.length;
  while (i > 0 && kept[i - 1][2] > t) i--;
  kept.splice(i, 0, entry);
  while (kept.length > c.settings.memory) kept.shift();
  b.viewed = kept;
}

/**
 * Applies one signal to the behaviour state (in place) and answers the pattern features it brings.
 * A purchase counts, empties the cart and ends the last strong signal, unless a later cart change
 * or strong signal was already applied (a late purchase does not undo what came after it).
 */
export function applyBehaviour(b: BehaviourState, signal: EnrichedSignal, t: number, c: CompiledBehaviour): PatternFeature[] {
  const out: PatternFeature[] = [];
  const event = signal.event;
  const { productId, category } = signal.features;
  if (c.view.has(event) && productId !== undefined && c.settings.memory > 0) {
    const p = hash32(productId);
    const cat = category !== undefined ? hash32(category) : 0;
    out.push(viewPattern(b, p, cat, t, c.focusWindowMs));
    rememberView(b, [p, cat, t], c);
  }
  const counts = b.cartSinceMs === undefined || t > b.cartSinceMs;
  if (c.add.has(event) && counts) {
    b.cart += 1;
    b.cartAtMs = Math.max(b.cartAtMs, t);
    b.cartMessageId = signal.messageId;
  }
  if (c.remove.has(event) && counts) {
    const before = b.cart;
    b.cart -= 1;
    b.cartAtMs = Math.max(b.cartAtMs, t);
    b.cartMessageId = signal.messageId;
    if (before > 0 && b.cart <= 0) out.push('cart-empty');
  }
  if (c.strong.has(event) && (b.cartSinceMs === undefined || t > b.cartSinceMs) && (b.strongAtMs === undefined || t >= b.strongAtMs)) {
    b.strongAtMs = t;
    b.strongMessageId = signal.messageId;
  }
  if (c.purchase.has(event)) {
    b.purchases += 1;
    b.purchaseMessageId = signal.messageId;
    if (t >= b.cartAtMs) {
      b.cart = 0;
      b.cartAtMs = t;
      b.cartSinceMs = Math.max(b.cartSinceMs ?? t, t);
      b.cartMessageId = signal.messageId;
    }
    if (b.strongAtMs !== undefined && b.strongAtMs <= t) {
      delete b.strongAtMs;
      delete b.strongMessageId;
    }
  }
  return out;
}

export interface LevelValue {
  feature: LevelFeature;
  value: number;
  messageId: string;
}

/** The level features at `atMs` (only those that are not zero). */
export function levelsAt(b: BehaviourState | undefined, atMs: number, c: CompiledBehaviour): LevelValue[] {
  if (!b) return [];
  const out: LevelValue[] = [];
  const s = c.settings;
  const items = Math.min(Math.max(b.cart, 0), s.cartItems.maxItems);
  if (items > 0 && b.cartMessageId) out.push({ feature: 'cart-items', value: items, messageId: b.cartMessageId });
  const purchases = Math.min(b.purchases, s.priorPurchases.maxCount);
  if (purchases > 0 && b.purchaseMessageId) out.push({ feature: 'prior-purchases', value: purchases, messageId: b.purchaseMessageId });
  if (b.strongAtMs !== undefined && b.strongMessageId && atMs >= b.strongAtMs) {
    out.push({ feature: 'recent-strong-signal', value: decayFactor(atMs - b.strongAtMs, s.recency.halfLifeMinutes), messageId: b.strongMessageId });
  }
  return out;
}

/** The evidence the levels add to one intent. */
export function levelEvidence(levels: readonly LevelValue[], intent: Intent, c: CompiledBehaviour): number {
  let sum = 0;
  for (const l of levels) for (const [i, w] of c.level[l.feature]) if (i === intent) sum += w * l.value;
  return sum;
}

/** The pattern features as scoring features (kind `behaviour`), with their weights per intent. */
export function patternFeatures(patterns: readonly PatternFeature[], c: CompiledBehaviour): Feature[] {
  const out: Feature[] = [];
  for (const p of patterns) for (const [intent, weight] of c.pattern[p]) out.push({ intent, kind: 'behaviour', feature: p, weight });
  return out;
}
