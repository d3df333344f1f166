import { benchContext } from '../../../bench/bench-context';
import { lambdaContext } from '../../../local/lambda-context';

afterEach(() => jest.useRealTimers());

test('a bench context gives every invocation the whole timeout, where a local context counts down from its creation', () => {
  jest.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z') });
  const bench = benchContext('bench-score', 2, 512);
  const local = lambdaContext('local-score', 2, 512);
  jest.setSystemTime(new Date('2026-12-01T00:00:05Z'));
  expect(bench.getRemainingTimeInMillis()).toBe(2000);
  expect(local.getRemainingTimeInMillis()).toBe(0);
  expect(bench.functionName).toBe('bench-score');
});
