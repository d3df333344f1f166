/**
 * Amazon EventBridge event patterns: validation and matching with EventBridge's own semantics,
 * which are those of aws/event-ruler, the library EventBridge runs. Checked against 155 answers of
 * the real TestEventPattern API (test/fixtures/eventbridge-patterns). Pure, no dependencies.
 *
 * How a pattern reads:
 * - an object is a conjunction of fields; nested objects join their keys with ".", so dotted keys
 *   in a pattern or an event mean the same as nesting;
 * - a field's array is a disjunction of match values and operators, tested against every value
 *   the event has at that path (an array in the event matches if any element does);
 * - `$or: [{...}, {...}]` is a disjunction of sub-patterns. It is expanded into alternative
 *   "branches" as event-ruler does, including its quirk that a field repeated after expansion
 *   keeps its last definition;
 * - fields taken from objects inside event arrays must come from the same array element.
 */
import {
  collectEventValues,
  indexPaths,
  type EventValue,
  type PathIndex,
} from './event-pattern-event-values';
import { compileFieldRule, EventPatternError, isJsonObject, type FieldRule } from './event-pattern-operators';
import { MAX_WILDCARD_COMPLEXITY, wildcardComplexity } from './event-pattern-wildcard';

export { EventPatternError } from './event-pattern-operators';

export type EventPattern = Record<string, unknown>;

/**
 * Returns undefined when EventBridge would accept the pattern, else a message naming the path and
 * the rule, e.g. `detail.score: numeric range needs a lower bound below the upper bound`.
 */
export function validateEventPattern(pattern: unknown): string | undefined {
  try {
    buildPattern(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof EventPatternError) return error.message;
    throw error;
  }
}

/**
 * True when `event` matches `pattern` with EventBridge's semantics. Assumes a valid pattern (call
 * validateEventPattern first; an invalid one throws an EventPatternError); never throws because of
 * the event. Compiles the pattern on every call: use compileEventPattern to match many events.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

/**
 * Compiles once, to match many events. Throws an EventPatternError if the pattern is invalid.
 * The matcher reads only the parts of an event the pattern names, and never throws: an event that
 * is not a JSON object, or that fails when read (a throwing getter, a revoked proxy), does not match.
 */
