/**
 * The scorer's evidence for one intent, taken apart by feature: after each signal of a customer,
 * the decayed sum of every fitted event's and pattern feature's occurrences (weight 1 each), the
 * level features' values, and the evidence of everything else at its configured weight (the
 * offset). For any weights w, Σ w_j × column_j + offset is the evidence the scorer would hold with
 * those weights (given signals in time order; context weights of the intent aside, which only
 * amplify an intent a signal already speaks to and so depend on the fitted weights), so
 * `npm run fit` can try many weights and half-lives without running the scorer each time.
 * test/unit/scoring/trace.test.ts checks exactly that against scoreCustomer.
 */
import type { BehaviourSettings, ScoringConfig } from '../config/types';
import type { EnrichedSignal, Intent } from '../contracts/enriched';
import { applyBehaviour, compileBehaviour, emptyBehaviour, levelsAt, LEVEL_FEATURES, PATTERN_FEATURES, type CompiledBehaviour, type LevelFeature, type PatternFeature } from './behaviour';
import { compileScoring, type CompiledScoring } from './compile';
import { decayFactor } from './decay';
import { featuresOf } from './evidence';

export interface TraceSpec {
  intent: Intent;
  /** Event names with a column of their own (their configured weight for the intent is ignored). */
  events: readonly string[];
  halfLifeMinutes: number;
  recencyHalfLifeMinutes: number;
  /**
   * The configuration whose other features make the offset: its weights for `events`, its view
   * events (when `viewsByBehaviour`) and its behaviour weights are left out of it.
   */
  scoring: ScoringConfig;
  /** Views are represented by focus and breadth: the view events' own weight is not counted. */
  viewsByBehaviour: boolean;
}

export const traceColumns = (spec: Pick<TraceSpec, 'events'>): string[] => [
  ...spec.events.map((e) => `event:${e}`),
  ...PATTERN_FEATURES,
  ...LEVEL_FEATURES,
];

export interface Trace {
  columns: string[];
  /** One row per signal, in the order given (n × columns.length). */
  rows: Float64Array;
  offset: Float64Array;
}

/** The scoring configuration the offset is computed with: the fitted parts taken out. */
export function offsetScoring(spec: TraceSpec): ScoringConfig {
  const s = structuredClone(spec.scoring);
  const skip = new Set([...spec.events, ...(spec.viewsByBehaviour ? s.behaviour.events.view : [])]);
  for (const [event, w] of Object.entries(s.eventWeights)) if (skip.has(event)) delete w[spec.intent];
  s.behaviour = { ...s.behaviour, memory: 0, cartItems: { ...s.behaviour.cartItems, weights: {} }, recency: { ...s.behaviour.recency, weights: {} }, priorPurchases: { ...s.behaviour.priorPurchases, weights: {} }, focusProduct: {}, focusCategory: {}, breadth: {}, cartEmptied: {} };
  return s;
}

/** Behaviour settings with every feature on (unit weights), to see every pattern and level. */
function unitBehaviour(b: BehaviourSettings, intent: Intent, recencyHalfLifeMinutes: number): BehaviourSettings {
  const one = { [intent]: 1 };
  return {
    ...b,
    focusProduct: one,
    focusCategory: one,
    breadth: one,
    cartEmptied: one,
    cartItems: { ...b.cartItems, weights: one },
    recency: { weights: one, halfLifeMinutes: recencyHalfLifeMinutes },
    priorPurchases: { ...b.priorPurchases, weights: one },
  };
}

/** What tracing needs of a spec, prepared once for all its customers. */
export interface TracePlan {
  spec: TraceSpec;
  columns: string[];
  eventColumn: Map<string, number>;
  patternColumn: Map<PatternFeature, number>;
  levelColumn: Map<LevelFeature, number>;
  behaviour: CompiledBehaviour | undefined;
  offset: CompiledScoring;
}

export function planTrace(spec: TraceSpec): TracePlan {
  const columns = traceColumns(spec);
  return {
    spec,
    columns,
    eventColumn: new Map(spec.events.map((e, j) => [e, j])),
    patternColumn: new Map(PATTERN_FEATURES.map((p, j) => [p, spec.events.length + j])),
    levelColumn: new Map(LEVEL_FEATURES.map((l, j) => [l, spec.events.length + PATTERN_FEATURES.length + j])),
    behaviour: compileBehaviour(unitBehaviour(spec.scoring.behaviour, spec.intent, spec.recencyHalfLifeMinutes)),
    offset: compileScoring(offsetScoring(spec)),
  };
}

/** One customer's signals, in the order the scorer applies them (time order, each message once). */
export function traceCustomer(signals: readonly EnrichedSignal[], plan: TracePlan): Trace {
  const { spec, columns, eventColumn, patternColumn, levelColumn, behaviour } = plan;
  const compiled = plan.offset;
  const k = columns.length;
  const closes = (event: string) => compiled.closers.get(event)?.includes(spec.intent) ?? false;

  const rows = new Float64Array(signals.length * k);
  const offset = new Float64Array(signals.length);
  // Decayed sums as of `atMs`: one per column (levels unused) and the offset.
  const sums = new Float64Array(k);
  let offsetSum = 0;
  let atMs = Number.NEGATIVE_INFINITY;
  let closedAtMs = Number.NEGATIVE_INFINITY;
  const state = emptyBehaviour();

  signals.forEach((signal, n) => {
    const t = Date.parse(signal.timestamp);
    if (t > atMs) {
      const f = Number.isFinite(atMs) ? decayFactor(t - atMs, spec.halfLifeMinutes) : 1;
      for (let j = 0; j < k; j++) sums[j] *= f;
      offsetSum *= f;
      atMs = t;
    }
    if (closes(signal.event)) {
      sums.fill(0);
      offsetSum = 0;
      closedAtMs = t;
    }
    const patterns = behaviour ? applyBehaviour(state, signal, t, behaviour) : [];
    if (t > closedAtMs) {
      const e = eventColumn.get(signal.event);
      if (e !== undefined) sums[e] += 1;
      for (const p of patterns) sums[patternColumn.get(p) as number] += 1;
      for (const f of featuresOf(signal, compiled)) if (f.intent === spec.intent) offsetSum += f.weight;
    }
    rows.set(sums, n * k);
    for (const l of LEVEL_FEATURES) rows[n * k + (levelColumn.get(l) as number)] = 0;
    if (behaviour) {
      for (const l of levelsAt(state, t, behaviour)) rows[n * k + (levelColumn.get(l.feature) as number)] = l.value;
    }
    offset[n] = t > closedAtMs ? offsetSum : 0;
  });
  return { columns, rows, offset };
}
