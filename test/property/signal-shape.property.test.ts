/**
 * The Signal contract walks a record's shape once without building paths, and walks it again with
 * paths only when something is wrong (shared/contracts/validate.ts). It must refuse exactly what
 * the walk with paths refused, with the same reason: a nesting too deep or a forbidden key before
 * the schema, a string too long after it, the first in key order. The oracle below is that walk,
 * written again from the rules; the records are valid signals with problems hidden at generated
 * places (free-form bags, arrays, as keys JSON.parse makes own properties), one, several or none.
 */
import fc from 'fast-check';
import { signalContract, SIGNAL_LIMITS } from '../../shared/contracts';
import { seeded } from '../fixtures/bad-input/rng';
import { validSignal, type Json } from '../fixtures/bad-input/signals';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const chars = (s: string) => [...s].length;

/** The first shape problem in key order, as the walk with paths finds it. */
function firstProblem(value: unknown, path: string[], depth: number, check: 'structure' | 'strings'): { rule: string; path: string[] } | undefined {
  if (typeof value === 'string') return check === 'strings' && chars(value) > SIGNAL_LIMITS.maxStringLength ? { rule: 'maxLength', path } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > SIGNAL_LIMITS.maxDepth) return { rule: 'maxDepth', path };
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.keys(value).map((k) => [k, (value as Json)[k]]);
  for (const [key, child] of entries) {
    if (!Array.isArray(value) && FORBIDDEN.includes(key)) return { rule: 'forbiddenKey', path: [...path, key] };
    const found = firstProblem(child, [...path, key], depth + 1, check);
    if (found) return found;
  }
  return undefined;
}

/** A problem to hide: a nesting deeper than allowed, a forbidden key, or a string too long (in characters, not UTF-16 units). */
const problem = fc.oneof(
  fc.integer({ min: 1, max: SIGNAL_LIMITS.maxDepth + 3 }).map((levels) => {
    let v: unknown = 'leaf';
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { n: v };
    return v;
  }),
  fc.constantFrom(...FORBIDDEN).map((key) => JSON.parse(`{"${key}": {"x": 1}}`) as unknown),
  fc.constantFrom(SIGNAL_LIMITS.maxStringLength, SIGNAL_LIMITS.maxStringLength + 1).chain((n) =>
    fc.constantFrom('a'.repeat(n), '😀'.repeat(n), `${'😀'.repeat(SIGNAL_LIMITS.maxStringLength - 1)}ab`),
  ),
);

/** Where a problem goes: the free-form properties bag, under a new key or inside an array. */
const place = fc.record({
  bag: fc.constant('properties'),
  key: fc.constantFrom('a', 'b', 'nested'),
  inArray: fc.boolean(),
});

describe('Signal shape checks in one walk', () => {
  it('refuse what the walk with paths refused, with the same rule and path; accept what it accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.array(fc.tuple(place, problem), { maxLength: 3 }), (seed, hidden) => {
        const signal = validSignal(seeded(seed), `m-${seed}`, 'track');
        for (const [where, p] of hidden) {
          const bag = ((signal[where.bag] as Json | undefined) ??= {});
          bag[where.key] = where.inArray ? ['x', p] : p;
        }
        const value = JSON.parse(JSON.stringify(signal)) as unknown;
        const expected = firstProblem(value, [], 0, 'structure');
        const result = signalContract.check(value);
        if (expected) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect({ rule: result.issue.rule, path: result.issue.path }).toEqual(expected);
          return;
        }
        const tooLong = firstProblem(value, [], 0, 'strings');
        if (tooLong) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect({ rule: result.issue.rule, path: result.issue.path }).toEqual(tooLong);
          return;
        }
        expect(result).toMatchObject({ ok: true });
      }),
      { numRuns: 300 },
    );
  });
});
