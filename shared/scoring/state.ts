/**
 * What the scorer remembers per customer (the STATE item): decayed evidence per intent, the open
 * moments, the life events already announced, and the dedupe memory (watermark + recent message
 * ids) that makes a redelivered record a no-op.
 *
 * Times are epoch milliseconds taken from the signals, never from the clock, so replaying the
 * same signals always rebuilds the same state.
 */
import type { Intent } from '../contracts/enriched';
import type { ReasonKind } from '../contracts/events';
import { cloneBehaviour, type BehaviourState } from './behaviour';

/** One feature of one signal that added evidence to an intent: the raw material of `reasons`. */
export interface Contribution {
  kind: ReasonKind;
  feature: string;
  messageId: string;
  /** The configured weight. */
  weight: number;
  /** The signal's own time: its contribution decays from here. */
  atMs: number;
}

export interface IntentState {
  /** Evidence as of `atMs` (already decayed to that time); negative while negative evidence outweighs the rest. */
  evidence: number;
  atMs: number;
  /** The last moment of this intent, while it is open (until a closer, or forever: cooldown decides). */
  open?: { momentId: string; atMs: number };
  /** Set by a closer (`Order Completed` for buy): evidence from signals at or before this is ignored. */
  closedAtMs?: number;
  /** Bounded; the weakest are forgotten first. */
  contributions: Contribution[];
}

export interface ScoreState {
  version: 1;
  customerKey: string;
  /** Time of the latest applied signal (0 before the first). */
  watermarkMs: number;
  /**
   * Applied message ids (as recentKey: 16 hex characters) with their signal times, bounded by
   * `scoring.recentMessageIds`. Signals that could change nothing are not kept. When full,
   * the entry with the oldest signal time is forgotten and `forgottenUpToMs` remembers its time.
   */
  recent: [messageId: string, atMs: number][];
  /**
   * Every applied signal at or before this time may have been forgotten: a signal this old that is
   * not in `recent` cannot be told apart from a redelivery and is skipped (never applied twice).
   */
  forgottenUpToMs?: number;
  intents: Partial<Record<Intent, IntentState>>;
  /** Life event type → time of the last life-event moment of that type. */
  lifeEvents: Record<string, number>;
  /** Cart, purchases, last strong signal, products viewed: only when behaviour features have weights. */
  behaviour?: BehaviourState;
}

export function emptyState(customerKey: string): ScoreState {
  return { version: 1, customerKey, watermarkMs: 0, recent: [], intents: {}, lifeEvents: {} };
}

/** Copies what scoring mutates, so `scoreCustomer` never changes its input. */
export function cloneState(s: ScoreState): ScoreState {
  // Contributions, recent entries and `open` are replaced, never changed in place: a shallow copy
  // of each array and intent is enough.
  const intents: ScoreState['intents'] = {};
  for (const k in s.intents) {
    const v = s.intents[k as Intent] as IntentState;
    intents[k as Intent] = { ...v, contributions: v.contributions.slice() };
  }
  const out: ScoreState = { ...s, recent: s.recent.slice(), intents, lifeEvents: { ...s.lifeEvents } };
  if (s.behaviour) out.behaviour = cloneBehaviour(s.behaviour);
  return out;
}
