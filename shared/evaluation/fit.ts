/**
 * `npm run fit`: learns an intent's weights, half-life and threshold from recorded outcomes.
 *
 * 1. Split customers in two (seeded); everything is learned on the training part only.
 * 2. For each half-life (and half-life of the last strong signal) on a grid, take the scorer apart
 *    by feature (shared/scoring/trace.ts) and fit a logistic regression of the session's outcome
 *    on the features at the session's highest-scoring signal, which is what evaluation ranks
 *    sessions by. The highest-scoring signal depends on the weights, so fit and argmax alternate
 *    (starting from the session's last signal) until it settles. Weights are log-odds: a cart add
 *    of weight 0.9 multiplies the odds of a purchase by e^0.9; the intercept becomes the intent's
 *    `baseLogOdds`, so the fitted score is the regression's probability. Removals and an emptied cart are
 *    kept non-positive and the last strong signal non-negative; the data decides the other signs.
 * 3. Keep the grid point with the best ranking (ROC AUC) on the training sessions.
 * 4. Weights the data cannot teach (events it lacks, words, content) keep the base
 *    configuration's priors, which are log-odds like the fitted ones (docs/SCORING.md).
 * 5. Run the real scorer on the training customers and choose the threshold from a target
 *    precision, an alert budget or the best F1; then evaluate the held-out customers.
 */
import { deepMerge, type DeepPartial } from '../config/load';
import type { MicroMomentsConfig, ProvenanceFigures, ScoringConfig, ScoringProvenance } from '../config/types';
import { validateConfig } from '../config/validate';
import type { EnrichedSignal, Intent } from '../contracts/enriched';
import { scoreOf } from '../scoring/decay';
import { planTrace, traceCustomer, traceColumns, type TraceSpec } from '../scoring/trace';
import { bestF1Threshold } from './baselines';
import { BASELINE_NAMES, evaluateSessions, type EvaluationReport } from './evaluate';
import { fitLogistic, type LogisticFit } from './logistic';
import { Ranking } from './metrics';
import { sessionsOf, type EvaluateRun, type PreparedHistory } from './run-evaluation';
import { scoreHistory } from './run-pipeline';
import { inMemoryScoreStage } from './score-stage';
import { appliedEvents, eventsByCustomer, type Session } from './sessions';
import { splitCustomers } from './split';

export const FITTER = 'npm run fit (fit-2)';

export type ThresholdRule = { rule: 'max-f1' } | { rule: 'target-precision'; value: number } | { rule: 'alert-budget'; value: number };

export interface FitSettings extends EvaluateRun {
  trainFraction: number;
  threshold: ThresholdRule;
  halfLivesMinutes: readonly number[];
  recencyHalfLivesMinutes: readonly number[];
  /** An event needs this many occurrences among the training sessions' signals to get a weight of its own. */
  minEventCount: number;
  /** A weight the base configuration gives a sign keeps it (the data may take it to zero, not flip it). */
  keepPriorSigns: boolean;
  /** Features (trace columns, e.g. `prior-purchases`, `event:Product Added`) left to their prior: a history that cannot teach them. */
  notFitted: readonly string[];
}

export const DEFAULT_FIT: Omit<FitSettings, 'intent' | 'seed' | 'replicates' | 'session'> = {
  trainFraction: 0.5,
  threshold: { rule: 'max-f1' },
  halfLivesMinutes: [2, 5, 10, 20, 30, 60, 120, 240],
  recencyHalfLivesMinutes: [10, 30, 120, 720],
  minEventCount: 10,
  keepPriorSigns: true,
  notFitted: [],
};

export interface GridPoint {
  halfLifeMinutes: number;
  recencyHalfLifeMinutes: number;
  trainRocAuc: number;
}

