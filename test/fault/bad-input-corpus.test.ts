/**
 * The bad-input corpus through the real enrich handler: hundreds of generated malformed records
 * (test/fixtures/bad-input) must each be quarantined once, with a reason naming the field or the
 * rule, the stream coordinates and the raw payload, without a crash or a batch item failure;
 * hostile records that the contract accepts must be enriched, carried as data; counts conserved.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { validateEnrichedSignal } from '../../shared/contracts';
import { QUARANTINE_CODES } from '../../shared/enrich/validate';
import { CONSUMER_INITIATED_EVENTS } from '../../shared/enrich/consumer-initiated';
import { lexiconPhrasesIn, FEATURE_LIMITS } from '../../shared/enrich/features';
import { eventVocabulary, publicEventName } from '../../shared/enrich/vocabulary';
import { defaultConfig } from '../../shared/config/defaults';
import { MALFORMED_CATEGORIES, HOSTILE_CATEGORIES, type HostileValidCase, type MalformedCase } from '../fixtures/bad-input/cases';
import { hostileValidCorpus, malformedCorpus } from '../fixtures/bad-input/corpus';
import { digestOf, runEnrich, STREAM_NAME, type EnrichRun } from '../fixtures/bad-input/enrich-harness';
import { seeded } from '../fixtures/bad-input/rng';
import { CONSENT_ALL, NOW, setPath, toData, validSignal } from '../fixtures/bad-input/signals';

const MALFORMED = malformedCorpus();
const VOCABULARY = eventVocabulary(defaultConfig);
const HOSTILE = hostileValidCorpus();
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const prototypeSnapshot = () => ({
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  fn: Object.getOwnPropertyNames(Function.prototype).sort(),
});
const PROTOTYPES_BEFORE = prototypeSnapshot();

/** The own keys of a parsed JSON value, at any depth, that could pollute a naive merge. */
function forbiddenKeysIn(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((k) => [
    ...(FORBIDDEN.has(k) ? [`${path}.${k}`] : []),
    ...forbiddenKeysIn((value as Record<string, unknown>)[k], `${path}.${k}`),
  ]);
}

/** Every way a malformed record's quarantine can be wrong, as readable lines (empty: all right). */
function quarantineProblems(run: EnrichRun, cases: readonly (readonly [MalformedCase, KinesisStreamRecord])[]): string[] {
  const problems: string[] = [];
  const bySeq = new Map(run.quarantined.map((e) => [e.source.sequenceNumber, e]));
  cases.forEach(([c, record]) => {
    const name = `[${c.category}] ${c.label}`;
    const entry = bySeq.get(record.kinesis.sequenceNumber);
    if (!entry) return problems.push(`${name}: not quarantined`);
    if (!c.codes.includes(entry.code as (typeof QUARANTINE_CODES)[number])) problems.push(`${name}: code ${entry.code}, expected ${c.codes.join('|')} (${entry.reason})`);
    if (!c.reason.test(entry.reason)) problems.push(`${name}: reason "${entry.reason}" does not match ${c.reason}`);
    const shard = record.eventID.slice(0, record.eventID.indexOf(':'));
    if (entry.stage !== 'enrich' || entry.source.stream !== STREAM_NAME || entry.source.shardId !== shard || entry.source.partitionKey !== record.kinesis.partitionKey) {
      problems.push(`${name}: wrong coordinates ${JSON.stringify(entry.source)}`);
    }
    if (entry.source.arrivedAt !== NOW.toISOString() || entry.quarantinedAt !== NOW.toISOString()) problems.push(`${name}: wrong times`);
    // The raw payload: the decoded bytes, or the text itself when it was not base64 at all.
    const payload = entry.reason.startsWith('Record:') ? Buffer.from(entry.payloadBase64, 'base64').toString('utf8') : entry.payloadBase64;
    if (payload !== c.data) problems.push(`${name}: payload is not the record's data`);
    return undefined;
  });
  return problems;
}

