/**
 * A quarantine reason never quotes the record, whatever the record is: the one parser of stream
 * records (shared/contracts/parse-record.ts) and the one quarantine builder (shared/stream/quarantine.ts),
 * for both contracts (Signal in enrich, EnrichedSignal in score). Attacked as a producer would:
 * markers (emails, phone numbers, arbitrary Unicode, contract-looking words) put where a reason
 * could pick them up: as values that break a rule, as unknown keys at any depth, inside broken
 * JSON, beside bytes that are not UTF-8, under keys nested too deep or holding strings too long.
 */
import fc from 'fast-check';
import signalSchema from '../../shared/contracts/schemas/signal.schema.json';
import enrichedSchema from '../../shared/contracts/schemas/enriched-signal.schema.json';
import { enrichedSignalContract, parseRecord, signalContract, SIGNAL_LIMITS, type Contract } from '../../shared/contracts';
import { quarantineEntry } from '../../shared/stream/quarantine';
import { enriched } from '../unit/scoring/builders';
import { seeded } from '../fixtures/bad-input/rng';
import { setPath, validSignal, type Json } from '../fixtures/bad-input/signals';

/** Longer than this, a run of characters shared by the record and the reason counts as quoted. */
const WINDOW = 6;

type Schema = { properties?: Record<string, Schema>; $ref?: string; items?: Schema; definitions?: Record<string, Schema>; title?: string };

