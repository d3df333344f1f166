/** Ranking and classification figures, and the customer bootstrap, on cases with known answers. */
import fc from 'fast-check';
import { bootstrap, customerReplicates } from '../../../shared/evaluation/bootstrap';
import { confusion, f1Of, precisionOf, quantile, Ranking, recallOf } from '../../../shared/evaluation/metrics';
import { fitLogistic } from '../../../shared/evaluation/logistic';
import { splitCustomers } from '../../../shared/evaluation/split';

const f64 = (xs: number[]) => Float64Array.from(xs);
const u8 = (xs: number[]) => Uint8Array.from(xs);

describe('ranking figures', () => {
  it('gives ROC AUC 1 and average precision 1 to a perfect separator, 0 to a reversed one, 0.5 to a constant', () => {
    const label = u8([0, 0, 1, 0, 1, 1]);
    const perfect = new Ranking(f64([0.1, 0.2, 0.9, 0.3, 0.8, 0.7]));
    expect(perfect.rocAuc(label)).toBe(1);
    expect(perfect.averagePrecision(label)).toBe(1);
    expect(new Ranking(f64([0.9, 0.8, 0.1, 0.7, 0.2, 0.3])).rocAuc(label)).toBe(0);
    expect(new Ranking(f64([1, 1, 1, 1, 1, 1])).rocAuc(label)).toBe(0.5);
    // All tied: one threshold, precision = base rate.
    expect(new Ranking(f64([1, 1, 1, 1, 1, 1])).averagePrecision(label)).toBe(0.5);
  });

  it('counts ties as half (Mann-Whitney) and agrees with counting pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 }), (xs) => {
        const score = f64(xs.map(([s]) => s));
        const label = u8(xs.map(([, l]) => (l ? 1 : 0)));
        let pairs = 0;
        let wins = 0;
        xs.forEach(([sp, lp]) => xs.forEach(([sn, ln]) => {
          if (!lp || ln) return;
          pairs++;
          wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
        }));
        const auc = new Ranking(score).rocAuc(label);
        if (pairs === 0) expect(auc).toBeNaN();
        else expect(auc).toBeCloseTo(wins / pairs, 12);
      }),
    );
  });

  it('weighs a session like that many copies of it (what the bootstrap relies on)', () => {
    const score = f64([0.1, 0.5, 0.5, 0.9, 0.3]);
    const label = u8([0, 1, 0, 1, 0]);
    const weight = f64([2, 1, 3, 1, 0]);
    const copies = [0, 0, 1, 2, 2, 2, 3];
    const r = new Ranking(score);
    const c = new Ranking(f64(copies.map((i) => score[i])));
    const cl = u8(copies.map((i) => label[i]));
    expect(r.rocAuc(label, weight)).toBeCloseTo(c.rocAuc(cl), 12);
    expect(r.averagePrecision(label, weight)).toBeCloseTo(c.averagePrecision(cl), 12);
  });

  it('computes precision, recall and F1 of flagged sessions', () => {
    const c = confusion(u8([1, 1, 0, 0, 1]), u8([1, 0, 1, 0, 1]));
    expect(c).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(precisionOf(c)).toBeCloseTo(2 / 3, 12);
    expect(recallOf(c)).toBeCloseTo(2 / 3, 12);
    expect(f1Of(c)).toBeCloseTo(2 / 3, 12);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

describe('bootstrap over customers', () => {
  const sessionCustomer = Uint32Array.from([0, 0, 1, 2, 2, 2, 3, 4, 5, 5]);
  const score = f64([0.9, 0.2, 0.8, 0.1, 0.7, 0.3, 0.6, 0.4, 0.5, 0.35]);
  const label = u8([1, 0, 1, 0, 1, 0, 0, 1, 1, 0]);
  const ranking = new Ranking(score);

  it('draws as many customers as there are, and gives every session its customer\'s multiplicity', () => {
    for (const w of customerReplicates(sessionCustomer, 6, 20, 7)) {
      const drawn = new Map<number, number>();
      sessionCustomer.forEach((c, i) => drawn.set(c, w[i]));
      expect([...drawn.values()].reduce((a, b) => a + b, 0)).toBe(6);
      sessionCustomer.forEach((c, i) => expect(w[i]).toBe(drawn.get(c)));
    }
  });

  it('gives an interval that contains the point estimate, the same for the same seed', () => {
    const stats = { auc: (w?: Float64Array) => ranking.rocAuc(label, w) };
    const a = bootstrap(stats, sessionCustomer, 6, { replicates: 300, seed: 3 });
    const b = bootstrap(stats, sessionCustomer, 6, { replicates: 300, seed: 3 });
    expect(a).toEqual(b);
    expect(a.auc.low).toBeLessThanOrEqual(a.auc.value);
    expect(a.auc.high).toBeGreaterThanOrEqual(a.auc.value);
    expect(a.auc.low).toBeLessThan(a.auc.high);
  });

  it('splits customers, not sessions, reproducibly', () => {
    const a = splitCustomers(100, 0.5, 9);
    expect(a.reduce((x, y) => x + y, 0)).toBe(50);
    expect(splitCustomers(100, 0.5, 9)).toEqual(a);
    expect(splitCustomers(100, 0.5, 10)).not.toEqual(a);
  });
});

describe('logistic regression', () => {
  // y ~ Bernoulli(σ(-1 + 2a - b)) on 20,000 rows: the fit recovers the coefficients.
  const n = 20_000;
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const x = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rnd() * 3;
    const b = rnd() * 3;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = rnd() < 1 / (1 + Math.exp(-(-1 + 2 * a - b))) ? 1 : 0;
  }

  it('recovers the coefficients of the model that made the data, in a few Newton steps', () => {
    const fit = fitLogistic({ x, k: 2, y, l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(20);
    expect(fit.coef[0]).toBeCloseTo(2, 0);
    expect(fit.coef[1]).toBeCloseTo(-1, 0);
    expect(fit.intercept).toBeCloseTo(-1, 0);
  });

  it('keeps a coefficient at its bound when its sign is constrained', () => {
    const fit = fitLogistic({ x, k: 2, y, l2: 0, sign: [1, 1] });
    expect(fit.coef[1]).toBe(0);
    expect(fit.coef[0]).toBeGreaterThan(0);
  });
});
