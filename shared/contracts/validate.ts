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
import { safePathSegment } from '../privacy/scrub';
import type { EnrichedSignal } from './enriched';
import type {
  CustomerErasedDetail,
  MomentDetectedDetail,
  NotificationSentDetail,
  NotificationSuppressedDetail,
} from './events';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Reasons name the field, never a value: a key of the input that is not a plain field name (an
 * email used as a key, say) is shown as `*` (safePathSegment), and no message quotes the data.
 */
function formatPath(title: string, instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return [title, ...parts.map(safePathSegment)].join('.');
}

/**
 * The reason for a record that is not JSON. JSON.parse's own message quotes the text around the
 * error, that is the payload, so only the position is kept.
 */
export function notJsonReason(title: string, err: unknown): string {
  const position = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return `${title}: record is not JSON${position ? ` (syntax error at position ${position[1]})` : ''} (json)`;
}

/** Turns ajv's first error into one sentence naming the field and the rule. */
export function describeError(title: string, errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return `${title}: invalid`;
  switch (e.keyword) {
    case 'required':
      return `${formatPath(title, e.instancePath, String(e.params.missingProperty))}: is required (required)`;
    case 'additionalProperties':
      return `${formatPath(title, e.instancePath, String(e.params.additionalProperty))}: is not allowed (additionalProperties)`;
    case 'enum':
      return `${formatPath(title, e.instancePath)}: must be one of ${JSON.stringify(e.params.allowedValues)} (enum)`;
    case 'anyOf':
      if (title === 'Signal' && e.instancePath === '') {
        return 'Signal.userId: userId or anonymousId is required, a non-empty string (anyOf)';
      }
      return `${formatPath(title, e.instancePath)}: ${e.message} (anyOf)`;
    default:
      return `${formatPath(title, e.instancePath)}: ${e.message} (${e.keyword})`;
  }
}

function validator<T>(title: string, fn: StandaloneValidate): (value: unknown) => Validation<T> {
  return (value: unknown) => {
    if (fn(value)) return { ok: true, value: value as T };
    // For anyOf ajv reports the branches' errors first; the anyOf itself says it better.
    const errors = fn.errors ?? [];
    const anyOf = errors.find((e) => e.keyword === 'anyOf' && e.instancePath === '');
    return { ok: false, error: describeError(title, anyOf ? [anyOf] : errors) };
  };
}

// PURE: a function that imports one validator does not carry the others' generated code.
const validateSignalSchema = /* @__PURE__ */ validator<Signal>('Signal', compiled.signal);
export const validateEnrichedSignal = /* @__PURE__ */ validator<EnrichedSignal>('EnrichedSignal', compiled.enrichedSignal);
export const validateMomentDetected = /* @__PURE__ */ validator<MomentDetectedDetail>('MomentDetected', compiled.momentDetected);
export const validateNotificationSent = /* @__PURE__ */ validator<NotificationSentDetail>('NotificationSent', compiled.notificationSent);
export const validateNotificationSuppressed = /* @__PURE__ */ validator<NotificationSuppressedDetail>(
  'NotificationSuppressed',
  compiled.notificationSuppressed,
);
export const validateCustomerErased = /* @__PURE__ */ validator<CustomerErasedDetail>('CustomerErased', compiled.customerErased);

/** Keys that could pollute prototypes in a consumer that merges objects naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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
function checkShape(value: unknown, path: string, depth: number, check: 'structure' | 'strings'): string | undefined {
  if (typeof value === 'string') {
    return check === 'strings' && tooLong(value)
      ? `${path}: must NOT have more than ${SIGNAL_LIMITS.maxStringLength} characters (maxLength)`
      : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > SIGNAL_LIMITS.maxDepth) {
    return `${path}: nested deeper than ${SIGNAL_LIMITS.maxDepth} levels (maxDepth)`;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkShape(value[i], `${path}.${i}`, depth + 1, check);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `${path}.${safePathSegment(key)}: key is not allowed (forbiddenKey)`;
    const problem = checkShape((value as Record<string, unknown>)[key], `${path}.${safePathSegment(key)}`, depth + 1, check);
    if (problem) return problem;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates one raw signal (the bytes of a Kinesis record's data). Never throws:
 * every failure is a reason naming the field and the rule.
 */
export function parseSignal(bytes: Uint8Array): Validation<Signal> {
  if (bytes.byteLength > SIGNAL_LIMITS.maxRecordBytes) {
    return {
      ok: false,
      error: `Signal: record is ${bytes.byteLength} bytes, more than ${SIGNAL_LIMITS.maxRecordBytes} (maxRecordBytes)`,
    };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: 'Signal: record is not valid UTF-8 (encoding)' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: notJsonReason('Signal', err) };
  }
  return validateSignal(value);
}

/** Validates an already parsed value against the Signal contract and its limits. */
export function validateSignal(value: unknown): Validation<Signal> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'Signal: must be a JSON object (type)' };
  }
  const structure = checkShape(value, 'Signal', 0, 'structure');
  if (structure) return { ok: false, error: structure };
  const schema = validateSignalSchema(value);
  if (!schema.ok) return schema;
  const strings = checkShape(value, 'Signal', 0, 'strings');
  if (strings) return { ok: false, error: strings };
  // RFC 3339 admits what Date cannot read (a leap second, an hour-only offset): every stage after
  // this one computes with the time, so such a timestamp is refused here rather than crash there.
  if (Number.isNaN(Date.parse(schema.value.timestamp))) {
    return { ok: false, error: 'Signal.timestamp: must be a date-time that JavaScript reads, such as 2026-11-23T08:00:00Z (format)' };
  }
  return schema;
}
