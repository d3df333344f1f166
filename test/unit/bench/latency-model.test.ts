import { AWS_DELIVERY, awsEstimate } from '../../../bench/latency-model';

describe('the AWS latency model', () => {
  test('shared: two waits uniform in [0, 1 s) on top of the measured work', () => {
    const p = awsEstimate([100], 'shared');
    // The sum of two uniforms on [0, T): median T, 99th percentile (2 - sqrt(0.02)) T.
    const T = AWS_DELIVERY.sharedPollIntervalMs;
    expect(Math.abs(p.p50 - (100 + T))).toBeLessThan(0.03 * T);
    expect(Math.abs(p.p99 - (100 + (2 - Math.sqrt(0.02)) * T))).toBeLessThan(0.03 * T);
    expect(p.max).toBeLessThan(100 + 2 * T);
  });

  test('enhanced fan-out: the documented average per hop, added to every measured sample', () => {
    const p = awsEstimate([100, 100, 300], 'enhanced-fan-out');
    const added = AWS_DELIVERY.hops * AWS_DELIVERY.enhancedFanOutAverageMs;
    expect([p.p50, p.max]).toEqual([100 + added, 300 + added].map((v) => expect.closeTo(v, 6)));
  });

  test('the same samples give the same figures; no sample gives none', () => {
    expect(awsEstimate([50, 80, 400], 'shared')).toEqual(awsEstimate([50, 80, 400], 'shared'));
    expect(Number.isNaN(awsEstimate([], 'shared').p50)).toBe(true);
  });
});
