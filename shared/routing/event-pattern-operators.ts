/**
 * Compiles the array of match values under one event-pattern field (`"state": ["a", {"prefix":
 * "b"}]`) into a test on a single event value, checking the operator grammar as EventBridge does.
 * Matching is type-strict as in event-ruler, which compares JSON text: the pattern string "5"
 * never matches the number 5, and string operators (prefix, suffix, wildcard, cidr, ...) never
 * match numbers, booleans or null.
 */
import { ignoreCaseMatcher } from './event-pattern-ignore-case';
import { ipInRange, parseCidr, parseIpAddress, sameIp } from './event-pattern-ip';
import { matchesWildcard, parseWildcard, type WildcardSegments } from './event-pattern-wildcard';

/** A JSON scalar as found at the end of a path in an event. */
export type Leaf = string | number | boolean | null;
export type LeafTest = (value: Leaf) => boolean;

/** What one field of a pattern asks of the event values found at its path. */
export interface FieldRule {
  /** Some value at the path must pass; undefined when the field only allows absence. */
  readonly acceptsLeaf: LeafTest | undefined;
  /** `{"exists": false}` is among the alternatives: having no value at the path also satisfies it. */
  readonly allowsAbsence: boolean;
  /** Plain `wildcard` operands, which count towards the rule-complexity limit. */
  readonly wildcards: readonly string[];
}

/** A rejected pattern: `path` locates the offending part, `rule` says what EventBridge requires. */
export class EventPatternError extends Error {
  constructor(
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
    this.name = 'EventPatternError';
  }
}

/** EventBridge compares numbers in this range only (event-ruler's ComparableNumber). */
export const NUMERIC_LIMIT = 5e9;

const OPERATORS = 'prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr';

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function compileFieldRule(values: unknown, path: string): FieldRule {
  if (!Array.isArray(values)) throw new EventPatternError(path, 'must be an object or an array of match values');
  if (values.length === 0) throw new EventPatternError(path, 'empty arrays are not allowed');

  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<boolean | null>();
  const tests: LeafTest[] = [];
  const wildcards: string[] = [];
  let anyValue = false;
  let allowsAbsence = false;

  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (typeof value === 'string') {
      strings.add(value);
      // event-ruler turns an exact IP address into an address match, so other spellings of the
      // same address (leading zeros in IPv6 groups, "::" compression) match too.
      const ip = parseIpAddress(value);
      if (ip !== undefined) tests.push((v) => typeof v === 'string' && sameIpText(v, ip));
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new EventPatternError(path, `match value ${value} is not a finite number`);
      numbers.add(value);
    } else if (typeof value === 'boolean' || value === null) {
      literals.add(value);
    } else if (isJsonObject(value)) {
      const expression = compileExpression(value, path);
      if (expression.kind === 'exists') {
        if (expression.present) anyValue = true;
        else allowsAbsence = true;
      } else {
        tests.push(expression.test);
        if (expression.wildcard !== undefined) wildcards.push(expression.wildcard);
      }
    } else {
      throw new EventPatternError(
        path,
        `match values must be strings, numbers, true, false, null or {operator: operand} objects (item ${i} is ${describe(value)})`,
      );
    }
  }

  const hasValueMatch = anyValue || strings.size + numbers.size + literals.size + tests.length > 0;
  const acceptsLeaf: LeafTest | undefined = !hasValueMatch
    ? undefined
    : (v) => {
        if (anyValue) return true;
        if (typeof v === 'string') {
          if (strings.has(v)) return true;
        } else if (typeof v === 'number') {
          if (numbers.has(v)) return true;
        } else if (literals.has(v)) {
          return true;
        }
        for (const test of tests) if (test(v)) return true;
        return false;
      };
  return { acceptsLeaf, allowsAbsence, wildcards };
}

function sameIpText(text: string, ip: Uint8Array): boolean {
  const other = parseIpAddress(text);
  return other !== undefined && sameIp(other, ip);
}

type Expression =
  | { readonly kind: 'exists'; readonly present: boolean }
  | { readonly kind: 'test'; readonly test: LeafTest; readonly wildcard?: string };

