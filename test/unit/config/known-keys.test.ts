import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfig } from '../../../shared/config';
import { NAMED_ENTRIES, FREE_FORM, unknownKeys } from '../../../shared/config/known-keys';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

/** Every path of an object key in the defaults whose name is not the user's choice. */
function fixedKeyPaths(value: unknown, path: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => fixedKeyPaths(v, [...path, String(i)]));
  if (typeof value !== 'object' || value === null) return [];
  const here = (list: readonly string[]) => list.some((p) => p.split('.').length === path.length && p.split('.').every((s, i) => s === '*' || s === path[i]));
  if (here(FREE_FORM)) return [];
  const named = here(NAMED_ENTRIES);
  return Object.entries(value).flatMap(([k, v]) => [...(named ? [] : [[...path, k]]), ...fixedKeyPaths(v, [...path, k])]);
}

function setAt(root: Record<string, unknown>, path: string[], rename: string): void {
  let o = root as Record<string, unknown>;
  for (const p of path.slice(0, -1)) o = o[p] as Record<string, unknown>;
  const last = path[path.length - 1];
  o[rename] = o[last];
  delete o[last];
}

describe('unknown configuration keys', () => {
  it('stop the configuration with the path and the closest known key (the issue\'s example)', () => {
    expect(message(() => loadConfig({ overrides: { scoring: { intents: { go: { treshold: 0.5 } } } } as never }))).toBe(
      'Invalid micro-moments configuration: scoring.intents.go.treshold is not a known key (did you mean threshold?)',
    );
  });

  it('are found in a config file too, all of them named', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mm-config-')), 'c.json');
    writeFileSync(file, JSON.stringify({ guardrails: { quietHour: { start: '22:00' } }, channels: { webhook: { endpont: 'https://x.example' } } }));
    const text = message(() => loadConfig({ file }));
    expect(text).toContain('guardrails.quietHour is not a known key (did you mean quietHours?)');
    expect(text).toContain('channels.webhook.endpont is not a known key (did you mean endpoint?)');
  });

  it('a key misspelt anywhere in the defaults is reported at its path, with the key it should be', () => {
    const paths = fixedKeyPaths(defaultConfig);
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      const name = path[path.length - 1];
      if (name.length < 4 || /^\d+$/.test(name)) continue;
      const typo = name.slice(0, 1) + name.slice(2); // one letter dropped
      const config = structuredClone(defaultConfig) as unknown as Record<string, unknown>;
      setAt(config, path, typo);
      const found = unknownKeys(config);
      expect(found.map((u) => u.path)).toEqual([[...path.slice(0, -1), typo].join('.')]);
      expect(found[0].suggestion).toBe(name);
    }
  });

  it('derive from the defaults: a key added there is known without being listed', () => {
    const defaults = { ...structuredClone(defaultConfig), consumers: { mode: 'polling', maxConcurrency: 4 } };
    expect(unknownKeys({ ...defaults, consumers: { mode: 'fan-out', maxConcurency: 2 } }, defaults)).toEqual([
      { path: 'consumers.maxConcurency', suggestion: 'maxConcurrency', known: ['mode', 'maxConcurrency'] },
    ]);
    expect(unknownKeys(defaults, defaults)).toEqual([]);
  });

  it('accept optional keys without a default, names chosen by the user, and EventBridge patterns', () => {
    const config = loadConfig({
      overrides: {
        stage: 'opt',
        streams: { mode: 'PROVISIONED', shardCount: 2 },
        functions: { enrich: { reservedConcurrency: 3 } },
        scoring: { eventWeights: { 'Wishlist Added': { buy: 0.4 } }, context: { dayparts: { night: { know: 0.1 } } } },
        sensitive: { gambling: { terms: ['casino'], contentCategories: [], lifeEventTypes: [] } },
        templates: [...defaultConfig.templates, { id: 'go-x', intent: 'go', when: { event: 'Directions Requested' }, title: 't', body: 'b' }],
        routing: [{ ...defaultConfig.routing[0], pattern: { source: ['micro-moments'], detail: { 'any-new-field': [{ exists: true }] } } }],
      } as never,
    });
    expect(config.streams.shardCount).toBe(2);
  });

  it('check the entries of named maps against the default entries\' keys', () => {
    expect(message(() => loadConfig({ overrides: { sensitive: { gambling: { terms: ['casino'], contentCategories: [], lifeEventTypes: [], term: ['x'] } } } as never }))).toContain(
      'sensitive.gambling.term is not a known key (did you mean terms?)',
    );
  });

  it('offer no suggestion for a word unlike any known key, but list the few there are', () => {
    expect(message(() => loadConfig({ overrides: { guardrails: { caps: { monthly: 5 } } } as never }))).toContain(
      'guardrails.caps.monthly is not a known key (known keys here: perDay, perWeek)',
    );
  });
});
