/**
 * Weighted, L2-regularised logistic regression with sign constraints, by projected accelerated
 * gradient descent (FISTA with a fixed step and gradient restart).
 *
 * Why written here (docs/ARCHITECTURE.md, "Decisions"): the fitter needs sample weights, an
 * offset, and sign constraints per feature (evidence that can only add, negative evidence that
 * can only take away), and npm's maintained logistic regressions have none of the three. With
 * the columns standardised, the loss's gradient is Lipschitz with L ≤ (k + 1) / 4 (each column
 * has unit variance), so a fixed step of 1/L converges without a line search; the problem is
 * convex, so the answer does not depend on where it starts, and the method is deterministic.
 */

export interface LogisticProblem {
  /** Rows of features (n × k, row-major). */
  x: Float64Array;
  k: number;
  y: Uint8Array;
  /** Per row; 1 when absent. */
  weight?: Float64Array;
  /** Added to every row's linear predictor with a fixed coefficient of 1. */
  offset?: Float64Array;
  /** Per column: `1` non-negative, `-1` non-positive, `0` free. */
  sign?: readonly (-1 | 0 | 1)[];
  /** Penalty on the standardised coefficients (not the intercept). */
  l2?: number;
  maxIterations?: number;
  /** Stop when no standardised coefficient moves more than this in an iteration. */
  tolerance?: number;
}

export interface LogisticFit {
  /** Per column, in the columns' own units. */
  coef: number[];
  intercept: number;
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

export function fitLogistic(p: LogisticProblem): LogisticFit {
  const { x, k, y } = p;
  const n = y.length;
  if (x.length !== n * k) throw new Error(`fitLogistic: x has ${x.length} values, expected ${n} × ${k}`);
  const w = p.weight ?? new Float64Array(n).fill(1);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  if (!(W > 0)) throw new Error('fitLogistic: no weight');
  const l2 = p.l2 ?? 1e-4;

  // Standardise: centred and scaled columns; a constant column is left out (coefficient 0).
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += w[i] * x[i * k + j];
  for (let j = 0; j < k; j++) mean[j] /= W;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) sd[j] += w[i] * (x[i * k + j] - mean[j]) ** 2;
  for (let j = 0; j < k; j++) sd[j] = Math.sqrt(sd[j] / W);
  const active = Array.from({ length: k }, (_, j) => sd[j] > 1e-12);
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) z[i * k + j] = active[j] ? (x[i * k + j] - mean[j]) / sd[j] : 0;

  // Parameters: [intercept, β_1..β_k] on the standardised scale.
  const m = k + 1;
  const step = 1 / (m * 0.25 + l2);
  const project = (theta: Float64Array) => {
    for (let j = 0; j < k; j++) {
      if (!active[j]) theta[j + 1] = 0;
      else if (p.sign?.[j] === 1 && theta[j + 1] < 0) theta[j + 1] = 0;
      else if (p.sign?.[j] === -1 && theta[j + 1] > 0) theta[j + 1] = 0;
    }
  };
  const gradient = (theta: Float64Array, out: Float64Array): number => {
    out.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let eta = theta[0] + (p.offset ? p.offset[i] : 0);
      for (let j = 0; j < k; j++) eta += theta[j + 1] * z[i * k + j];
      loss += w[i] * (softplus(eta) - y[i] * eta);
      const r = (w[i] * (sigmoid(eta) - y[i])) / W;
      out[0] += r;
      for (let j = 0; j < k; j++) out[j + 1] += r * z[i * k + j];
    }
    loss /= W;
    for (let j = 1; j < m; j++) {
      out[j] += l2 * theta[j];
      loss += (l2 / 2) * theta[j] ** 2;
    }
    return loss;
  };

  const maxIterations = p.maxIterations ?? 5000;
  const tolerance = p.tolerance ?? 1e-7;
  let theta = new Float64Array(m);
  const look = new Float64Array(m);
  const grad = new Float64Array(m);
  let t = 1;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    gradient(look, grad);
    const next = new Float64Array(m);
    for (let j = 0; j < m; j++) next[j] = look[j] - step * grad[j];
    project(next);
    let moved = 0;
    let restart = 0;
    for (let j = 0; j < m; j++) {
      moved = Math.max(moved, Math.abs(next[j] - theta[j]));
      // Gradient restart: momentum that points uphill is dropped.
      restart += grad[j] * (next[j] - theta[j]);
    }
    const tNext = restart > 0 ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = restart > 0 ? 0 : (t - 1) / tNext;
    for (let j = 0; j < m; j++) look[j] = next[j] + beta * (next[j] - theta[j]);
    project(look);
    theta = next;
    t = tNext;
    if (moved < tolerance && iterations > 0) {
      converged = true;
      iterations++;
      break;
    }
  }

  // Back to the columns' own units.
  const coef = Array.from({ length: k }, (_, j) => (active[j] ? theta[j + 1] / sd[j] : 0));
  let intercept = theta[0];
  for (let j = 0; j < k; j++) if (active[j]) intercept -= (theta[j + 1] * mean[j]) / sd[j];
  return { coef, intercept, iterations, converged };
}

/** The linear predictor of one row (without the intercept when `withIntercept` is false). */
export function linear(fit: LogisticFit, row: ArrayLike<number>, withIntercept = true): number {
  let eta = withIntercept ? fit.intercept : 0;
  for (let j = 0; j < fit.coef.length; j++) eta += fit.coef[j] * row[j];
  return eta;
}

export { sigmoid };
