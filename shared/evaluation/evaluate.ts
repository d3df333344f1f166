/**
 * The evaluation report: how well an intent's moments and scores, from the real pipeline, predict
 * the outcome per session, beside the baselines on the same sessions, with bootstrap intervals
 * over customers. Pure: the same inputs and seed give the same report, byte for byte.
 */
import type { MicroMomentsConfig, ScoringProvenance } from '../config/types';
import type { Intent } from '../contracts/enriched';
import { COUNT_FEATURES, fitCountsModel, predictCounts, sessionCounts, type CountsModel } from './baselines';
import { bootstrap, type Interval } from './bootstrap';
import { confusion, f1Of, precisionOf, quantile, Ranking, recallOf, thin, type CurvePoint } from './metrics';
import type { EnrichedHistory, ScoredHistory } from './run-pipeline';
import { leftOutCounts, type LeftOutReason, type Sessions } from './sessions';
import { splitCustomers } from './split';
import { topFeatures, type FeatureWeight } from './top-features';

export interface EvaluateOptions {
  intent: Intent;
  seed: number;
  replicates: number;
  /**
   * Evaluate only the customers outside the training part (`train[c] === 1` is training), with the
   * logistic baseline fitted on the training part. Without it, every customer is evaluated and the
   * baseline is cross-fitted on two halves of the customers.
   */
  train?: Uint8Array;
}

export interface ScorerFigures {
  name: string;
  rocAuc: Interval;
  prAuc: Interval;
  /** For scorers that flag sessions (the model's moments, the rule, the regression at its threshold). */
  precision?: Interval;
  recall?: Interval;
  f1?: Interval;
  alertsPer1000Sessions?: Interval;
  curves: { roc: [number, number][]; pr: [number, number][] };
}

export interface EvaluationReport {
  version: 1;
  intent: Intent;
  outcomeEvents: string[];
  scoringVersion: string;
  options: { seed: number; replicates: number; sessionGapMinutes: number; sessionIdPath?: string; customers: 'all' | 'held-out' };
  input?: { name: string; sha256: string; lines: number };
  pipeline: {
    events: number;
    unreadable: number;
    enriched: number;
    dropped: Record<string, number>;
    quarantined: Record<string, number>;
    alreadyApplied: number;
  };
  sessions: {
    evaluated: number;
    positives: number;
    customers: number;
    leftOut: Record<LeftOutReason, { sessions: number; positives: number }>;
  };
  model: ScorerFigures & {
    threshold: number;
    moments: number;
    flaggedSessions: number;
    leadTimeMinutes: { count: number; median: number; q1: number; q3: number; histogram: { upToMinutes: number | null; sessions: number }[] };
    /**
     * The same scores ranked at the session's last signal before the outcome (what the scorer holds
     * when the session ends or the order comes) instead of their highest: a diagnostic, not the
     * headline. Browsing after the score's peak can lower this one, never the highest.
     */
    atLastSignal: { rocAuc: Interval; prAuc: Interval };
    /** Flagging every session whose highest score reaches the threshold (cooldowns aside). */
    thresholds: { threshold: number; precision: number; recall: number; alertsPer1000Sessions: number }[];
  };
  baselines: ScorerFigures[];
  logisticRegression: { features: readonly string[]; coefficients: number[][] };
  topFeatures: FeatureWeight[];
  provenance?: ScoringProvenance;
}

export const BASELINE_NAMES = {
  cartRule: 'cart-add rule',
  adds: 'cart adds (count)',
  views: 'product views (count)',
  logistic: 'logistic regression on counts',
} as const;

const r4 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x);
const interval = (i: Interval): Interval => ({ value: r4(i.value), low: r4(i.low), high: r4(i.high) });
const LEAD_BUCKETS = [1, 5, 15, 30, 60, 120, 240, 720, 1440];

function curves(points: CurvePoint[]): ScorerFigures['curves'] {
  const roc: [number, number][] = [[0, 0], ...points.map((p) => [r4(p.fpr), r4(p.tpr)] as [number, number])];
  const pr: [number, number][] = points.map((p) => [r4(p.tpr), r4(p.precision)]);
  return { roc: thin(roc, 200), pr: thin(pr, 200) };
}

