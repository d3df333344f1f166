/**
 * Contract validation (it runs on every record), with validators generated at build time. Messages name the
 * field as a dotted path and the rule that failed, e.g.
 * `Signal.context.timezone: must be string (type)`.
 */
import type { ErrorObject } from 'ajv';
// Validators compiled from shared/contracts/schemas at build time (npm run generate:validators): no
// schema compiler in the bundles and nothing to compile at cold start. A test fails when they
// drift from the schemas.
import * as compiled from './generated/validators';
import type { StandaloneValidate } from './generated/validators';
import { SIGNAL_LIMITS, type Signal } from './signal';
import type { EnrichedSignal } from './enriched';
import type {
  CustomerErasedDetail,
  MomentDetectedDetail,
  NotificationSentDetail,
  NotificationSuppressedDetail,
} from './events';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** A broken rule, kept apart so a caller can decide which parts of the path it may repeat. */
export interface ContractIssue {
  /** The contract: `Signal`, `EnrichedSignal`, ... */
  title: string;
  /** The field, as keys and array indices below the title; a key may have come from the data. */
  path: readonly string[];
  /** The rule broken, in words from the schema; never the data. */
  message: string;
  /** The rule's keyword, e.g. `maxLength`; empty when the validator gave none. */
  rule: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issue: ContractIssue };

/** A contract that reports its first broken rule as a structured issue. */
export interface Contract<T> {
  title: string;
  check(value: unknown): Checked<T>;
}

/** `Signal.context.timezone: must be string (type)`. */
export function formatIssue(issue: ContractIssue, path: readonly string[] = issue.path): string {
  return `${[issue.title, ...path].join('.')}: ${issue.message}${issue.rule ? ` (${issue.rule})` : ''}`;
}

const issue = (title: string, path: readonly string[], message: string, rule: string): ContractIssue => ({ title, path, message, rule });

function pathOf(instancePath: string, extra?: string): string[] {
  const parts = instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return parts;
}

/** Turns ajv's first error into an issue naming the field and the rule. */
export function issueOf(title: string, errors: ErrorObject[] | null | undefined): ContractIssue {
  const e = errors?.[0];
  if (!e) return issue(title, [], 'invalid', '');
  switch (e.keyword) {
    case 'required':
      return issue(title, pathOf(e.instancePath, String(e.params.missingProperty)), 'is required', 'required');
    case 'additionalProperties':
      return issue(title, pathOf(e.instancePath, String(e.params.additionalProperty)), 'is not allowed', 'additionalProperties');
    case 'enum':
      return issue(title, pathOf(e.instancePath), `must be one of ${JSON.stringify(e.params.allowedValues)}`, 'enum');
    case 'anyOf':
      if (title === 'Signal' && e.instancePath === '') {
        return issue(title, ['userId'], 'userId or anonymousId is required, a non-empty string', 'anyOf');
      }
      return issue(title, pathOf(e.instancePath), `${e.message}`, 'anyOf');
    default:
      return issue(title, pathOf(e.instancePath), `${e.message}`, e.keyword);
  }
}

/** Turns ajv's first error into one sentence naming the field and the rule. */
export function describeError(title: string, errors: ErrorObject[] | null | undefined): string {
  return formatIssue(issueOf(title, errors));
}

function contract<T>(title: string, fn: StandaloneValidate): Contract<T> {
  return {
    title,
    check(value: unknown): Checked<T> {
      if (fn(value)) return { ok: true, value: value as T };
      // For anyOf ajv reports the branches' errors first; the anyOf itself says it better.
      const errors = fn.errors ?? [];
      const anyOf = errors.find((e) => e.keyword === 'anyOf' && e.instancePath === '');
      return { ok: false, issue: issueOf(title, anyOf ? [anyOf] : errors) };
    },
  };
}

function validation<T>(c: Contract<T>): (value: unknown) => Validation<T> {
  return (value: unknown) => {
    const checked = c.check(value);
    return checked.ok ? checked : { ok: false, error: formatIssue(checked.issue) };
  };
}

// PURE: a function that imports one validator does not carry the others' generated code.
const signalSchemaContract = /* @__PURE__ */ contract<Signal>('Signal', compiled.signal);
export const enrichedSignalContract = /* @__PURE__ */ contract<EnrichedSignal>('EnrichedSignal', compiled.enrichedSignal);
export const validateEnrichedSignal = /* @__PURE__ */ validation(enrichedSignalContract);
export const validateMomentDetected = /* @__PURE__ */ validation(contract<MomentDetectedDetail>('MomentDetected', compiled.momentDetected));
export const validateNotificationSent = /* @__PURE__ */ validation(contract<NotificationSentDetail>('NotificationSent', compiled.notificationSent));
export const validateNotificationSuppressed = /* @__PURE__ */ validation(
  contract<NotificationSuppressedDetail>('NotificationSuppressed', compiled.notificationSuppressed),
);
export const validateCustomerErased = /* @__PURE__ */ validation(contract<CustomerErasedDetail>('CustomerErased', compiled.customerErased));

