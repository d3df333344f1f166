/**
 * Builds the configuration: the defaults, overlaid by a JSON file (CDK context `config`, the
 * `MM_CONFIG_FILE` variable or a CLI flag) and a stage name, then validated. Objects merge key
 * by key; arrays and scalars replace.
 */
import { readFileSync } from 'node:fs';
import { defaultConfig } from './defaults';
import type { MicroMomentsConfig } from './types';
import { deepMerge, type DeepPartial } from './merge';
import { ConfigError, validateConfig } from './validate';

export { deepMerge, type DeepPartial } from './merge';

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
