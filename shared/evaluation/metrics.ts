/**
 * Ranking and classification figures over sessions, each with optional weights per session: the
 * bootstrap resamples customers by giving each session its customer's multiplicity, so one
 * ranking (sorted once) serves every replicate in linear time.
 *
 * - ROC AUC: the probability that a positive outranks a negative, ties counting half
 *   (Mann-Whitney).
 * - PR AUC: average precision, Σ over thresholds of Δrecall × precision, equal scores forming one
 *   threshold (no interpolation, which overstates it).
 */

export class Ranking {
  /** Session indices by score, ascending; `groups` holds the start of each run of equal scores. */
  readonly order: Uint32Array;
  readonly groups: Uint32Array;
  private readonly pair = new Float64Array(2);

  constructor(readonly score: Float64Array) {
    const order = Array.from(score.keys()).sort((a, b) => score[a] - score[b] || a - b);
    this.order = Uint32Array.from(order);
    const groups: number[] = [];
    for (let i = 0; i < order.length; i++) if (i === 0 || score[order[i]] !== score[order[i - 1]]) groups.push(i);
    this.groups = Uint32Array.from(groups);
  }

  private groupEnd(g: number): number {
    return g + 1 < this.groups.length ? this.groups[g + 1] : this.order.length;
  }

  /** Positive and negative weight of tied group g. Reuses one pair: the bootstrap calls this millions of times. */
  private groupWeights(g: number, label: Uint8Array, weight?: Float64Array): Float64Array {
    const pn = this.pair;
    pn[0] = 0;
    pn[1] = 0;
    for (let k = this.groups[g]; k < this.groupEnd(g); k++) {
      const i = this.order[k];
      pn[label[i] ? 0 : 1] += weight ? weight[i] : 1;
    }
    return pn;
  }

  rocAuc(label: Uint8Array, weight?: Float64Array): number {
    let negBelow = 0;
    let sum = 0;
    let pos = 0;
    for (let g = 0; g < this.groups.length; g++) {
      const [p, n] = this.groupWeights(g, label, weight);
      sum += p * (negBelow + n / 2);
      negBelow += n;
      pos += p;
    }
    return pos > 0 && negBelow > 0 ? sum / (pos * negBelow) : Number.NaN;
  }

  averagePrecision(label: Uint8Array, weight?: Float64Array): number {
    let total = 0;
    for (let i = 0; i < label.length; i++) if (label[i]) total += weight ? weight[i] : 1;
    if (total <= 0) return Number.NaN;
    let tp = 0;
    let fp = 0;
    let ap = 0;
    for (let g = this.groups.length - 1; g >= 0; g--) {
      const [p, n] = this.groupWeights(g, label, weight);
      tp += p;
      fp += n;
      if (p > 0) ap += (p / total) * (tp / (tp + fp));
    }
    return ap;
  }

  /**
   * One point per distinct score, from the highest: flagging every session at or above it gives
   * this true-positive rate, false-positive rate, precision and share of sessions flagged.
   */
  curve(label: Uint8Array): CurvePoint[] {
    let P = 0;
    for (let i = 0; i < label.length; i++) P += label[i];
    const N = label.length - P;
    let tp = 0;
    let fp = 0;
    const out: CurvePoint[] = [];
    for (let g = this.groups.length - 1; g >= 0; g--) {
      for (let k = this.groups[g]; k < this.groupEnd(g); k++) {
        if (label[this.order[k]]) tp++;
        else fp++;
      }
      out.push({
        threshold: this.score[this.order[this.groups[g]]],
        tpr: P > 0 ? tp / P : 0,
        fpr: N > 0 ? fp / N : 0,
        precision: tp / (tp + fp),
        flagged: (tp + fp) / label.length,
      });
    }
    return out;
  }
}

export interface CurvePoint {
  threshold: number;
  /** Recall. */
  tpr: number;
  fpr: number;
  precision: number;
  /** Share of sessions at or above the threshold. */
  flagged: number;
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusion(flag: Uint8Array, label: Uint8Array, weight?: Float64Array): Confusion {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < label.length; i++) {
    const w = weight ? weight[i] : 1;
    if (flag[i]) {
      if (label[i]) c.tp += w;
      else c.fp += w;
    } else if (label[i]) c.fn += w;
    else c.tn += w;
  }
  return c;
}

export const precisionOf = (c: Confusion): number => (c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 0);
export const recallOf = (c: Confusion): number => (c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0);
export const f1Of = (c: Confusion): number => (2 * c.tp + c.fp + c.fn > 0 ? (2 * c.tp) / (2 * c.tp + c.fp + c.fn) : 0);

/** Quantile of sorted values, linear between order statistics (the usual "type 7"). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Keeps at most `max` points of a curve, evenly spread, always the first and the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]);
  return out;
}
