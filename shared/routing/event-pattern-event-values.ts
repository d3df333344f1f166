/**
 * Reads the values an event holds at the paths a pattern names, the way event-ruler flattens
 * events: keys are joined with "." (so `{"a.b": 1}` and `{"a": {"b": 1}}` both put 1 at "a.b"),
 * arrays are "crushed" (every element sits at the array's own path), and only JSON scalars are
 * values: an object, an empty array or a missing key leaves nothing at its path.
 */
import type { Leaf } from './event-pattern-operators';

export interface EventValue {
  readonly value: Leaf;
  /**
   * The array elements this value lies within, as flat [arrayId, index, ...] pairs with outer
   * arrays first. Two values can be used together only if they agree on every shared array, so
   * that one rule cannot take one field from items[0] and another from items[1].
   */
  readonly arrays: readonly number[];
}

/**
 * The paths a pattern reads, as a tree of key segments, so that reading an event skips every
 * part the pattern does not name without building path strings.
 */
export interface PathIndex {
  readonly children: ReadonlyMap<string, PathIndex>;
  /** The full dotted path of this node; values found here are kept only if `wanted`. */
  readonly path: string;
  readonly wanted: boolean;
}

interface MutablePathIndex extends PathIndex {
  readonly children: Map<string, MutablePathIndex>;
  wanted: boolean;
}

const NO_ARRAYS: readonly number[] = [];

export function indexPaths(paths: Iterable<string>): PathIndex {
  const root: MutablePathIndex = { children: new Map(), path: '', wanted: false };
  for (const path of paths) {
    let node = root;
    for (const segment of path.split('.')) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), path: node === root ? segment : `${node.path}.${segment}`, wanted: false };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.wanted = true;
  }
  return root;
}

/** Values of `event` at the indexed paths. `event` is any non-array object; it is only read. */
export function collectEventValues(event: object, index: PathIndex): Map<string, EventValue[]> {
  const walk: Walk = { found: new Map(), nextArrayId: 0, openArrays: [] };
  visitObject(walk, event, index, NO_ARRAYS);
  return walk.found;
}

interface Walk {
  readonly found: Map<string, EventValue[]>;
  nextArrayId: number;
  /**
   * Only arrays can nest without lengthening the path, so only they can loop forever when a
   * caller hands over an object graph with cycles.
   */
  readonly openArrays: unknown[];
}

function visitObject(walk: Walk, object: object, node: PathIndex, arrays: readonly number[]): void {
  for (const key of Object.keys(object)) {
    const child = key.includes('.') ? descend(node, key) : node.children.get(key);
    if (child !== undefined) visit(walk, (object as Record<string, unknown>)[key], child, arrays);
  }
}

/** A dotted event key such as "state.status" reaches the same node as nested keys would. */
function descend(node: PathIndex, dottedKey: string): PathIndex | undefined {
  let current: PathIndex | undefined = node;
  for (const segment of dottedKey.split('.')) {
    current = current.children.get(segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function visit(walk: Walk, value: unknown, node: PathIndex, arrays: readonly number[]): void {
  if (Array.isArray(value)) {
    if (walk.openArrays.includes(value)) return;
    walk.openArrays.push(value);
    const id = walk.nextArrayId++;
    for (let i = 0; i < value.length; i++) visit(walk, value[i], node, [...arrays, id, i]);
    walk.openArrays.pop();
  } else if (typeof value === 'object' && value !== null) {
    if (node.children.size > 0) visitObject(walk, value, node, arrays);
  } else if (node.wanted) {
    const leaf = toLeaf(value);
    if (leaf === undefined) return;
    const list = walk.found.get(node.path);
    if (list === undefined) walk.found.set(node.path, [{ value: leaf, arrays }]);
    else list.push({ value: leaf, arrays });
  }
}

/** JSON's view of a JavaScript value: what JSON.stringify would keep as a scalar. */
function toLeaf(value: unknown): Leaf | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      return null;
    default:
      // undefined, functions, symbols and bigints are not JSON values.
      return undefined;
  }
}
