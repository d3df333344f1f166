/**
 * The answers of the real EventBridge TestEventPattern API (copied into test/fixtures, see its
 * README), replayed against our engine: every case is its own test so a regression names the case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchesEventPattern, validateEventPattern, type EventPattern } from '../../../shared/routing/event-pattern';

interface ConformanceCase {
  readonly name: string;
  readonly expected: 'match' | 'no_match' | 'error';
  readonly event: Record<string, unknown>;
  readonly pattern: EventPattern;
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'eventbridge-patterns');
const readFixture = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');

const cases = JSON.parse(readFixture('cases.json')) as ConformanceCase[];

describe('EventBridge conformance cases', () => {
  test('the fixture holds all 155 cases (66 match, 51 no_match, 38 error)', () => {
    const count = (expected: ConformanceCase['expected']): number => cases.filter((c) => c.expected === expected).length;
    expect([cases.length, count('match'), count('no_match'), count('error')]).toEqual([155, 66, 51, 38]);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const error = validateEventPattern(c.pattern);
    if (c.expected === 'error') {
      expect(error).toEqual(expect.any(String));
      return;
    }
    expect(error).toBeUndefined();
    expect(matchesEventPattern(c.pattern, c.event)).toBe(c.expected === 'match');
  });

  test('complex_multi_key: a duplicate key folds into its last occurrence, as JSON.parse does', () => {
    const raw = readFixture('complex_multi_key_event_pattern.json');
    expect(raw.match(/"location"/g)).toHaveLength(2);
    const pattern = JSON.parse(raw) as EventPattern;
    const event = JSON.parse(readFixture('complex_multi_key_event.json')) as unknown;
    expect(pattern).toEqual({ detail: { location: [{ 'anything-but': 'us-east' }] } });
    expect(validateEventPattern(pattern)).toBeUndefined();
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });
});
