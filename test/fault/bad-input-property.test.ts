/**
 * Generated bad input through the real enrich handler: arbitrary bytes, arbitrary text where
 * base64 belongs, arbitrary JSON values, JSON objects with signal and prototype keys, and valid
 * signals mutated (a field deleted, its type swapped, a string blown up, a forbidden key, a
 * cut, a flipped byte, deep nesting), in batches of random size mixed with valid signals. The
 * handler never throws nor fails the batch, and every record is accounted for exactly once.
 */
import fc from 'fast-check';
import { validateEnrichedSignal } from '../../shared/contracts';
import { QUARANTINE_CODES } from '../../shared/enrich/validate';
import { digestOf, runEnrich, type EnrichRun } from '../fixtures/bad-input/enrich-harness';
import { nested } from '../fixtures/bad-input/malformed-bytes';
import { seeded } from '../fixtures/bad-input/rng';
import { setPath, toData, validSignal, type Json } from '../fixtures/bad-input/signals';

const TYPES = ['track', 'identify', 'page', 'screen'] as const;

/** A valid signal, given its messageId when the batch is put together. */
const validArb = fc.record({ type: fc.constantFrom(...TYPES), seed: fc.nat() });
const build = (spec: { type: (typeof TYPES)[number]; seed: number }, messageId: string): Json => validSignal(seeded(spec.seed), messageId, spec.type);

const FIELDS = [
  'type', 'messageId', 'timestamp', 'userId', 'anonymousId', 'event', 'name', 'properties', 'properties.query',
  'traits', 'context', 'context.timezone', 'context.consent', 'context.consent.categoryPreferences.personalization',
  'context.location.latitude', 'context.device', 'context.device.type', 'sentAt', 'version', 'integrations',
];
const STRING_FIELDS = ['messageId', 'timestamp', 'userId', 'anonymousId', 'event', 'properties.query', 'context.timezone', 'context.locale', 'context.userAgent', 'properties.note'];
const SITES = ['', 'properties', 'traits', 'context', 'context.device', 'context.consent.categoryPreferences', 'properties.x.y'];

type Mutation =
  | { op: 'delete'; path: string }
  | { op: 'swap'; path: string; value: unknown }
  | { op: 'blow-up'; path: string; length: number }
  | { op: 'forbidden-key'; site: string; key: string }
  | { op: 'cut'; at: number }
  | { op: 'flip'; at: number; byte: number }
  | { op: 'nest'; depth: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...FIELDS) }),
  fc.record({ op: fc.constant('swap' as const), path: fc.constantFrom(...FIELDS), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ op: fc.constant('blow-up' as const), path: fc.constantFrom(...STRING_FIELDS), length: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ op: fc.constant('forbidden-key' as const), site: fc.constantFrom(...SITES), key: fc.constantFrom('__proto__', 'constructor', 'prototype') }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ op: fc.constant('nest' as const), depth: fc.integer({ min: 1, max: 12_000 }) }),
);

/** The record's data after the mutation (a mutation may leave it valid: that is allowed). */
function mutate(signal: Json, m: Mutation): string {
  switch (m.op) {
    case 'delete':
      return toData(setPath(signal, m.path, undefined));
    case 'swap':
      return toData(setPath(signal, m.path, m.value));
    case 'blow-up':
      return toData(setPath(signal, m.path, 'z'.repeat(m.length)));
    case 'forbidden-key': {
      if (m.site === '') signal.__KEY__ = 0;
      else setPath(signal, `${m.site}.__KEY__`, 0);
      return toData(JSON.stringify(signal).replace('"__KEY__":0', `"${m.key}":{"polluted":true}`));
    }
    case 'cut': {
      const bytes = Buffer.from(JSON.stringify(signal));
      return toData(bytes.subarray(0, m.at % bytes.length));
    }
    case 'flip': {
      const bytes = Buffer.from(JSON.stringify(signal));
      bytes[m.at % bytes.length] = m.byte;
      return toData(bytes);
    }
    case 'nest':
      setPath(signal, 'properties.deep', '__DEEP__');
      return toData(JSON.stringify(signal).replace('"__DEEP__"', nested('mixed', m.depth)));
  }
}

/** Keys a bad producer or an attacker would use, with a prototype key among them. */
const keyArb = fc.oneof(fc.constantFrom('type', 'messageId', 'timestamp', 'userId', 'anonymousId', 'event', 'properties', 'context', '__proto__', 'constructor', 'prototype'), fc.string({ maxLength: 8 }));
/** JSON object text: built by hand, since an object would turn `__proto__` into its prototype. */
const objectTextArb = fc
  .array(fc.tuple(keyArb, fc.jsonValue({ maxDepth: 3 })), { maxLength: 8 })
  .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);

type Spec =
  | { kind: 'valid'; valid: { type: (typeof TYPES)[number]; seed: number } }
  | { kind: 'mutated'; valid: { type: (typeof TYPES)[number]; seed: number }; mutation: Mutation }
  | { kind: 'bytes'; data: string }
  | { kind: 'not-base64'; data: string }
  | { kind: 'json-value'; data: string }
  | { kind: 'object-text'; data: string };