export function evaluateSessions(
  config: MicroMomentsConfig,
  enriched: EnrichedHistory,
  scored: ScoredHistory,
  all: Sessions,
  opts: EvaluateOptions & { sessionGapMinutes: number; sessionIdPath?: string },
): EvaluationReport {
  const { intent } = opts;
  const inTest = (c: number) => !opts.train || opts.train[c] === 0;
  const sessions = all.sessions.filter((s) => inTest(s.customer));
  const n = sessions.length;
  const label = Uint8Array.from(sessions, (s) => (s.label ? 1 : 0));
  const events = enriched.history.events;

  // Customers renumbered over the evaluated sessions, for the bootstrap.
  const customerIndex = new Map<number, number>();
  const sessionCustomer = Uint32Array.from(sessions, (s) => {
    let c = customerIndex.get(s.customer);
    if (c === undefined) {
      c = customerIndex.size;
      customerIndex.set(s.customer, c);
    }
    return c;
  });
  const customers = customerIndex.size;

  // The model: the highest score before the outcome, and the moments.
  const modelScore = Float64Array.from(sessions, (s) => {
    let max = 0;
    for (const i of s.usable) if (scored.score[i] > max) max = scored.score[i];
    return max;
  });
  const byTrigger = new Map<string, number>();
  for (const e of events) {
    const st = enriched.status[e.index];
    // The enriched signal's own id: the one a moment's trigger names.
    const key = st.kind === 'enriched' ? `${st.signal.customerKey}|${st.signal.messageId}` : undefined;
    if (key && !byTrigger.has(key)) byTrigger.set(key, e.index);
  }
  const momentsAt = new Map<number, number[]>();
  for (const m of scored.moments) {
    const i = byTrigger.get(`${m.customerKey}|${m.trigger.messageId}`);
    if (i === undefined) continue;
    const list = momentsAt.get(i);
    const detected = Date.parse(m.detectedAt);
    if (list) list.push(detected);
    else momentsAt.set(i, [detected]);
  }
  const flagged = new Uint8Array(n);
  const momentsPerSession = new Float64Array(n);
  const leads: number[] = [];
  sessions.forEach((s, k) => {
    for (const i of s.events) momentsPerSession[k] += momentsAt.get(i)?.length ?? 0;
    let first = Number.POSITIVE_INFINITY;
    for (const i of s.usable) for (const t of momentsAt.get(i) ?? []) first = Math.min(first, t);
    if (Number.isFinite(first)) {
      flagged[k] = 1;
      if (s.outcomeMs !== undefined) leads.push((s.outcomeMs - first) / 60_000);
    }
  });

  // Baselines.
  const behaviourEvents = config.scoring.behaviour.events;
  const counts = sessionCounts(sessions, enriched, behaviourEvents);
  const adds = Float64Array.from(counts, (c) => c[1]);
  const views = Float64Array.from(counts, (c) => c[0]);
  const cartRule = Uint8Array.from(adds, (a) => (a > 0 ? 1 : 0));
  const { logistic, logisticFlag, models } = logisticBaseline(config, enriched, all, sessions, counts, label, opts);

  const alertsOf = (perSession: Float64Array) => (w?: Float64Array) => {
    let a = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      a += (w ? w[i] : 1) * perSession[i];
      s += w ? w[i] : 1;
    }
    return s > 0 ? (1000 * a) / s : Number.NaN;
  };
  const figures = (name: string, score: Float64Array, flag?: Uint8Array, alerts?: Float64Array): ScorerFigures => {
    const ranking = new Ranking(score);
    const stats: Record<string, (w?: Float64Array) => number> = {
      rocAuc: (w) => ranking.rocAuc(label, w),
      prAuc: (w) => ranking.averagePrecision(label, w),
    };
    if (flag) {
      stats.precision = (w) => precisionOf(confusion(flag, label, w));
      stats.recall = (w) => recallOf(confusion(flag, label, w));
      stats.f1 = (w) => f1Of(confusion(flag, label, w));
      stats.alertsPer1000Sessions = alertsOf(alerts ?? Float64Array.from(flag));
    }
    const b = bootstrap(stats, sessionCustomer, customers, { replicates: opts.replicates, seed: opts.seed });
    const out: ScorerFigures = { name, rocAuc: interval(b.rocAuc), prAuc: interval(b.prAuc), curves: curves(ranking.curve(label)) };
    if (flag) {
      out.precision = interval(b.precision);
      out.recall = interval(b.recall);
      out.f1 = interval(b.f1);
      out.alertsPer1000Sessions = interval(b.alertsPer1000Sessions);
    }
    return out;
  };

  const modelRanking = new Ranking(modelScore);
  const lastRanking = new Ranking(Float64Array.from(sessions, (s) => {
    const v = scored.score[s.usable[s.usable.length - 1]];
    return Number.isNaN(v) ? 0 : v;
  }));
  const last = bootstrap(
    { rocAuc: (w) => lastRanking.rocAuc(label, w), prAuc: (w) => lastRanking.averagePrecision(label, w) },
    sessionCustomer,
    customers,
    { replicates: opts.replicates, seed: opts.seed },
  );
  const model = figures(`${intent} moments`, modelScore, flagged, momentsPerSession);
  const sortedLeads = leads.sort((a, b) => a - b);
  const histogram = [...LEAD_BUCKETS, null].map((upTo, k) => ({
    upToMinutes: upTo,
    sessions: sortedLeads.filter((x) => (k === 0 || x > (LEAD_BUCKETS[k - 1] as number)) && (upTo === null || x <= upTo)).length,
  }));
  const thresholds = thin(modelRanking.curve(label), 200).map((p) => ({
    threshold: r4(p.threshold),
    precision: r4(p.precision),
    recall: r4(p.tpr),
    alertsPer1000Sessions: r4(1000 * p.flagged),
  }));

  const report: EvaluationReport = {
    version: 1,
    intent,
    outcomeEvents: config.scoring.intents[intent].outcomeEvents ?? [],
    scoringVersion: config.scoring.version,
    options: {
      seed: opts.seed,
      replicates: opts.replicates,
      sessionGapMinutes: opts.sessionGapMinutes,
      ...(opts.sessionIdPath ? { sessionIdPath: opts.sessionIdPath } : {}),
      customers: opts.train ? 'held-out' : 'all',
    },
    pipeline: {
      events: enriched.counts.events,
      unreadable: enriched.history.unreadable,
      enriched: enriched.counts.enriched,
      dropped: enriched.counts.dropped,
      quarantined: enriched.counts.quarantined,
      alreadyApplied: scored.alreadyApplied,
    },
    sessions: {
      evaluated: n,
      positives: label.reduce((a, b) => a + b, 0),
      customers,
      leftOut: leftOutCounts(all.leftOut, inTest),
    },
    model: {
      ...model,
      threshold: config.scoring.intents[intent].threshold,
      moments: momentsPerSession.reduce((a, b) => a + b, 0),
      flaggedSessions: flagged.reduce((a, b) => a + b, 0),
      leadTimeMinutes: {
        count: sortedLeads.length,
        median: r4(quantile(sortedLeads, 0.5)),
        q1: r4(quantile(sortedLeads, 0.25)),
        q3: r4(quantile(sortedLeads, 0.75)),
        histogram,
      },
      thresholds,
      atLastSignal: { rocAuc: interval(last.rocAuc), prAuc: interval(last.prAuc) },
    },
    baselines: [
      figures(BASELINE_NAMES.cartRule, Float64Array.from(cartRule), cartRule),
      figures(BASELINE_NAMES.adds, adds),
      figures(BASELINE_NAMES.views, views),
      figures(BASELINE_NAMES.logistic, logistic, logisticFlag),
    ],
    logisticRegression: {
      features: COUNT_FEATURES,
      coefficients: models.map((m) => [r4(m.fit.intercept), ...m.fit.coef.map(r4)]),
    },
    topFeatures: topFeatures(config.scoring, intent),
  };
  const provenance = config.scoring.provenance?.[intent];
  if (provenance) report.provenance = provenance;
  return report;
}

