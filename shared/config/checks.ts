/**
 * The checks configuration validation is written with: each names the field it checks and fails
 * with a ConfigError whose message says the rule and what was given. Shared by validateConfig and
 * the channel kinds' own settings (shared/channels/), so every message reads the same.
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`Invalid micro-moments configuration: ${field} ${rule}`);
    this.name = 'ConfigError';
  }
}

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fail(field: string, rule: string, got?: unknown): never {
  const shown = got === undefined ? '' : `, got ${JSON.stringify(got)?.slice(0, 80)}`;
  throw new ConfigError(field, `${rule}${shown}`);
}

export function obj(v: unknown, field: string): Obj {
  if (!isObj(v)) fail(field, 'must be an object', v);
  return v;
}

export function num(v: unknown, field: string, min: number, max: number, opts: { integer?: boolean; exclusive?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a number', v);
  if (opts.integer && !Number.isInteger(v)) fail(field, 'must be an integer', v);
  const below = opts.exclusive ? v <= min : v < min;
  const above = opts.exclusive ? v >= max : v > max;
  if (below || above) {
    fail(field, opts.exclusive ? `must be between ${min} and ${max}, both excluded` : `must be between ${min} and ${max}`, v);
  }
  return v;
}

export function int(v: unknown, field: string, min: number, max: number): number {
  return num(v, field, min, max, { integer: true });
}

export function str(v: unknown, field: string, pattern?: RegExp, rule?: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(field, 'must be a non-empty string', v);
  if (pattern && !pattern.test(v)) fail(field, rule ?? `must match ${pattern}`, v);
  return v;
}

export function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'must be true or false', v);
  return v;
}

export function arr(v: unknown, field: string, minItems = 0): unknown[] {
  if (!Array.isArray(v)) fail(field, 'must be an array', v);
  if (v.length < minItems) fail(field, `must have at least ${minItems} item(s)`);
  return v;
}

export function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(field, `must be one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

