/**
 * The simple baselines every model is judged beside, on the same sessions and the same signals
 * (those enrich let through, before the outcome): "the session has a cart add", the number of
 * cart adds, the number of product views, and a logistic regression on per-session counts (views,
 * adds, removes, distinct products, duration). A model that does not beat them is not detecting
 * intent.
 */
import type { BehaviourSettings } from '../config/types';
import { fitLogistic, linear, type LogisticFit } from './logistic';
import { f1Of, confusion } from './metrics';
import type { EnrichedHistory } from './run-pipeline';
import type { Session } from './sessions';

export const COUNT_FEATURES = ['views', 'adds', 'removes', 'distinctProducts', 'durationMinutes'] as const;
export type CountFeature = (typeof COUNT_FEATURES)[number];

/** Per session, the counts in COUNT_FEATURES order. */
export function sessionCounts(sessions: readonly Session[], h: EnrichedHistory, events: BehaviourSettings['events']): Float64Array[] {
  const view = new Set(events.view);
  const add = new Set(events.add);
  const remove = new Set(events.remove);
  return sessions.map((s) => {
    let views = 0;
    let adds = 0;
    let removes = 0;
    const products = new Set<string>();
    for (const i of s.usable) {
      const st = h.status[i];
      if (st.kind !== 'enriched') continue;
      const e = st.signal.event;
      if (view.has(e)) views++;
      if (add.has(e)) adds++;
      if (remove.has(e)) removes++;
      if (st.signal.features.productId !== undefined) products.add(st.signal.features.productId);
    }
    const first = h.history.events[s.usable[0]].timeMs;
    const last = h.history.events[s.usable[s.usable.length - 1]].timeMs;
    return Float64Array.from([views, adds, removes, products.size, (last - first) / 60_000]);
  });
}

export interface CountsModel {
  fit: LogisticFit;
  /** Predicted probability at or above which a session is flagged (the best F1 on its training sessions). */
  threshold: number;
}

function matrix(rows: readonly Float64Array[]): Float64Array {
  const k = COUNT_FEATURES.length;
  const x = new Float64Array(rows.length * k);
  rows.forEach((r, i) => x.set(r, i * k));
  return x;
}

export function fitCountsModel(rows: readonly Float64Array[], labels: Uint8Array): CountsModel {
  const fit = fitLogistic({ x: matrix(rows), k: COUNT_FEATURES.length, y: labels, l2: 1e-4 });
  const p = Float64Array.from(rows, (r) => linear(fit, r));
  return { fit, threshold: bestF1Threshold(p, labels) };
}

export function predictCounts(model: CountsModel, rows: readonly Float64Array[]): Float64Array {
  return Float64Array.from(rows, (r) => linear(model.fit, r));
}

/** The score at or above which flagging gives the best F1 (the highest such score on ties). */
export function bestF1Threshold(score: Float64Array, label: Uint8Array): number {
  const distinct = [...new Set(score)].sort((a, b) => b - a);
  let best = Number.POSITIVE_INFINITY;
  let bestF1 = -1;
  // Sweep from the highest score: flagged sessions grow one group at a time.
  const order = Array.from(score.keys()).sort((a, b) => score[b] - score[a]);
  let tp = 0;
  let fp = 0;
  let P = 0;
  for (let i = 0; i < label.length; i++) P += label[i];
  let k = 0;
  for (const t of distinct) {
    while (k < order.length && score[order[k]] >= t) {
      if (label[order[k]]) tp++;
      else fp++;
      k++;
    }
    const f1 = f1Of({ tp, fp, fn: P - tp, tn: 0 });
    if (f1 > bestF1) {
      bestF1 = f1;
      best = t;
    }
  }
  return best;
}

/** F1 of flagging at `threshold`, for the tests and the report. */
export function f1At(score: Float64Array, label: Uint8Array, threshold: number): number {
  return f1Of(confusion(Uint8Array.from(score, (s) => (s >= threshold ? 1 : 0)), label));
}