/** Records that cannot be a valid signal: they must all be quarantined. */
const junkArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((b) => ({ kind: 'bytes' as const, data: Buffer.from(b).toString('base64') })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ kind: 'not-base64' as const, data: s })),
  fc.jsonValue({ maxDepth: 6 }).map((v) => ({ kind: 'json-value' as const, data: toData(JSON.stringify(v)) })),
  objectTextArb.map((t) => ({ kind: 'object-text' as const, data: toData(t) })),
);
const specArb: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 3, arbitrary: validArb.map((valid) => ({ kind: 'valid' as const, valid })) },
  { weight: 3, arbitrary: fc.record({ valid: validArb, mutation: mutationArb }).map((r) => ({ kind: 'mutated' as const, ...r })) },
  { weight: 4, arbitrary: junkArb },
);

interface Batch {
  specs: Spec[];
  datas: string[];
  /** The messageId each valid record carries (others: undefined). */
  validIds: (string | undefined)[];
}

function batchOf(specs: Spec[]): Batch {
  const datas: string[] = [];
  const validIds: (string | undefined)[] = [];
  specs.forEach((s, i) => {
    if (s.kind === 'valid') {
      datas.push(toData(build(s.valid, `valid-${i}`)));
      validIds.push(`valid-${i}`);
    } else {
      datas.push(s.kind === 'mutated' ? mutate(build(s.valid, `mutated-${i}`), s.mutation) : s.data);
      validIds.push(undefined);
    }
  });
  return { specs, datas, validIds };
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
/** A reason names a field (dotted path) or the record, then says what is wrong, then the rule. */
const REASON = /^(Signal|Record)(\.[^:\s]+)?: .+ \([\w.]+\)$/;

/** Every invariant of one run; throws (for fast-check to shrink) when one breaks. */
function checkAccounting(batch: Batch, run: EnrichRun): void {
  expect(run.thrown).toBeUndefined();
  expect(run.response).toEqual({ batchItemFailures: [] });
  const n = batch.datas.length;
  const seqs = new Set(run.records.map((r) => r.kinesis.sequenceNumber));
  const quarantined = new Set(run.quarantined.map((e) => e.source.sequenceNumber));
  expect(quarantined.size).toBe(run.quarantined.length);
  for (const s of quarantined) expect(seqs.has(s)).toBe(true);
  const enrichedIds = run.enriched.map((e) => e.signal.messageId);
  expect(new Set(enrichedIds).size).toBe(enrichedIds.length);

  // Conserved: by the handler's own counts and by what reached each sink.
  const c = run.counts!;
  expect(c.in).toBe(n);
  expect(c.enriched).toBe(run.enriched.length);
  expect(c.quarantined).toBe(run.quarantined.length);
  expect(c.enriched + c.quarantined + c.dropped).toBe(n);

  batch.specs.forEach((spec, i) => {
    const seq = run.records[i].kinesis.sequenceNumber;
    if (spec.kind === 'valid') {
      expect(quarantined.has(seq)).toBe(false);
      expect(enrichedIds).toContain(digestOf(batch.validIds[i] as string));
    } else if (spec.kind !== 'mutated') {
      expect([spec.kind, quarantined.has(seq)]).toEqual([spec.kind, true]);
    }
  });
  for (const e of run.quarantined) {
    expect(e.reason).toMatch(REASON);
    expect(QUARANTINE_CODES).toContain(e.code);
  }
  for (const e of run.enriched) expect(validateEnrichedSignal(JSON.parse(e.text)).ok).toBe(true);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('enrich handler under generated bad input', () => {
  it('arbitrary bytes, text and JSON are all quarantined with a reason, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(junkArb, { minLength: 1, maxLength: 25 }), async (specs) => {
        const batch = batchOf(specs);
        checkAccounting(batch, await runEnrich(batch.datas));
      }),
      { numRuns: 120 },
    );
  });

  it('mutated signals mixed with valid ones: every record accounted for once, every valid one enriched', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(specArb, { minLength: 1, maxLength: 40 }), async (specs) => {
        const batch = batchOf(specs);
        checkAccounting(batch, await runEnrich(batch.datas));
      }),
      { numRuns: 150 },
    );
  });

  it('a mutated copy of a valid signal never takes its place: duplicates are dropped, not lost', async () => {
    await fc.assert(
      fc.asyncProperty(validArb, fc.array(mutationArb, { minLength: 1, maxLength: 10 }), async (valid, mutations) => {
        // Same messageId for all, the original first: a mutant still valid is its duplicate.
        const datas = [toData(build(valid, 'same-id')), ...mutations.map((m) => mutate(build(valid, 'same-id'), m))];
        const run = await runEnrich(datas);
        expect(run.thrown).toBeUndefined();
        expect(run.response).toEqual({ batchItemFailures: [] });
        const original = run.enriched.filter((e) => e.signal.messageId === digestOf('same-id'));
        expect(original).toHaveLength(1);
        expect(JSON.parse(original[0].text)).toEqual(JSON.parse(run.enriched[0].text));
        expect(run.quarantined.map((e) => e.source.sequenceNumber)).not.toContain(run.records[0].kinesis.sequenceNumber);
        const c = run.counts!;
        expect(c.enriched + c.quarantined + c.dropped).toBe(datas.length);
      }),
      { numRuns: 80 },
    );
  });
});