export interface FitResult {
  /** The configuration file `fit` writes: the scoring keys it learned, with their provenance. */
  patch: { scoring: DeepPartial<ScoringConfig> };
  /** The base configuration with the patch, validated. */
  config: MicroMomentsConfig;
  heldOut: EvaluationReport;
  grid: GridPoint[];
  columns: string[];
  coefficients: Record<string, number>;
  intercept: number;
  /** Features that kept their prior. */
  priors: string[];
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const clampWeight = (x: number): number => r4(Math.max(-5, Math.min(5, x)));

interface Design {
  columns: string[];
  /** Per training session: the rows (n × k) of its usable signals and their offsets. */
  rows: Float64Array[];
  customers: number[];
  offsets: Float64Array[];
  labels: Uint8Array;
}

function design(customersSignals: Map<number, { indices: number[]; signals: EnrichedSignal[] }>, sessions: readonly Session[], spec: TraceSpec, notFitted: ReadonlySet<string>): Design {
  const plan = planTrace(spec);
  const { columns } = plan;
  const k = columns.length;
  const rowOf = new Map<number, { rows: Float64Array; offset: Float64Array; at: number }>();
  // A column left to its prior is all zeros: nothing to learn, so its weight stays the prior.
  const blank = columns.flatMap((c, j) => (notFitted.has(c) ? [j] : []));
  for (const { indices, signals } of customersSignals.values()) {
    const t = traceCustomer(signals, plan);
    for (let n = 0; n < indices.length; n++) for (const j of blank) t.rows[n * k + j] = 0;
    indices.forEach((i, n) => rowOf.set(i, { rows: t.rows, offset: t.offset, at: n }));
  }
  const rows: Float64Array[] = [];
  const offsets: Float64Array[] = [];
  for (const s of sessions) {
    const r = new Float64Array(s.usable.length * k);
    const o = new Float64Array(s.usable.length);
    s.usable.forEach((i, u) => {
      const src = rowOf.get(i);
      if (!src) return;
      r.set(src.rows.subarray(src.at * k, (src.at + 1) * k), u * k);
      o[u] = src.offset[src.at];
    });
    rows.push(r);
    offsets.push(o);
  }
  return { columns, rows, offsets, customers: sessions.map((s) => s.customer), labels: Uint8Array.from(sessions, (s) => (s.label ? 1 : 0)) };
}

/** The session's highest linear predictor (without intercept) and the signal that reaches it. */
function sessionMax(d: Design, s: number, coef: readonly number[]): { value: number; at: number } {
  const k = d.columns.length;
  const rows = d.rows[s];
  let best = Number.NEGATIVE_INFINITY;
  let at = 0;
  for (let u = 0; u < d.offsets[s].length; u++) {
    let eta = d.offsets[s][u];
    for (let j = 0; j < k; j++) eta += coef[j] * rows[u * k + j];
    // Ties go to the later signal: the state then holds more of the session.
    if (eta >= best) {
      best = eta;
      at = u;
    }
  }
  return { value: best, at };
}

/**
 * Logistic regression at each session's highest-scoring signal, alternating fit and argmax, on
 * the sessions `on` (indices into the design); answers the fit with the best ranking there.
 */
function fitMax(d: Design, sign: (-1 | 0 | 1)[], l2: number, on: readonly number[]): { fit: LogisticFit; auc: number } {
  const k = d.columns.length;
  const labels = Uint8Array.from(on, (s) => d.labels[s]);
  let at = on.map((s) => d.offsets[s].length - 1);
  let best: { fit: LogisticFit; auc: number } | undefined;
  for (let round = 0; round < 6; round++) {
    const x = new Float64Array(on.length * k);
    const offset = new Float64Array(on.length);
    on.forEach((s, r) => {
      x.set(d.rows[s].subarray(at[r] * k, (at[r] + 1) * k), r * k);
      offset[r] = d.offsets[s][at[r]];
    });
    const fit = fitLogistic({ x, k, y: labels, offset, sign, l2 });
    const max = on.map((s) => sessionMax(d, s, fit.coef));
    const auc = new Ranking(Float64Array.from(max, (m) => m.value)).rocAuc(labels);
    if (!best || auc > best.auc) best = { fit, auc };
    const next = max.map((m) => m.at);
    if (next.every((a, r) => a === at[r])) break;
    at = next;
  }
  return best as { fit: LogisticFit; auc: number };
}

/**
 * The penalty on the standardised weights: enough to keep a small history's weights finite, small
 * enough to leave them log-odds comparable with the priors (a cross-validated penalty shrank them
 * tenfold for no better ranking on either sample).
 */
export const PENALTY = 1e-2;

function chooseThreshold(score: Float64Array, label: Uint8Array, rule: ThresholdRule): number {
  const distinct = [...new Set(score)].filter((s) => s > 0).sort((a, b) => b - a);
  if (distinct.length === 0) return 0.5;
  if (rule.rule === 'max-f1') return bestF1Threshold(score, label);
  let chosen = distinct[0];
  let bestPrecision = -1;
  let bestPrecisionAt = distinct[0];
  for (const t of distinct) {
    let tp = 0;
    let flagged = 0;
    for (let i = 0; i < score.length; i++) {
      if (score[i] >= t) {
        flagged++;
        tp += label[i];
      }
    }
    const precision = tp / flagged;
    if (rule.rule === 'target-precision') {
      if (precision > bestPrecision) {
        bestPrecision = precision;
        bestPrecisionAt = t;
      }
      if (precision >= rule.value) chosen = t;
    } else if ((1000 * flagged) / score.length <= rule.value) chosen = t;
    else break;
  }
  // A precision never reached: the most precise threshold there is.
  if (rule.rule === 'target-precision' && bestPrecision < rule.value) return bestPrecisionAt;
  return chosen;
}

export function figuresOf(r: EvaluationReport): ProvenanceFigures {
  const by = (name: string) => r.baselines.find((b) => b.name === name);
  return {
    sessions: r.sessions.evaluated,
    positives: r.sessions.positives,
    rocAuc: r.model.rocAuc.value,
    prAuc: r.model.prAuc.value,
    precision: r.model.precision?.value ?? 0,
    recall: r.model.recall?.value ?? 0,
    f1: r.model.f1?.value ?? 0,
    alertsPer1000Sessions: r.model.alertsPer1000Sessions?.value ?? 0,
    baselines: { logisticRocAuc: by(BASELINE_NAMES.logistic)?.rocAuc.value ?? 0, cartAddF1: by(BASELINE_NAMES.cartRule)?.f1?.value ?? 0 },
  };
}

export async function fitScoring(prepared: PreparedHistory, base: MicroMomentsConfig, settings: FitSettings, log: (line: string) => void = () => {}): Promise<FitResult> {
  const { intent } = settings;
  const all = sessionsOf(prepared, base, intent, settings.session);
  const train = splitCustomers(all.customers, settings.trainFraction, settings.seed);
  const trainSessions = all.sessions.filter((s) => train[s.customer] === 1);
  const h = prepared.enriched;
  const status = h.status;
  const signalOf = (i: number) => {
    const st = status[i];
    if (st.kind !== 'enriched') throw new Error('not enriched');
    return st.signal;
  };
  const customersSignals = new Map<number, { indices: number[]; signals: EnrichedSignal[] }>();
  eventsByCustomer(h).forEach((indices, c) => {
    if (train[c] !== 1) return;
    const applied = appliedEvents(h, indices);
    customersSignals.set(c, { indices: applied, signals: applied.map(signalOf) });
  });

  // Which events get a weight of their own.
  const b = base.scoring.behaviour;
  const outcomes = new Set(base.scoring.intents[intent].outcomeEvents ?? []);
  const closers = new Set(Object.entries(base.scoring.closers).filter(([, is]) => is.includes(intent)).map(([e]) => e));
  const views = new Set(b.events.view);
  const removes = new Set(b.events.remove);
  const counts = new Map<string, number>();
  let viewSignals = 0;
  let viewsWithProduct = 0;
  for (const s of trainSessions) {
    for (const i of s.usable) {
      const sig = signalOf(i);
      counts.set(sig.event, (counts.get(sig.event) ?? 0) + 1);
      if (views.has(sig.event)) {
        viewSignals++;
        if (sig.features.productId !== undefined) viewsWithProduct++;
      }
    }
  }
  const viewsByBehaviour = b.memory > 0 && viewSignals > 0 && viewsWithProduct >= viewSignals / 2;
  const events = [...counts.entries()]
    .filter(([e, n]) => n >= settings.minEventCount && !outcomes.has(e) && !closers.has(e) && !(viewsByBehaviour && views.has(e)))
    .map(([e]) => e)
    .sort();
  const columns = traceColumns({ events });
  for (const name of settings.notFitted) {
    const known = name.startsWith('event:') || traceColumns({ events: [] }).includes(name);
    if (!known) throw new Error(`--not-fitted: unknown feature ${name} (features: event:<name>, ${traceColumns({ events: [] }).join(', ')})`);
  }
  // Removals and an emptied cart can only take away; the last strong signal can only add (the
  // configuration refuses a negative recency weight); with keepPriorSigns a weight the base
  // configuration gives a sign keeps it; the data decides the rest.
  const priorOf = (c: string): number | undefined => {
    if (c.startsWith('event:')) return base.scoring.eventWeights[c.slice(6)]?.[intent];
    const w = {
      'focus:product': b.focusProduct,
      'focus:category': b.focusCategory,
      breadth: b.breadth,
      'cart-empty': b.cartEmptied,
      'cart-items': b.cartItems.weights,
      'prior-purchases': b.priorPurchases.weights,
      'recent-strong-signal': b.recency.weights,
    }[c];
    return w?.[intent];
  };
  const sign = columns.map((c): -1 | 0 | 1 => {
    if (c === 'cart-empty' || (c.startsWith('event:') && removes.has(c.slice(6)))) return -1;
    if (c === 'recent-strong-signal') return 1;
    const prior = settings.keepPriorSigns ? priorOf(c) : undefined;
    return prior === undefined || prior === 0 ? 0 : prior > 0 ? 1 : -1;
  });
  log(`fit: ${trainSessions.length} training sessions (${trainSessions.filter((s) => s.label).length} positive), columns ${columns.join(', ')}`);

  // The grid.
  const grid: GridPoint[] = [];
  let best: { point: GridPoint; fit: LogisticFit; d: Design } | undefined;
  const everyone = trainSessions.map((_, i) => i);
  for (const halfLifeMinutes of settings.halfLivesMinutes) {
    for (const recencyHalfLifeMinutes of settings.recencyHalfLivesMinutes) {
      const spec: TraceSpec = { intent, events, halfLifeMinutes, recencyHalfLifeMinutes, scoring: base.scoring, viewsByBehaviour };
      const d = design(customersSignals, trainSessions, spec, new Set(settings.notFitted));
      const { fit, auc } = fitMax(d, sign, PENALTY, everyone);
      const point = { halfLifeMinutes, recencyHalfLifeMinutes, trainRocAuc: r4(auc) };
      grid.push(point);
      if (!best || auc > best.point.trainRocAuc + 1e-12) best = { point, fit, d };
    }
  }
  if (!best) throw new Error('fit: empty grid');
  log(`fit: best half-life ${best.point.halfLifeMinutes} min, last strong signal ${best.point.recencyHalfLifeMinutes} min, training ROC AUC ${best.point.trainRocAuc}`);

  const coefficients: Record<string, number> = {};
  columns.forEach((c, j) => (coefficients[c] = clampWeight(best.fit.coef[j])));
  // A column the training signals never set cannot be learned: its feature keeps a prior.
  const present = new Set<string>();
  for (const rows of best.d.rows) for (let idx = 0; idx < rows.length; idx++) if (rows[idx] !== 0) present.add(columns[idx % columns.length]);

  // The patch: fitted weights, then priors for what the data could not teach.
  const priorFeatures: string[] = [];
  const eventWeights: Record<string, Record<string, number>> = {};
  for (const e of events) if (present.has(`event:${e}`)) eventWeights[e] = { [intent]: coefficients[`event:${e}`] };
  if (viewsByBehaviour) for (const v of views) eventWeights[v] = { [intent]: 0 };
  for (const [e, w] of Object.entries(base.scoring.eventWeights)) {
    const v = w[intent];
    if (eventWeights[e] || typeof v !== 'number' || v === 0) continue;
    eventWeights[e] = { [intent]: v };
    priorFeatures.push(`event:${e}`);
  }
  if (base.scoring.lexicon.some((l) => l.intent === intent)) priorFeatures.push('lexicon');
  for (const [c, w] of Object.entries(base.scoring.contentWeights)) if (w[intent]) priorFeatures.push(`content:${c}`);
  const behaviourWeight = (feature: string, baseWeights: Partial<Record<Intent, number>>) => {
    if (present.has(feature)) return { [intent]: coefficients[feature] };
    const v = baseWeights[intent];
    if (typeof v === 'number' && v !== 0) {
      priorFeatures.push(feature);
      return { [intent]: v };
    }
    return { [intent]: 0 };
  };
  const behaviour = {
    focusProduct: behaviourWeight('focus:product', b.focusProduct),
    focusCategory: behaviourWeight('focus:category', b.focusCategory),
    breadth: behaviourWeight('breadth', b.breadth),
    cartEmptied: behaviourWeight('cart-empty', b.cartEmptied),
    cartItems: { weights: behaviourWeight('cart-items', b.cartItems.weights) },
    priorPurchases: { weights: behaviourWeight('prior-purchases', b.priorPurchases.weights) },
    recency: { weights: behaviourWeight('recent-strong-signal', b.recency.weights), halfLifeMinutes: best.point.recencyHalfLifeMinutes },
  };
  const version = `fit-${intent}-${prepared.input.sha256.slice(0, 8)}-s${settings.seed}`;
  const patch = (threshold: number): { scoring: DeepPartial<ScoringConfig> } => ({
    scoring: {
      version,
      intents: { [intent]: { halfLifeMinutes: best.point.halfLifeMinutes, threshold, baseLogOdds: r4(best.fit.intercept) } },
      eventWeights,
      behaviour,
    },
  });
  const configWith = (p: { scoring: DeepPartial<ScoringConfig> }) => validateConfig(deepMerge(structuredClone(base), p));

  // The threshold, from the real scorer on the training customers.
  const trial = configWith(patch(0.5));
  const scored = await scoreHistory(h, trial, intent, inMemoryScoreStage);
  // A customer with no evidence scores σ(baseLogOdds): the threshold is chosen above it, so that
  // only evidence for the intent opens a moment, never the base rate alone.
  const floor = scoreOf(0, base.scoring.evidenceScale, r4(best.fit.intercept));
  const trainMax = Float64Array.from(trainSessions, (s) => {
    const max = s.usable.reduce((m, i) => (scored.score[i] > m ? scored.score[i] : m), 0);
    return max > floor ? max : 0;
  });
  const raw = chooseThreshold(trainMax, Uint8Array.from(trainSessions, (s) => (s.label ? 1 : 0)), settings.threshold);
  // Rounded down, so that the sessions at the chosen score stay flagged (but not to the floor); kept inside (0, 1).
  const threshold = Math.min(0.9999, Math.max(0.0001, Math.floor(raw * 1e4) / 1e4 > floor ? Math.floor(raw * 1e4) / 1e4 : Math.ceil(raw * 1e4) / 1e4));
  log(`fit: threshold ${threshold} (${settings.threshold.rule}${'value' in settings.threshold ? ` ${settings.threshold.value}` : ''})`);

  // Held out.
  const final = configWith(patch(threshold));
  const finalScored = await scoreHistory(h, final, intent, inMemoryScoreStage);
  const heldOut = {
    ...evaluateSessions(final, h, finalScored, all, {
      intent,
      seed: settings.seed,
      replicates: settings.replicates,
      train,
      sessionGapMinutes: settings.session.gapMinutes,
      ...(settings.session.sessionIdPath ? { sessionIdPath: settings.session.sessionIdPath } : {}),
    }),
    input: prepared.input,
  };
  const provenance: ScoringProvenance = {
    fittedBy: FITTER,
    input: { name: prepared.input.name, sha256: prepared.input.sha256, signals: h.counts.events, customers: all.customers, sessions: all.sessions.length },
    split: {
      by: 'customer',
      seed: settings.seed,
      trainFraction: settings.trainFraction,
      trainCustomers: train.reduce((a, x) => a + x, 0),
      testCustomers: train.length - train.reduce((a, x) => a + x, 0),
    },
    seed: settings.seed,
    threshold: settings.threshold,
    ...(settings.notFitted.length > 0 ? { notFitted: [...settings.notFitted] } : {}),
    heldOut: figuresOf(heldOut),
  };
  const out = patch(threshold);
  (out.scoring as { provenance?: unknown }).provenance = { [intent]: provenance };
  const config = configWith(out);
  heldOut.provenance = provenance;
  return { patch: out, config, heldOut, grid, columns, coefficients, intercept: r4(best.fit.intercept), priors: priorFeatures };
}