function compileExpression(expression: Record<string, unknown>, path: string): Expression {
  const [operator, operand] = singleEntry(expression, path, 'a match expression');
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return { kind: 'test', test: compileAffix(operator, operand, path) };
    case 'equals-ignore-case': {
      const match = ignoreCaseMatcher(requireString(operand, path, 'equals-ignore-case'), 'equals');
      return { kind: 'test', test: (v) => typeof v === 'string' && match(v) };
    }
    case 'wildcard': {
      const text = requireString(operand, path, 'wildcard');
      const segments = requireWildcard(text, path);
      return { kind: 'test', test: (v) => typeof v === 'string' && matchesWildcard(segments, v), wildcard: text };
    }
    case 'anything-but':
      return { kind: 'test', test: compileAnythingBut(operand, path) };
    case 'numeric':
      return { kind: 'test', test: compileNumeric(operand, path) };
    case 'exists':
      if (typeof operand !== 'boolean') throw new EventPatternError(path, 'exists must be true or false');
      return { kind: 'exists', present: operand };
    case 'cidr': {
      const range = parseCidr(requireString(operand, path, 'cidr', '"10.0.0.0/24"'));
      if (typeof range === 'string') throw new EventPatternError(path, range);
      return {
        kind: 'test',
        test: (v) => {
          if (typeof v !== 'string') return false;
          const ip = parseIpAddress(v);
          return ip !== undefined && ipInRange(ip, range);
        },
      };
    }
    default:
      throw new EventPatternError(path, `unrecognized operator "${operator}" (operators are case-sensitive: ${OPERATORS})`);
  }
}

/** `{"prefix": "us-"}` or `{"prefix": {"equals-ignore-case": "us-"}}`, and the same for suffix. */
function compileAffix(operator: 'prefix' | 'suffix', operand: unknown, path: string): LeafTest {
  if (isJsonObject(operand)) {
    const [inner, text] = singleEntry(operand, path, operator);
    if (inner !== 'equals-ignore-case') {
      throw new EventPatternError(path, `${operator} supports only {"equals-ignore-case": string}, not "${inner}"`);
    }
    const match = ignoreCaseMatcher(requireString(text, path, `${operator}/equals-ignore-case`), operator);
    return (v) => typeof v === 'string' && match(v);
  }
  if (typeof operand !== 'string') {
    throw new EventPatternError(path, `${operator} must be a string or {"equals-ignore-case": string}`);
  }
  return operator === 'prefix'
    ? (v) => typeof v === 'string' && v.startsWith(operand)
    : (v) => typeof v === 'string' && v.endsWith(operand);
}

/**
 * anything-but matches every value present that is not excluded, null included; a missing field
 * never matches. Its string forms (prefix, suffix, ...) exclude strings only, so any number,
 * boolean or null passes them.
 */
function compileAnythingBut(operand: unknown, path: string): LeafTest {
  if (typeof operand === 'string') return (v) => v !== operand;
  if (typeof operand === 'number') {
    requireComparable(operand, path, 'anything-but');
    return (v) => v !== operand;
  }
  if (Array.isArray(operand)) {
    const allStrings = operand.length > 0 && operand.every((item) => typeof item === 'string');
    const allNumbers = operand.length > 0 && operand.every((item) => typeof item === 'number');
    if (!allStrings && !allNumbers) {
      throw new EventPatternError(path, 'an anything-but list must be non-empty and all strings or all numbers');
    }
    if (allNumbers) for (const n of operand as number[]) requireComparable(n, path, 'anything-but');
    const excluded = new Set<unknown>(operand);
    return (v) => !excluded.has(v);
  }
  if (isJsonObject(operand)) {
    const [inner, value] = singleEntry(operand, path, 'anything-but');
    const texts = anythingButStrings(inner, value, path);
    const excludes = stringExclusion(inner, texts, path);
    return (v) => typeof v !== 'string' || !excludes(v);
  }
  throw new EventPatternError(
    path,
    'anything-but takes a string, a number, a list of strings or of numbers, or {prefix|suffix|equals-ignore-case|wildcard: ...}',
  );
}

function anythingButStrings(inner: string, value: unknown, path: string): string[] {
  if (inner !== 'prefix' && inner !== 'suffix' && inner !== 'equals-ignore-case' && inner !== 'wildcard') {
    throw new EventPatternError(path, `anything-but does not support "${inner}" (use prefix, suffix, equals-ignore-case or wildcard)`);
  }
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (texts === undefined || !texts.every((t): t is string => typeof t === 'string')) {
    throw new EventPatternError(path, `anything-but/${inner} takes a string or a list of strings`);
  }
  if ((inner === 'prefix' || inner === 'suffix') && texts.some((t) => t === '')) {
    throw new EventPatternError(path, `anything-but/${inner} must not be empty`);
  }
  return texts;
}