export function compileEventPattern(pattern: EventPattern): (event: unknown) => boolean {
  const { branches, index } = buildPattern(pattern);
  return (event) => {
    if (!isJsonObject(event)) return false;
    try {
      const values = collectEventValues(event, index);
      return branches.some((branch) => matchesBranch(branch, values));
    } catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Pattern structure

interface BranchField {
  readonly path: string;
  readonly rule: FieldRule;
}
/** One alternative after `$or` expansion: all its fields must match. Sorted by path. */
type Branch = readonly BranchField[];

interface CompiledPattern {
  readonly branches: readonly Branch[];
  readonly index: PathIndex;
}

const ROOT = '(root)';
/**
 * Not an EventBridge rule but a local safeguard: nested `$or`s multiply into branches, and a
 * pattern needing more than this many is a mistake rather than a routing rule.
 */
const MAX_BRANCHES = 10_000;

/** Field names that event-ruler refuses inside `$or`, where they would be mistaken for operators. */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric',
  'cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case', 'date-after',
  'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range', 'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** Field path -> rule, in the order event-ruler would define them (a later definition replaces). */
type BranchDraft = Map<string, FieldRule>;

function buildPattern(pattern: unknown): CompiledPattern {
  if (!isJsonObject(pattern)) throw new EventPatternError(ROOT, 'an event pattern must be a JSON object');
  const drafts: BranchDraft[] = [];
  readObject(pattern, undefined, ROOT, drafts, false);

  const branches = drafts.map((draft) =>
    [...draft.entries()]
      .map(([path, rule]) => ({ path, rule }))
      // event-ruler walks a rule's fields in sorted order; that order decides which array
      // elements an {"exists": false} is checked against (see matchesBranch).
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  );
  checkWildcardComplexity(branches);
  return { branches, index: indexPaths(branches.flatMap((branch) => branch.map((field) => field.path))) };
}

/**
 * Adds the fields of `object` to every branch in `drafts` (creating the first branch if needed).
 * `fieldPrefix` is the dotted field path so far; `shown` is the same path for messages, which also
 * names `$or` alternatives.
 */
function readObject(
  object: Record<string, unknown>,
  fieldPrefix: string | undefined,
  shown: string,
  drafts: BranchDraft[],
  insideOr: boolean,
): void {
  const keys = Object.keys(object);
  if (keys.length === 0) throw new EventPatternError(shown, 'empty objects are not allowed');
  for (const key of keys) {
    const value = object[key];
    const path = fieldPrefix === undefined ? key : `${fieldPrefix}.${key}`;
    const shownPath = shown === ROOT ? key : `${shown}.${key}`;
    if (key === '$or') {
      readOr(value, fieldPrefix, shownPath, drafts);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new EventPatternError(shownPath, `"${key}" is reserved and cannot be a field name inside $or`);
    }
    if (isJsonObject(value)) {
      readObject(value, path, shownPath, drafts, insideOr);
    } else {
      const rule = compileFieldRule(value, shownPath);
      if (drafts.length === 0) drafts.push(new Map());
      for (const draft of drafts) draft.set(path, rule);
    }
  }
}

/** Each alternative continues every branch built so far, so the branches multiply. */
function readOr(value: unknown, fieldPrefix: string | undefined, shown: string, drafts: BranchDraft[]): void {
  if (!Array.isArray(value) || value.length < 2) {
    throw new EventPatternError(shown, 'must be an array of at least 2 objects');
  }
  const before = drafts.splice(0, drafts.length);
  value.forEach((alternative: unknown, i) => {
    const shownAlternative = `${shown}[${i}]`;
    if (!isJsonObject(alternative)) throw new EventPatternError(shownAlternative, 'each $or alternative must be an object');
    const forked = before.length === 0 ? [new Map<string, FieldRule>()] : before.map((draft) => new Map(draft));
    readObject(alternative, fieldPrefix, shownAlternative, forked, true);
    drafts.push(...forked);
    if (drafts.length > MAX_BRANCHES) {
      throw new EventPatternError(shown, `$or expands to more than ${MAX_BRANCHES} alternatives`);
    }
  });
}

/** EventBridge refuses wildcards that would make matching one value track too many partial matches. */
function checkWildcardComplexity(branches: readonly Branch[]): void {
  // event-ruler measures all wildcards that share a field's state machine; across branches this
  // groups by path, which can only over-count when branches differ before that field.
  const byPath = new Map<string, Set<string>>();
  for (const branch of branches) {
    for (const { path, rule } of branch) {
      if (rule.wildcards.length === 0) continue;
      const set = byPath.get(path) ?? new Set<string>();
      for (const w of rule.wildcards) set.add(w);
      byPath.set(path, set);
    }
  }
  for (const [path, wildcards] of byPath) {
    const complexity = wildcardComplexity([...wildcards]);
    if (complexity > MAX_WILDCARD_COMPLEXITY) {
      throw new EventPatternError(
        path,
        `rule is too complex: up to ${complexity} wildcard prefixes can match one value (limit ${MAX_WILDCARD_COMPLEXITY}); ` +
          'use fewer wildcard characters or fewer repeating character sequences after a wildcard',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Which element was chosen for each event array used so far: array id -> element index. */
type Membership = ReadonlyMap<number, number>;
const NO_MEMBERSHIP: Membership = new Map();
const NO_VALUES: readonly EventValue[] = [];

/**
 * Depth-first search for one event value per field, all from consistent array elements. Fields
 * are visited in sorted path order and `{"exists": false}` only looks at values compatible with
 * the elements chosen for earlier fields, as event-ruler's array-consistent matcher does.
 */
function matchesBranch(branch: Branch, values: EventValues): boolean {
  return searchFrom(branch, 0, values, NO_MEMBERSHIP);
}

type EventValues = ReadonlyMap<string, readonly EventValue[]>;

function searchFrom(branch: Branch, i: number, values: EventValues, membership: Membership): boolean {
  if (i === branch.length) return true;
  const { path, rule } = branch[i] as BranchField;
  const candidates = values.get(path) ?? NO_VALUES;

  if (
    rule.allowsAbsence &&
    !candidates.some((c) => consistent(membership, c.arrays)) &&
    searchFrom(branch, i + 1, values, membership)
  ) {
    return true;
  }
  const accepts = rule.acceptsLeaf;
  if (accepts === undefined) return false;
  // Values that add no new array choice lead to the same search below, so one try is enough.
  let triedUnchanged = false;
  for (const candidate of candidates) {
    if (!consistent(membership, candidate.arrays) || !accepts(candidate.value)) continue;
    const next = extend(membership, candidate.arrays);
    if (next === membership) {
      if (triedUnchanged) continue;
      triedUnchanged = true;
    }
    if (searchFrom(branch, i + 1, values, next)) return true;
  }
  return false;
}

function consistent(membership: Membership, arrays: readonly number[]): boolean {
  for (let k = 0; k < arrays.length; k += 2) {
    const chosen = membership.get(arrays[k] as number);
    if (chosen !== undefined && chosen !== arrays[k + 1]) return false;
  }
  return true;
}

/** `membership` plus the choices in `arrays`; the same object when nothing is new. */
function extend(membership: Membership, arrays: readonly number[]): Membership {
  let next: Map<number, number> | undefined;
  for (let k = 0; k < arrays.length; k += 2) {
    const id = arrays[k] as number;
    if (membership.has(id)) continue;
    next ??= new Map(membership);
    next.set(id, arrays[k + 1] as number);
  }
  return next ?? membership;
}