function hostileProblems(run: EnrichRun, cases: readonly (readonly [HostileValidCase, KinesisStreamRecord])[]): string[] {
  const problems: string[] = [];
  const byId = new Map(run.enriched.map((e) => [e.signal.messageId, e]));
  const quarantinedBySeq = new Map(run.quarantined.map((e) => [e.source.sequenceNumber, e]));
  for (const [c, record] of cases) {
    const name = `[${c.category}] ${c.label}`;
    const out = byId.get(digestOf(c.messageId));
    if (!out) {
      const q = quarantinedBySeq.get(record.kinesis.sequenceNumber);
      problems.push(`${name}: not enriched${q ? ` (quarantined: ${q.reason})` : ''}`);
      continue;
    }
    const reparsed: unknown = JSON.parse(out.text);
    const v = validateEnrichedSignal(reparsed);
    if (!v.ok) problems.push(`${name}: enriched record invalid: ${v.error}`);
    const forbidden = forbiddenKeysIn(reparsed);
    if (forbidden.length > 0) problems.push(`${name}: forbidden keys in the enriched record: ${forbidden.join(', ')}`);
    if (out.partitionKey !== out.signal.customerKey) problems.push(`${name}: partition key is not the customer key`);
    // Carried as data, reduced to what the pipeline knows: a known event name or `custom`, the lexicon phrases of a text.
    if (c.expect?.event !== undefined) {
      if (out.signal.event !== publicEventName(c.expect.event, VOCABULARY)) problems.push(`${name}: event ${JSON.stringify(out.signal.event)}`);
      if (out.signal.consumerInitiated !== CONSUMER_INITIATED_EVENTS.includes(c.expect.event)) problems.push(`${name}: consumerInitiated ${out.signal.consumerInitiated}`);
    }
    if (c.expect?.query !== undefined && out.signal.features.query !== lexiconPhrasesIn(c.expect.query, defaultConfig.scoring, FEATURE_LIMITS.query)) {
      problems.push(`${name}: query ${JSON.stringify(out.signal.features.query)} is not the input's lexicon phrases`);
    }
    if (c.expect?.title !== undefined && out.signal.features.title !== lexiconPhrasesIn(c.expect.title, defaultConfig.scoring, FEATURE_LIMITS.title)) {
      problems.push(`${name}: title ${JSON.stringify(out.signal.features.title)} is not the input's lexicon phrases`);
    }
  }
  return problems;
}

function expectCleanRun(run: EnrichRun): void {
  expect(run.thrown).toBeUndefined();
  expect(run.response).toEqual({ batchItemFailures: [] });
}

const countsByCategory = (cases: readonly { category: string }[]) =>
  cases.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.category]: (acc[c.category] ?? 0) + 1 }), {});

