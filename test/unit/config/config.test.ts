import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfig, validateConfig } from '../../../shared/config';

const withOverride = (override: Record<string, unknown>) => () => loadConfig({ overrides: override });

describe('configuration', () => {
  test('the defaults are valid', () => {
    expect(() => validateConfig(structuredClone(defaultConfig))).not.toThrow();
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['threshold above 1', { scoring: { intents: { go: { threshold: 1.5 } } } }, 'scoring.intents.go.threshold must be between 0 and 1, both excluded, got 1.5'],
    ['negative retries', { eventSources: { enrich: { retryAttempts: -1 } } }, 'eventSources.enrich.retryAttempts must be between 0 and 10000, got -1'],
    ['stage with capitals', { stage: 'Prod' }, 'stage must be lower-case letters'],
    ['provisioned without shards', { streams: { mode: 'PROVISIONED' } }, 'streams.shardCount must be a number'],
    ['shards while on-demand', { streams: { shardCount: 2 } }, 'streams.shardCount is only allowed with streams.mode PROVISIONED'],
    ['unknown intent in weights', { scoring: { eventWeights: { 'Cart Viewed': { purchase: 0.3 } } } }, 'scoring.eventWeights.Cart Viewed.purchase must be one of know, go, do, buy'],
    ['bad log retention', { retention: { logDays: 31 } }, "retention.logDays must be one of CloudWatch Logs' retention periods"],
    ['quiet hours not HH:mm', { guardrails: { quietHours: { start: '9pm' } } }, 'guardrails.quietHours.start must be HH:mm, got "9pm"'],
    ['week cap below day cap', { guardrails: { caps: { perDay: 5, perWeek: 3 } } }, 'guardrails.caps.perWeek must be at least guardrails.caps.perDay (5), got 3'],
    ['http webhook off loopback', { channels: { webhook: { endpoint: 'http://hooks.example.com/x' } } }, 'channels.webhook.endpoint must be https'],
    ['bad location time zone', { locations: [{ ...defaultConfig.locations[0], timezone: 'Mars/Olympus' }] }, 'locations.0.timezone must be an IANA time zone'],
    ['sensitive life event allowed', { scoring: { lifeEvents: { allowedTypes: ['moved', 'pregnancy'] } } }, 'sensitive.health.lifeEventTypes.0 is also in scoring.lifeEvents.allowedTypes'],
    ['template with an unknown placeholder', { templates: [...defaultConfig.templates, { id: 'x', intent: 'go', title: 'Hi {{name}}', body: 'b' }] }, 'templates.7.title must be one of store, distance, lifeEventType, daypart, got "name"'],
    ['an event name the scrubber would mask', { scoring: { eventWeights: { 'Called 0612345678': { go: 0.3 } } } }, 'scoring.eventWeights.Called 0612345678 looks like personal data to the scrubber'],
    ['a lexicon phrase the scrubber would mask', { scoring: { lexicon: [{ phrase: 'mail bob@example.com', intent: 'go', weight: 0.3 }] } }, 'scoring.lexicon.0.phrase looks like personal data to the scrubber'],
    ['privacy timeout shorter than an erasure', { functions: { notify: { timeoutSeconds: 100 }, privacy: { timeoutSeconds: 120 } } }, 'functions.privacy.timeoutSeconds must be at least 135 (the longest of enrich, score and notify\'s timeouts, which an erasure waits out, plus 35 s), got 120'],
    ['consent skew beyond 10 minutes', { signalTimeWindow: { consentSkewSeconds: 601 } }, 'signalTimeWindow.consentSkewSeconds must be between 0 and 600, got 601'],
    ['a negative recency weight', { scoring: { behaviour: { recency: { weights: { buy: -0.2 } } } } }, 'scoring.behaviour.recency.weights.buy must not be negative'],
    ['behaviour memory too large', { scoring: { behaviour: { memory: 100 } } }, 'scoring.behaviour.memory must be between 0 and 32, got 100'],
    ['behaviour events not a list', { scoring: { behaviour: { events: { add: 'Product Added' } } } }, 'scoring.behaviour.events.add must be an array'],
    ['a base log-odds out of range', { scoring: { intents: { buy: { baseLogOdds: 40 } } } }, 'scoring.intents.buy.baseLogOdds must be between -20 and 20, got 40'],
    ['outcome events not a list', { scoring: { intents: { buy: { outcomeEvents: 'Order Completed' } } } }, 'scoring.intents.buy.outcomeEvents must be an array'],
    ['a provenance digest that is not SHA-256', { scoring: { provenance: { buy: { input: { sha256: 'abc' } } } } }, 'scoring.provenance.buy.input.sha256 must be a SHA-256 digest in lower-case hex'],
    ['a provenance for an unknown intent', { scoring: { provenance: { purchase: {} } } }, 'scoring.provenance.purchase must be one of know, go, do, buy'],
    ['held-out figures out of range', { scoring: { provenance: { buy: { heldOut: { rocAuc: 1.2 } } } } }, 'scoring.provenance.buy.heldOut.rocAuc must be between 0 and 1, got 1.2'],
    ['rule targeting a disabled channel', { channels: { push: { kind: 'sns', enabled: false } } }, 'routing.0.target names channel "push", which is not configured and enabled'],
  ])('%s fails naming the field', (_name, override, message) => {
    expect(withOverride(override)).toThrow(ConfigError);
    expect(withOverride(override)).toThrow(message);
  });

  test('an invalid EventBridge pattern in a routing rule fails naming the rule', () => {
    const routing = structuredClone(defaultConfig.routing);
    routing[1].pattern = { detail: { score: [{ numeric: ['>', 1, '<', 0] }] } };
    expect(withOverride({ routing })).toThrow(/routing\.1\.pattern is not a valid EventBridge pattern: /);
  });

  test('a config file overrides the defaults key by key; arrays replace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-config-'));
    const file = join(dir, 'prod.json');
    writeFileSync(file, JSON.stringify({ stage: 'prod', guardrails: { caps: { perDay: 2 } }, locations: [] }));
    const config = loadConfig({ file });
    expect(config.stage).toBe('prod');
    expect(config.guardrails.caps).toEqual({ perDay: 2, perWeek: defaultConfig.guardrails.caps.perWeek });
    expect(config.locations).toEqual([]);
  });

  test('a config file that is not JSON names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ stage: ');
    expect(() => loadConfig({ file })).toThrow(`config file ${file} is not JSON`);
  });

  test('prototype keys in an override are ignored', () => {
    const config = loadConfig({ overrides: JSON.parse('{"__proto__": {"polluted": true}}') });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(config.stage).toBe('dev');
  });
});
