/**
 * Exponential decay with a half-life, and the map from evidence to a score in [0, 1).
 * Decay is linear in the evidence, so the evidence at a time T is the sum of every weight decayed
 * from its own signal time to T, whatever the order the signals were applied in.
 */

const LN2 = Math.LN2;

/** Factor by which evidence shrinks over `dtMs` (dtMs >= 0) with the given half-life. */
export function decayFactor(dtMs: number, halfLifeMinutes: number): number {
  if (dtMs <= 0) return 1;
  return Math.exp((-LN2 * dtMs) / (halfLifeMinutes * 60_000));
}

/** Largest double below 1: `1 - exp(-x)` rounds to 1 for x > ~37, and the score must stay below 1. */
export const MAX_SCORE = 1 - 2 ** -53;

/**
 * score = 1 - exp(-evidence / scale), in [0, 1), non-decreasing in evidence; 0 for no or negative
 * evidence. With `baseLogOdds` (an intent fitted by `npm run fit`) the score is the fitted
 * logistic regression itself, a probability: σ(baseLogOdds + evidence / scale). It is not floored:
 * negative evidence (wide browsing, a removal) still ranks a customer below one with none, which
 * the floor at 0 threw away.
 */
export function scoreOf(evidence: number, evidenceScale: number, baseLogOdds?: number): number {
  if (baseLogOdds !== undefined) {
    const z = baseLogOdds + evidence / evidenceScale;
    return Math.min(MAX_SCORE, z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  }
  if (!(evidence > 0)) return 0;
  return Math.min(MAX_SCORE, -Math.expm1(-evidence / evidenceScale));
}

/**
 * Evidence and contributions below this are treated as zero: they no longer matter, and
 * DynamoDB cannot store numbers below 1e-130 (a long-idle customer would decay there).
 */
export const NEGLIGIBLE = 1e-9;