describe('bad-input corpus', () => {
  it('holds at least 200 malformed records, at least 10 in every category', () => {
    const counts = countsByCategory(MALFORMED);
    expect(MALFORMED.length).toBeGreaterThanOrEqual(200);
    for (const category of MALFORMED_CATEGORIES) expect(counts[category]).toBeGreaterThanOrEqual(10);
    for (const category of HOSTILE_CATEGORIES) expect(countsByCategory(HOSTILE)[category]).toBeGreaterThanOrEqual(10);
    // Deterministic: the same seed makes the same corpus.
    expect(malformedCorpus().map((c) => c.data)).toEqual(MALFORMED.map((c) => c.data));
  });

  describe.each(MALFORMED_CATEGORIES.map((c) => [c]))('%s', (category) => {
    const cases = MALFORMED.filter((c) => c.category === category);

    it('quarantines every record once, with a specific reason, its coordinates and its raw payload', async () => {
      const run = await runEnrich(cases.map((c) => c.data));
      expectCleanRun(run);
      expect(quarantineProblems(run, cases.map((c, i) => [c, run.records[i]] as const))).toEqual([]);
      expect(run.quarantined).toHaveLength(cases.length);
      expect(new Set(run.quarantined.map((e) => e.source.sequenceNumber)).size).toBe(cases.length);
      expect(run.quarantineCalls).toBe(1);
      expect(run.enriched).toEqual([]);
      expect(run.counts).toMatchObject({ in: cases.length, enriched: 0, quarantined: cases.length, dropped: 0 });
      for (const e of run.quarantined) {
        expect(e.reason.trim().length).toBeGreaterThan(0);
        expect(QUARANTINE_CODES).toContain(e.code);
      }
    });
  });

  it('enriches every hostile record the contract accepts, carried as data and valid downstream', async () => {
    const run = await runEnrich(HOSTILE.map((c) => c.data));
    expectCleanRun(run);
    expect(hostileProblems(run, HOSTILE.map((c, i) => [c, run.records[i]] as const))).toEqual([]);
    expect(run.quarantined).toEqual([]);
    expect(run.enriched).toHaveLength(HOSTILE.length);
    expect(run.counts).toMatchObject({ in: HOSTILE.length, enriched: HOSTILE.length, quarantined: 0, dropped: 0 });
  });

  it('mixed into a batch of valid signals, quarantines the bad, enriches every valid one and conserves counts', async () => {
    const rng = seeded(7);
    type Item = { kind: 'malformed'; c: MalformedCase } | { kind: 'hostile'; c: HostileValidCase } | { kind: 'valid' | 'duplicate' | 'no-consent'; data: string; messageId: string };
    const valid: Item[] = Array.from({ length: 200 }, (_, i) => {
      const messageId = `mixed-valid-${i}`;
      return { kind: 'valid', messageId, data: toData(validSignal(rng, messageId, rng.pick(['track', 'identify', 'page', 'screen'] as const))) };
    });
    // Drops, so conservation is checked with all three outcomes.
    const duplicates: Item[] = valid.slice(0, 5).map((v) => ({ ...v, kind: 'duplicate' }) as Item);
    const refused: Item[] = Array.from({ length: 5 }, (_, i) => {
      const messageId = `mixed-refused-${i}`;
      const s = setPath(validSignal(rng, messageId), 'context.consent', { categoryPreferences: { ...CONSENT_ALL.categoryPreferences, personalization: false } });
      return { kind: 'no-consent', messageId, data: toData(setPath(s, 'userId', `usr-refused-${i}-corpus`)) };
    });
    const items: Item[] = [
      ...rng.shuffle([...MALFORMED.map((c) => ({ kind: 'malformed', c }) as Item), ...HOSTILE.map((c) => ({ kind: 'hostile', c }) as Item), ...valid, ...refused]),
      ...duplicates,
    ];
    const dataOf = (it: Item) => (it.kind === 'malformed' || it.kind === 'hostile' ? it.c.data : it.data);
    const run = await runEnrich(items.map(dataOf));
    expectCleanRun(run);

    const enrichedIds = run.enriched.map((e) => e.signal.messageId);
    expect(new Set(enrichedIds).size).toBe(enrichedIds.length);
    const quarantinedSeqs = new Set(run.quarantined.map((e) => e.source.sequenceNumber));
    expect(quarantinedSeqs.size).toBe(run.quarantined.length);
    const missing: string[] = [];
    items.forEach((it, i) => {
      const seq = run.records[i].kinesis.sequenceNumber;
      if (it.kind === 'malformed') {
        if (!quarantinedSeqs.has(seq)) missing.push(`malformed not quarantined: ${it.c.label}`);
      } else {
        const id = it.kind === 'hostile' ? it.c.messageId : it.messageId;
        if (quarantinedSeqs.has(seq)) missing.push(`${it.kind} quarantined: ${id}`);
        const shouldEnrich = it.kind === 'hostile' || it.kind === 'valid';
        if (enrichedIds.includes(digestOf(id)) !== shouldEnrich && it.kind !== 'duplicate') missing.push(`${it.kind} ${shouldEnrich ? 'not ' : ''}enriched: ${id}`);
      }
    });
    expect(missing).toEqual([]);
    const pairs = items.map((it, i) => [it, run.records[i]] as const);
    expect(quarantineProblems(run, pairs.flatMap(([it, r]) => (it.kind === 'malformed' ? [[it.c, r] as const] : [])))).toEqual([]);
    expect(hostileProblems(run, pairs.flatMap(([it, r]) => (it.kind === 'hostile' ? [[it.c, r] as const] : [])))).toEqual([]);

    const malformed = MALFORMED.length;
    const enriched = HOSTILE.length + valid.length;
    expect(run.quarantined).toHaveLength(malformed);
    expect(run.enriched).toHaveLength(enriched);
    expect(run.counts).toEqual({
      ...run.counts,
      in: items.length,
      enriched,
      quarantined: malformed,
      dropped: duplicates.length + refused.length,
      droppedByPolicy: { duplicate: duplicates.length, sensitive: 0, 'no-consent': refused.length, erased: 0 },
    });
    expect(run.counts!.in).toBe(run.counts!.enriched + run.counts!.quarantined + run.counts!.dropped);
    // The EMF metrics say the same.
    expect(run.output).toMatch(new RegExp(`"SignalsIn":${items.length}\\b`));
    expect(run.output).toMatch(new RegExp(`"SignalsQuarantined":${malformed}\\b`));
    expect(run.output).toMatch(new RegExp(`"SignalsEnriched":${enriched}\\b`));
    for (const e of run.enriched) expect(validateEnrichedSignal(JSON.parse(e.text)).ok).toBe(true);
    // No identifier of the corpus reaches a log line or a metric.
    expect(run.output).not.toContain('-corpus');
    expect(run.output).not.toContain('192.0.2.10');
  });

  it('leaves Object.prototype, Array.prototype and Function.prototype as they were', async () => {
    await runEnrich(MALFORMED.filter((c) => c.category === 'prototype-pollution').map((c) => c.data));
    expect(prototypeSnapshot()).toEqual(PROTOTYPES_BEFORE);
    const probe: Record<string, unknown> = {};
    for (const key of ['polluted', 'isAdmin']) {
      expect(probe[key]).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, key)).toBe(false);
    }
  });
});

