/**
 * Weighted, L2-regularised logistic regression with sign constraints, by projected Newton steps
 * (Bertsekas): each step solves the Newton system on the coefficients not held at their bound,
 * projects, and backtracks until the loss falls enough (Armijo). A few features (k ≤ 20) make
 * the (k + 1)² Hessian cheap, and Newton needs ten-odd steps where gradient descent needs hundreds.
 *
 * Why written here (docs/ARCHITECTURE.md, "Decisions"): the fitter needs sample weights, an
 * offset, and sign constraints per feature (negative evidence that can only take away), and npm's
 * maintained logistic regressions have none of the three. The problem is convex (strictly, with
 * the penalty), so the answer does not depend on where it starts; the method is deterministic.
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
  /** Stop when no standardised coefficient moves more than this in a step. */
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

/**
 * Solves H[F,F] x = g[F] for the indices F by Cholesky (H is positive definite: a Hessian of a
 * convex loss plus a ridge). Falls back to a gradient step scaled by the diagonal if it is not.
 */
function solve(H: Float64Array, g: Float64Array, F: readonly number[], m: number): Float64Array {
  const f = F.length;
  const L = new Float64Array(f * f);
  for (let a = 0; a < f; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = H[F[a] * m + F[b]];
      for (let c = 0; c < b; c++) sum -= L[a * f + c] * L[b * f + c];
      if (a === b) {
        if (!(sum > 1e-12)) return Float64Array.from(F, (j) => g[j] / Math.max(H[j * m + j], 1e-6));
        L[a * f + a] = Math.sqrt(sum);
      } else L[a * f + b] = sum / L[b * f + b];
    }
  }
  const y = new Float64Array(f);
  for (let a = 0; a < f; a++) {
    let sum = g[F[a]];
    for (let c = 0; c < a; c++) sum -= L[a * f + c] * y[c];
    y[a] = sum / L[a * f + a];
  }
  const x = new Float64Array(f);
  for (let a = f - 1; a >= 0; a--) {
    let sum = y[a];
    for (let c = a + 1; c < f; c++) sum -= L[c * f + a] * x[c];
    x[a] = sum / L[a * f + a];
  }
  return x;
}

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
  const offset = p.offset ?? new Float64Array(n);
  const bound = (j: number): -1 | 0 | 1 | 'fixed' => (j === 0 ? 0 : !active[j - 1] ? 'fixed' : (p.sign?.[j - 1] ?? 0));
  const project = (theta: Float64Array) => {
    for (let j = 1; j < m; j++) {
      const b = bound(j);
      if (b === 'fixed' || (b === 1 && theta[j] < 0) || (b === -1 && theta[j] > 0)) theta[j] = 0;
    }
  };
  const etaOf = (theta: Float64Array, i: number) => {
    let eta = theta[0] + offset[i];
    for (let j = 0; j < k; j++) eta += theta[j + 1] * z[i * k + j];
    return eta;
  };
  /** Mean weighted log-loss + (l2 / 2) ‖β‖². */
  const loss = (theta: Float64Array): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const eta = etaOf(theta, i);
      sum += w[i] * (softplus(eta) - y[i] * eta);
    }
    let penalty = 0;
    for (let j = 1; j < m; j++) penalty += theta[j] ** 2;
    return sum / W + (l2 / 2) * penalty;
  };
  /** Gradient and Hessian (m × m, row-major) of the loss. */
  const derivatives = (theta: Float64Array, g: Float64Array, H: Float64Array): void => {
    g.fill(0);
    H.fill(0);
    const row = new Float64Array(m);
    row[0] = 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) row[j + 1] = z[i * k + j];
      const q = sigmoid(etaOf(theta, i));
      const r = (w[i] * (q - y[i])) / W;
      const c = (w[i] * q * (1 - q)) / W;
      for (let a = 0; a < m; a++) {
        g[a] += r * row[a];
        for (let b = 0; b <= a; b++) H[a * m + b] += c * row[a] * row[b];
      }
    }
    for (let a = 0; a < m; a++) for (let b = 0; b < a; b++) H[b * m + a] = H[a * m + b];
    for (let j = 1; j < m; j++) {
      g[j] += l2 * theta[j];
      H[j * m + j] += l2;
    }
  };

  const maxIterations = p.maxIterations ?? 100;
  const tolerance = p.tolerance ?? 1e-9;
  let theta = new Float64Array(m);
  let current = loss(theta);
  const g = new Float64Array(m);
  const H = new Float64Array(m * m);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    derivatives(theta, g, H);
    // Variables held at their bound by a gradient pushing outwards stay there this step.
    const free: number[] = [];
    for (let j = 0; j < m; j++) {
      const b = bound(j);
      const held = b === 'fixed' || (theta[j] === 0 && ((b === 1 && g[j] > 0) || (b === -1 && g[j] < 0)));
      if (!held) free.push(j);
    }
    const d = new Float64Array(m);
    const step = solve(H, g, free, m);
    free.forEach((j, f) => (d[j] = -step[f]));
    // Backtracking along the projection arc (Armijo).
    let alpha = 1;
    let next = theta;
    let nextLoss = current;
    for (let halving = 0; halving < 40; halving++, alpha /= 2) {
      const trial = Float64Array.from(theta, (t, j) => t + alpha * d[j]);
      project(trial);
      let decrease = 0;
      for (let j = 0; j < m; j++) decrease += g[j] * (trial[j] - theta[j]);
      const l = loss(trial);
      if (l <= current + 1e-4 * decrease) {
        next = trial;
        nextLoss = l;
        break;
      }
    }
    let moved = 0;
    for (let j = 0; j < m; j++) moved = Math.max(moved, Math.abs(next[j] - theta[j]));
    theta = next;
    current = nextLoss;
    if (moved < tolerance) {
      converged = true;
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
