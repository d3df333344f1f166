import { median, percentile, significant, spread } from '../../../bench/stats';

describe('bench stats', () => {
  it('takes the median of odd and even runs, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('interpolates percentiles between closest ranks', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 0)).toBe(0);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([10, 20], 25)).toBe(12.5);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('keeps the runs beside the median and their range', () => {
    expect(spread([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9, runs: [3, 9, 1] });
  });

  it('rounds to significant digits', () => {
    expect(significant(23456.7)).toBe(23500);
    expect(significant(0.0012345, 2)).toBe(0.0012);
    expect(significant(0)).toBe(0);
  });
});