/**
 * The logistic regression on counts, never judged on the customers it was fitted on: fitted on
 * the training part when there is one, else cross-fitted on two halves of the customers.
 */
function logisticBaseline(
  config: MicroMomentsConfig,
  enriched: EnrichedHistory,
  all: Sessions,
  sessions: Sessions['sessions'],
  counts: Float64Array[],
  label: Uint8Array,
  opts: EvaluateOptions,
): { logistic: Float64Array; logisticFlag: Uint8Array; models: CountsModel[] } {
  const score = new Float64Array(sessions.length);
  const flag = new Uint8Array(sessions.length);
  const models: CountsModel[] = [];
  const fitOn = (rows: Float64Array[], labels: Uint8Array): CountsModel | undefined => {
    const positives = labels.reduce((a, b) => a + b, 0);
    return positives > 0 && positives < labels.length ? fitCountsModel(rows, labels) : undefined;
  };
  if (opts.train) {
    const trainSessions = all.sessions.filter((s) => opts.train?.[s.customer] === 1);
    const model = fitOn(sessionCounts(trainSessions, enriched, config.scoring.behaviour.events), Uint8Array.from(trainSessions, (s) => (s.label ? 1 : 0)));
    if (model) {
      models.push(model);
      predictCounts(model, counts).forEach((p, i) => {
        score[i] = p;
        flag[i] = p >= model.threshold ? 1 : 0;
      });
    }
    return { logistic: score, logisticFlag: flag, models };
  }
  const fold = splitCustomers(all.customers, 0.5, opts.seed);
  for (const part of [0, 1]) {
    const trainIdx = sessions.map((s, i) => (fold[s.customer] !== part ? i : -1)).filter((i) => i >= 0);
    const testIdx = sessions.map((s, i) => (fold[s.customer] === part ? i : -1)).filter((i) => i >= 0);
    const model = fitOn(trainIdx.map((i) => counts[i]), Uint8Array.from(trainIdx, (i) => label[i]));
    if (!model) continue;
    models.push(model);
    const p = predictCounts(model, testIdx.map((i) => counts[i]));
    testIdx.forEach((i, k) => {
      score[i] = p[k];
      flag[i] = p[k] >= model.threshold ? 1 : 0;
    });
  }
  return { logistic: score, logisticFlag: flag, models };
}
