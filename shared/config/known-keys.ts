/**
 * Which configuration keys exist, so that a typo (`scoring.intents.go.treshold`) stops synth with
 * the path and the closest known key instead of being ignored.
 *
 * The known keys are derived, not listed: every key of the defaults (shared/config/defaults.ts) is
 * known, so a key added there needs nothing here. Items of an array are checked against all the
 * default items' keys together. Only four kinds of path are written down, all in this file:
 *
 * - OPTIONAL_KEYS: keys that may be set but have no default value (add a new optional key here);
 * - NAMED_ENTRIES: objects whose keys are names the user chooses (event names, sensitive
 *   categories, channels); their values are checked against the default values' keys;
 * - FREE_FORM: values not checked below their path (an EventBridge pattern);
 * - KEYS_BY_KIND: objects whose keys their `kind` declares (a channel's settings).
 *
 * A path is dot-separated; `*` stands for any one key or array index.
 */
import { CHANNEL_KINDS, isChannelKind } from '../channels';
import { closestName } from '../closest-name';
import { defaultConfig } from './defaults';

export const OPTIONAL_KEYS: readonly string[] = [
  'streams.shardCount',
  'functions.*.reservedConcurrency',
  'templates.*.when',
  'templates.*.when.nearOpenLocation',
  'templates.*.when.event',
  'scoring.intents.*.outcomeEvents',
  'scoring.intents.*.baseLogOdds',
  'scoring.provenance.*.threshold.value',
  'scoring.provenance.*.notFitted',
  'scoring.provenance.*.generalisation',
  'sensitive.*.exceptions',
];

export const NAMED_ENTRIES: readonly string[] = [
  'scoring.eventWeights',
  'scoring.eventWeights.*',
  'scoring.contentWeights',
  'scoring.contentWeights.*',
  'scoring.context.mobile',
  'scoring.context.nearOpenLocation',
  'scoring.context.dayparts',
  'scoring.context.dayparts.*',
  'scoring.closers',
  // Keyed by intent: validateConfig names an intent that does not exist.
  'scoring.provenance',
  'sensitive',
  'channels',
  'locations.*.openingHours',
];

export const FREE_FORM: readonly string[] = ['routing.*.pattern'];

/**
 * Objects whose keys their `kind` declares: a channel's settings are its kind's descriptor's
 * (shared/channels/), so a kind with no default (email over SES) is checked as closely as the
 * webhook. Without a known kind (a misspelt `kind` key, an unknown value, which validateConfig
 * reports) every kind's keys are known.
 */
export const KEYS_BY_KIND: Readonly<Record<string, (value: Record<string, unknown>) => readonly string[]>> = {
  'channels.*': (v) => ['kind', 'enabled', ...(isChannelKind(v.kind) ? [v.kind] : Object.keys(CHANNEL_KINDS)).flatMap((k) => CHANNEL_KINDS[k as keyof typeof CHANNEL_KINDS].keys)],
};

export interface UnknownKey {
  /** The full path, e.g. `scoring.intents.go.treshold`. */
  path: string;
  /** The closest known key at the same place, if one is close enough to be a typo. */
  suggestion?: string;
  known: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function matches(pattern: string, path: string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
}
const listed = (list: readonly string[], path: string[]) => list.some((p) => matches(p, path));

/** The keys OPTIONAL_KEYS adds directly under `path`. */
function optionalChildren(path: string[]): string[] {
  return OPTIONAL_KEYS.map((p) => p.split('.'))
    .filter((parts) => parts.length === path.length + 1 && matches(parts.slice(0, -1).join('.'), path))
    .map((parts) => parts[parts.length - 1]);
}

/** What several default values have in common as a shape: their keys merged, recursively. */
function mergedShape(values: unknown[]): unknown {
  const objects = values.filter(isObj);
  if (objects.length === 0) return values.find((v) => Array.isArray(v)) ?? undefined;
  const out: Obj = {};
  for (const o of objects) {
    for (const [k, v] of Object.entries(o)) out[k] = k in out ? mergedShape([out[k], v]) : v;
  }
  return out;
}

function walk(value: unknown, shape: unknown, path: string[], found: UnknownKey[]): void {
  if (listed(FREE_FORM, path)) return;
  if (Array.isArray(value)) {
    const itemShape = Array.isArray(shape) ? mergedShape(shape) : undefined;
    value.forEach((item, i) => walk(item, itemShape, [...path, String(i)], found));
    return;
  }
  if (!isObj(value)) return; // a wrong type is validateConfig's to report
  const byKind = Object.entries(KEYS_BY_KIND).find(([p]) => matches(p, path));
  if (byKind) {
    const known = byKind[1](value);
    for (const k of Object.keys(value)) {
      if (known.includes(k)) continue;
      const suggestion = closestName(k, known);
      found.push({ path: [...path, k].join('.'), ...(suggestion ? { suggestion } : {}), known: [...known] });
    }
    return;
  }
  if (listed(NAMED_ENTRIES, path)) {
    const entryShape = isObj(shape) ? mergedShape(Object.values(shape)) : undefined;
    for (const [k, v] of Object.entries(value)) walk(v, entryShape, [...path, k], found);
    return;
  }
  const optional = optionalChildren(path);
  // An object with neither a default nor listed keys (an optional key's value) is not checked.
  if (!isObj(shape) && optional.length === 0) return;
  const defaults = isObj(shape) ? shape : {};
  const known = [...Object.keys(defaults), ...optional.filter((k) => !(k in defaults))];
  for (const [k, v] of Object.entries(value)) {
    if (!known.includes(k)) {
      const suggestion = closestName(k, known);
      found.push({ path: [...path, k].join('.'), ...(suggestion ? { suggestion } : {}), known });
      continue;
    }
    walk(v, defaults[k], [...path, k], found);
  }
}

/** Every key of `config` that is neither in the defaults nor listed above, in document order. */
export function unknownKeys(config: unknown, defaults: unknown = defaultConfig): UnknownKey[] {
  const found: UnknownKey[] = [];
  walk(config, defaults, [], found);
  return found;
}

/** `a.b.treshold is not a known key (did you mean threshold?)`. */
export function describeUnknownKey(u: UnknownKey): string {
  const hint = u.suggestion
    ? ` (did you mean ${u.suggestion}?)`
    : u.known.length > 0 && u.known.length <= 12
      ? ` (known keys here: ${u.known.join(', ')})`
      : '';
  return `${u.path} is not a known key${hint}`;
}