function stringExclusion(inner: string, texts: readonly string[], path: string): (value: string) => boolean {
  switch (inner) {
    case 'prefix':
      return (v) => texts.some((t) => v.startsWith(t));
    case 'suffix':
      return (v) => texts.some((t) => v.endsWith(t));
    case 'equals-ignore-case': {
      const matchers = texts.map((t) => ignoreCaseMatcher(t, 'equals'));
      return (v) => matchers.some((m) => m(v));
    }
    default: {
      const patterns: WildcardSegments[] = texts.map((t) => requireWildcard(t, path));
      return (v) => patterns.some((p) => matchesWildcard(p, v));
    }
  }
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

/** `["=", 5]`, `["<", 10]`, `[">", 0]`, or a range `[">" | ">=", low, "<" | "<=", high]`. */
function compileNumeric(operand: unknown, path: string): LeafTest {
  const example = 'e.g. [">", 0, "<=", 5]';
  if (!Array.isArray(operand) || operand.length === 0) {
    throw new EventPatternError(path, `numeric must be a non-empty array, ${example}`);
  }
  const [op, first, op2, second] = operand as unknown[];
  if (typeof op !== 'string' || !(op === '=' || LOWER_BOUNDS.has(op) || UPPER_BOUNDS.has(op))) {
    throw new EventPatternError(path, `numeric comparison must start with one of =, <, <=, >, >=, not ${describe(op)}`);
  }
  const a = requireNumber(first, path, op);
  if (operand.length === 2) return numericTest(op, a);
  if (!LOWER_BOUNDS.has(op)) {
    throw new EventPatternError(path, `numeric "${op}" takes a single number; only ">" or ">=" can open a range, ${example}`);
  }
  if (typeof op2 !== 'string' || !UPPER_BOUNDS.has(op2)) {
    throw new EventPatternError(path, `a numeric range must close with "<" or "<=", not ${describe(op2)}`);
  }
  const b = requireNumber(second, path, op2);
  if (operand.length > 4) throw new EventPatternError(path, 'a numeric range takes at most two comparisons');
  if (!(a < b)) throw new EventPatternError(path, 'numeric range needs a lower bound below the upper bound');
  const low = numericTest(op, a);
  const high = numericTest(op2, b);
  return (v) => low(v) && high(v);
}

function numericTest(op: string, bound: number): LeafTest {
  const inRange = (v: Leaf): v is number => typeof v === 'number' && v >= -NUMERIC_LIMIT && v <= NUMERIC_LIMIT;
  switch (op) {
    case '=':
      return (v) => inRange(v) && v === bound;
    case '<':
      return (v) => inRange(v) && v < bound;
    case '<=':
      return (v) => inRange(v) && v <= bound;
    case '>':
      return (v) => inRange(v) && v > bound;
    default:
      return (v) => inRange(v) && v >= bound;
  }
}

function requireNumber(value: unknown, path: string, op: string): number {
  if (typeof value !== 'number') throw new EventPatternError(path, `numeric "${op}" must be followed by a number`);
  return requireComparable(value, path, `numeric "${op}"`);
}

function requireComparable(value: number, path: string, what: string): number {
  if (!Number.isFinite(value) || value < -NUMERIC_LIMIT || value > NUMERIC_LIMIT) {
    throw new EventPatternError(path, `${what} values must be between -5e9 and 5e9 (got ${value})`);
  }
  return value;
}

function requireString(value: unknown, path: string, operator: string, example?: string): string {
  if (typeof value !== 'string') {
    throw new EventPatternError(path, `${operator} must be a string${example === undefined ? '' : ` like ${example}`}, not ${describe(value)}`);
  }
  return value;
}

function requireWildcard(text: string, path: string): WildcardSegments {
  const segments = parseWildcard(text);
  if (typeof segments === 'string') throw new EventPatternError(path, `wildcard "${text}": ${segments}`);
  return segments;
}

function singleEntry(object: Record<string, unknown>, path: string, what: string): [string, unknown] {
  const keys = Object.keys(object);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ');
    throw new EventPatternError(path, `${what} takes exactly one operator, found ${found}`);
  }
  const key = keys[0] as string;
  return [key, object[key]];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
