/**
 * Builds the configuration: the defaults, overlaid by a JSON file (CDK context `config`, the
 * `MM_CONFIG_FILE` variable or a CLI flag) and a stage name, then validated. Objects merge key
 * by key; arrays and scalars replace.
 */
import { readFileSync } from 'node:fs';
import { defaultConfig } from './defaults';
import type { MicroMomentsConfig } from './types';
import { ConfigError, validateConfig } from './validate';

export type DeepPartial<T> = T extends (infer U)[] ? U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlain(base) || !isPlain(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = k in out ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

export function readConfigFile(path: string): DeepPartial<MicroMomentsConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('config', `file ${path} cannot be read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as DeepPartial<MicroMomentsConfig>;
  } catch (err) {
    throw new ConfigError('config', `file ${path} is not JSON: ${(err as Error).message}`);
  }
}

export interface LoadOptions {
  overrides?: DeepPartial<MicroMomentsConfig> | Record<string, unknown>;
  file?: string;
  stage?: string;
}

export function loadConfig(opts: LoadOptions = {}): MicroMomentsConfig {
  let config: unknown = structuredClone(defaultConfig);
  if (opts.file) config = deepMerge(config, readConfigFile(opts.file));
  if (opts.overrides) config = deepMerge(config, opts.overrides);
  if (opts.stage !== undefined) config = deepMerge(config, { stage: opts.stage });
  return validateConfig(config);
}