/**
 * FINDING: timestamps the contract's `date-time` format accepts but `Date.parse` cannot read
 * (a leap second, an hour-only offset, U+2028 as the date-time separator) pass validation with
 * NaN (NaN is neither too old nor too new), then `new Date(NaN).toISOString()` throws a
 * RangeError in shared/enrich/consent.ts applySignal, so the whole batch fails and Lambda
 * retries it forever: one bad record blocks the shard. Fix in shared/enrich/validate.ts
 * validateRecord, right after `const ts = Date.parse(signal.timestamp)`: quarantine when
 * `Number.isNaN(ts)` with `Signal.timestamp: ... (format)`. Asserts the fixed behaviour.
 */
describe('timestamps the format accepts but Date.parse cannot read', () => {
  it.each([
    ['a leap second', '2026-11-22T23:59:60Z'],
    ['a leap second at a +01:00 offset', '2026-11-23T00:59:60+01:00'],
    ['an hour-only offset', '2026-11-23T08:59:00+01'],
    ['an hour-only offset with fractions', '2026-11-23T07:59:00.5-00'],
    ['U+2028 as the separator', '2026-11-23\u202807:59:00Z'],
  ])('%s (%s) is quarantined without failing the batch', async (_name, timestamp) => {
    const rng = seeded(11);
    const bad = setPath(validSignal(rng, 'nan-ts'), 'timestamp', timestamp);
    const good = validSignal(rng, 'beside-nan-ts');
    const run = await runEnrich([toData(bad), toData(good)]);
    expectCleanRun(run);
    expect(run.quarantined.map((e) => e.reason)).toEqual([expect.stringMatching(/^Signal\.timestamp: /)]);
    expect(run.enriched.map((e) => e.signal.messageId)).toEqual([digestOf('beside-nan-ts')]);
  });
});

/**
 * FINDING: an identify, page or screen without `type` is quarantined for the wrong field:
 * `Signal.event: is required`. The schema's `if: {properties: {type: {const: 'track'}}}` holds
 * vacuously when `type` is absent, and ajv checks if/then before `required`, so a producer
 * that adds the event is then told the type is missing. Fix in
 * shared/contracts/schemas/signal.schema.json: `"if": { "required": ["type"], "properties":
 * { "type": { "const": "track" } } }`. Asserts the fixed behaviour.
 */
describe('a record without type', () => {
  it.each(['identify', 'page', 'screen'] as const)('%s without type is quarantined for the missing type', async (type) => {
    const s = setPath(validSignal(seeded(13), `no-type-${type}`, type), 'type', undefined);
    const run = await runEnrich([toData(s)]);
    expectCleanRun(run);
    expect(run.quarantined.map((e) => e.reason)).toEqual(['Signal.type: is required (required)']);
  });
});