/** Keys that could pollute prototypes in a consumer that merges objects naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Characters (code points), not UTF-16 units: an emoji is one character of the 2048. */
function tooLong(value: string): boolean {
  if (value.length <= SIGNAL_LIMITS.maxStringLength) return false; // units >= code points: the fast path
  let count = 0;
  for (const _ of value) if (++count > SIGNAL_LIMITS.maxStringLength) return true;
  return false;
}

/**
 * Walks the parsed value: depth and forbidden keys (before the schema, which must not walk an
 * absurdly deep value), or string lengths (after it, so a field with a tighter limit of its own,
 * such as userId's 256, is reported with that limit). Limits that JSON Schema cannot state for
 * free-form bags (properties, traits). Returns the first problem or undefined.
 */
function checkShape(value: unknown, path: string[], depth: number, check: 'structure' | 'strings'): ContractIssue | undefined {
  if (typeof value === 'string') {
    return check === 'strings' && tooLong(value)
      ? issue('Signal', path, `must NOT have more than ${SIGNAL_LIMITS.maxStringLength} characters`, 'maxLength')
      : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > SIGNAL_LIMITS.maxDepth) {
    return issue('Signal', path, `nested deeper than ${SIGNAL_LIMITS.maxDepth} levels`, 'maxDepth');
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkShape(value[i], [...path, String(i)], depth + 1, check);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return issue('Signal', [...path, key], 'key is not allowed', 'forbiddenKey');
    const problem = checkShape((value as Record<string, unknown>)[key], [...path, key], depth + 1, check);
    if (problem) return problem;
  }
  return undefined;
}

interface ShapeProblems {
  structure: boolean;
  strings: boolean;
}

/** shapeProblems' walk: module-level (no closure per record), stops at the first structural problem. */
function walkShape(v: unknown, d: number, found: ShapeProblems): void {
  if (typeof v === 'string') {
    if (!found.strings && tooLong(v)) found.strings = true;
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (d > SIGNAL_LIMITS.maxDepth) {
    found.structure = true;
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && !found.structure; i++) walkShape(v[i], d + 1, found);
    return;
  }
  for (const key in v) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
    if (FORBIDDEN_KEYS.has(key)) {
      found.structure = true;
      return;
    }
    walkShape((v as Record<string, unknown>)[key], d + 1, found);
    if (found.structure) return;
  }
}

/**
 * What checkShape looks for, in one walk that builds no path: whether the value is too deep, holds
 * a forbidden key, or a string that is too long. Nearly every record has none of these; only one
 * that does is walked again by checkShape, for the path of its first problem.
 */
function shapeProblems(value: unknown, depth: number): ShapeProblems | undefined {
  const found: ShapeProblems = { structure: false, strings: false };
  walkShape(value, depth, found);
  return found.structure || found.strings ? found : undefined;
}

/** The Signal contract: the schema and the limits it cannot state (depth, keys, string lengths, readable time). */
export const signalContract: Contract<Signal> = {
  title: 'Signal',
  check(value: unknown): Checked<Signal> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, issue: issue('Signal', [], 'must be a JSON object', 'type') };
    }
    const problems = shapeProblems(value, 0);
    const structure = problems?.structure ? checkShape(value, [], 0, 'structure') : undefined;
    if (structure) return { ok: false, issue: structure };
    const schema = signalSchemaContract.check(value);
    if (!schema.ok) return schema;
    const strings = problems?.strings ? checkShape(value, [], 0, 'strings') : undefined;
    if (strings) return { ok: false, issue: strings };
    // RFC 3339 admits what Date cannot read (a leap second, an hour-only offset): every stage after
    // this one computes with the time, so such a timestamp is refused here rather than crash there.
    if (Number.isNaN(Date.parse(schema.value.timestamp))) {
      return {
        ok: false,
        issue: issue('Signal', ['timestamp'], 'must be a date-time that JavaScript reads, such as 2026-11-23T08:00:00Z', 'format'),
      };
    }
    return schema;
  },
};

/** Validates an already parsed value against the Signal contract and its limits. */
export const validateSignal = /* @__PURE__ */ validation(signalContract);
