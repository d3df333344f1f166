import { decayFactor, MAX_SCORE, scoreOf } from '../../../shared/scoring/decay';

describe('decay and score', () => {
  it('halves evidence after one half-life and keeps it whole at zero or negative elapsed time', () => {
    expect(decayFactor(30 * 60_000, 30)).toBeCloseTo(0.5, 12);
    expect(decayFactor(60 * 60_000, 30)).toBeCloseTo(0.25, 12);
    expect(decayFactor(0, 30)).toBe(1);
    expect(decayFactor(-5, 30)).toBe(1);
  });

  it('maps evidence to 1 - exp(-evidence/scale), 0 for no or negative evidence', () => {
    expect(scoreOf(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(scoreOf(2, 2)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(scoreOf(0, 1)).toBe(0);
    expect(scoreOf(-3, 1)).toBe(0);
  });

  it('with a base log-odds, is the logistic probability σ(base + evidence/scale): not floored, monotone, below 1', () => {
    const sigma = (z: number) => 1 / (1 + Math.exp(-z));
    expect(scoreOf(0, 1, -2.5)).toBeCloseTo(sigma(-2.5), 12);
    expect(scoreOf(1, 2, -2.5)).toBeCloseTo(sigma(-2), 12);
    // Negative evidence still ranks: a customer who browsed widely is below one with no evidence.
    expect(scoreOf(-1, 1, -2.5)).toBeCloseTo(sigma(-3.5), 12);
    expect(scoreOf(-1, 1, -2.5)).toBeGreaterThan(scoreOf(-2, 1, -2.5));
    expect(scoreOf(-800, 1, 0)).toBe(0);
    expect(scoreOf(800, 1, 0)).toBe(MAX_SCORE);
  });

  it('stays below 1 even for evidence where 1 - exp(-x) rounds to 1', () => {
    expect(1 - Math.exp(-50)).toBe(1);
    expect(scoreOf(50, 1)).toBe(MAX_SCORE);
    expect(scoreOf(1e9, 1)).toBeLessThan(1);
  });
});