/** Every dotted field path a contract declares (`EnrichedSignal.context.nearestLocation.id`, ...). */
function fieldPaths(root: Schema): string[] {
  const out: string[] = [];
  const walk = (schema: Schema | undefined, path: string, depth: number): void => {
    if (!schema || depth > 8) return;
    out.push(path);
    const resolved = schema.$ref ? root.definitions?.[schema.$ref.replace('#/definitions/', '')] : schema;
    if (resolved !== schema) return walk(resolved, path, depth + 1);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${path}.${name}`, depth + 1);
    if (schema.items) walk(schema.items, `${path}.0`, depth + 1);
  };
  walk(root, root.title ?? '', 0);
  return out;
}

/**
 * The words a reason is made of: the contracts (field names, enum values, patterns, limits) and the
 * sentences of the parser and of ajv. A run of them found in the record is the contract speaking.
 */
const PHRASES = [
  'record is not JSON (syntax error at position ) (json)',
  'record is not valid UTF-8 (encoding)',
  'record is bytes, more than (maxRecordBytes)',
  'must be a JSON object (type)',
  'is required (required)',
  'is not allowed (additionalProperties)',
  'key is not allowed (forbiddenKey) __proto__ constructor prototype',
  `nested deeper than ${SIGNAL_LIMITS.maxDepth} levels (maxDepth)`,
  `must NOT have more than ${SIGNAL_LIMITS.maxStringLength} characters (maxLength)`,
  'userId or anonymousId is required, a non-empty string (anyOf)',
  'must be a date-time that JavaScript reads, such as 2026-11-23T08:00:00Z (format)',
  'must be string (type) must be number (type) must be integer (type) must be boolean (type) must be object (type) must be array (type)',
  'must NOT have fewer than characters (minLength) must match pattern (pattern) must match format (format)',
  'must be <= (maximum) must be >= (minimum) must be equal to constant (const) must be one of (enum)',
  'must NOT have more than items (maxItems) must NOT have more than properties (maxProperties)',
  'must NOT have duplicate items (items ## and are identical) (uniqueItems)',
  'must match "then" schema (if)',
];

const VOCABULARY = [
  JSON.stringify(signalSchema),
  JSON.stringify(enrichedSchema),
  ...fieldPaths(signalSchema as Schema).map((p) => `${p}: ${p}.`),
  ...fieldPaths(enrichedSchema as Schema).map((p) => `${p}: ${p}.`),
  // As reasons put them: after the field path (masked or not) and its colon.
  ...PHRASES.map((p) => `*: ${p}`),
].join('\n');

/** Every run of WINDOW characters of the reason that the record holds and the contract does not say. */
function quoted(reason: string, record: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + WINDOW <= reason.length; i++) {
    const run = reason.slice(i, i + WINDOW);
    if (record.includes(run) && !VOCABULARY.includes(run)) out.push(run);
  }
  return out;
}

const marker = fc.oneof(
  fc.emailAddress(),
  fc.stringMatching(/^\+44 ?7\d{3} ?\d{6}$/),
  fc.string({ minLength: WINDOW, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: WINDOW, maxLength: 20 }),
  // Reason-looking text: a record may try to pass for the contract's own words.
  fc.constantFrom('Signal.userId: alice@example.com', 'EnrichedSignal.customerKey: bob', ': must be string (type) secret-4242'),
);

const ENRICHED_VALUE_SITES = ['customerKey', 'identity', 'type', 'timestamp', 'enrichedAt', 'version', 'context.localTime', 'context.area', 'context.daypart', 'features.price', 'consent.channels.0', 'consent.personalization'];
const ENRICHED_KEY_SITES = ['', 'features', 'context', 'consent', 'features.query', 'context.nearestLocation'];
const SIGNAL_VALUE_SITES = ['type', 'timestamp', 'userId', 'messageId', 'context.timezone', 'context.location.latitude', 'context.consent.categoryPreferences.push', 'properties'];
const SIGNAL_KEY_SITES = ['', 'properties', 'traits', 'context.consent.categoryPreferences', 'properties.list.1', 'traits.address'];

type Shape =
  | { kind: 'value'; site: number }
  | { kind: 'key'; site: number; deep: boolean }
  | { kind: 'long'; site: number }
  | { kind: 'forbidden'; site: number }
  | { kind: 'cut'; site: number; at: number }
  | { kind: 'raw' }
  | { kind: 'not-utf8' };

const shape: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('key' as const), site: fc.nat(), deep: fc.boolean() }),
  fc.record({ kind: fc.constant('long' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('forbidden' as const), site: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), site: fc.nat(), at: fc.nat() }),
  fc.constant({ kind: 'raw' as const }),
  fc.constant({ kind: 'not-utf8' as const }),
);

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length];

const deepUnder = (m: string, levels: number): Json => {
  let v: Json = { [m]: 1 };
  for (let i = 0; i < levels; i++) v = { [`${m}${i}`]: v };
  return v;
};

/** The record's bytes: a valid record of the contract with the marker placed by the shape. */
function build(contract: 'signal' | 'enriched', s: Shape, m: string, seed: number): Uint8Array {
  const base: Json = contract === 'signal' ? validSignal(seeded(seed), `m-${seed}`) : (enriched({ messageId: `m-${seed}` }) as unknown as Json);
  const valueSites = contract === 'signal' ? SIGNAL_VALUE_SITES : ENRICHED_VALUE_SITES;
  const keySites = contract === 'signal' ? SIGNAL_KEY_SITES : ENRICHED_KEY_SITES;
  const under = (site: string, key: string, value: unknown) => (site === '' ? Object.assign(base, { [key]: value }) : setPath(base, `${site}.${key}`, value));
  switch (s.kind) {
    case 'value':
      setPath(base, pick(valueSites, s.site), m);
      break;
    case 'key':
      under(pick(keySites, s.site), m, s.deep ? deepUnder(m, SIGNAL_LIMITS.maxDepth) : { [m]: m });
      break;
    case 'long':
      under(pick(keySites, s.site), m, `${m}${'x'.repeat(SIGNAL_LIMITS.maxStringLength)}`);
      break;
    case 'forbidden': {
      // A forbidden key below a marker key: JSON.parse makes `__proto__` an own property.
      const text = JSON.stringify(under(pick(keySites, s.site), m, { placeholder: 1 })).replace('"placeholder":1', '"__proto__":{"x":1}');
      return Buffer.from(text);
    }
    case 'cut': {
      const text = JSON.stringify(under(pick(keySites, s.site), m, m));
      return Buffer.from(text.slice(0, Math.max(1, text.indexOf(m) + (s.at % (m.length + 4)))));
    }
    case 'raw':
      return Buffer.from(`${m} ${JSON.stringify(base)}`);
    case 'not-utf8':
      return Buffer.concat([Buffer.from(`{"note":"${m}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  }
  return Buffer.from(JSON.stringify(base));
}

const CONTRACTS: Record<'signal' | 'enriched', { contract: Contract<unknown>; maxBytes?: number }> = {
  signal: { contract: signalContract, maxBytes: SIGNAL_LIMITS.maxRecordBytes },
  enriched: { contract: enrichedSignalContract },
};

describe('quarantine reasons never quote the record', () => {
  it.each(['signal', 'enriched'] as const)('%s: no run of more than 5 characters of the record is repeated in the reason, but the contract\'s own words', (name) => {
    const { contract, maxBytes } = CONTRACTS[name];
    let refused = 0;
    fc.assert(
      fc.property(marker, shape, fc.nat(1000), (m, s, seed) => {
        const data = build(name, s, m, seed);
        const parsed = parseRecord(data, contract, { maxBytes });
        if (parsed.ok) return; // the marker happened to be valid where it was put: nothing to quarantine
        refused++;
        const record = Buffer.from(data).toString('utf8');
        expect(quoted(parsed.reason, record)).toEqual([]);
        // The entry carries the payload (base64, for the operator to fix) and coordinates, and the reason.
        const entry = quarantineEntry('score', { data, sequenceNumber: '1', stream: 'micro-moments-test-enriched' }, parsed, '2026-11-23T08:10:00.000Z');
        expect(entry.reason).toBe(parsed.reason);
        expect(Buffer.from(entry.payloadBase64, 'base64').equals(Buffer.from(data))).toBe(true);
        expect(entry.source).toEqual({ stream: 'micro-moments-test-enriched', sequenceNumber: '1' });
        expect(entry.code).toBe(parsed.code);
      }),
      { numRuns: 300 },
    );
    // Most generated records break the contract: the property is not vacuous.
    expect(refused).toBeGreaterThan(200);
  });

  it('masks a key the contract does not declare, keeps the field it names', () => {
    const data = Buffer.from(JSON.stringify({ ...enriched(), features: { 'alice@example.com': 1 } }));
    expect(parseRecord(data, enrichedSignalContract)).toEqual({ ok: false, code: 'schema', reason: 'EnrichedSignal.features.*: is not allowed (additionalProperties)' });
  });

  it('gives the position of a JSON error, not the parser\'s message around it', () => {
    const data = Buffer.from('{"customerKey": "alice@example.com"');
    expect(parseRecord(data, enrichedSignalContract)).toEqual({ ok: false, code: 'invalid-json', reason: 'EnrichedSignal: record is not JSON (syntax error at position 35) (json)' });
  });
});
