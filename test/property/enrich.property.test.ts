/**
 * Properties of the enrich pipeline over random batches of valid, invalid, duplicate, sensitive
 * and unconsented records.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { enrichBatch, droppedTotal, type EnrichInput } from '../../shared/enrich/pipeline';
import { InMemoryProfileStore } from '../../shared/store/profile-store';
import { validateEnrichedSignal } from '../../shared/contracts';
import { defaultConfig } from '../../shared/config/defaults';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const PEPPER = 'property-pepper';
const key = (id: string) => createHmac('sha256', PEPPER).update(id).digest('hex');

type ConsentPolicy = 'granted' | 'refused' | 'none';
const CUSTOMERS = 6;
/** Customer i's consent policy is fixed per batch, so "no output without consent" is checkable. */
const policyArb = fc.array(fc.constantFrom<ConsentPolicy>('granted', 'refused', 'none'), { minLength: CUSTOMERS, maxLength: CUSTOMERS });

const BENIGN = ['coffee near me', 'best running shoes', 'how to fix a leaking tap', 'price of trail runners', 'open now'];
const SENSITIVE = ['pregnancy test', 'prenatal vitamins', 'diabetes symptoms', 'church near me', 'best antidepressant', 'payday loan'];
const INVALID: (string | object)[] = [
  'not json',
  '{"type":"track"',
  [1, 2, 3],
  { type: 'track', messageId: 'x', timestamp: NOW.toISOString() },
  { type: 'alias', messageId: 'y', timestamp: NOW.toISOString(), userId: 'u' },
  { type: 'track', event: 'E', messageId: 'z', timestamp: '1999-01-01T00:00:00Z', userId: 'u' },
];

interface Spec {
  kind: 'valid' | 'invalid' | 'duplicate' | 'sensitive';
  customer: number;
  anonymous: boolean;
  invalid: number;
  query: string;
  sensitive: string;
  lat: number;
  lon: number;
  minutesAgo: number;
  identify: boolean;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  kind: fc.constantFrom<Spec['kind']>('valid', 'valid', 'valid', 'invalid', 'duplicate', 'sensitive'),
  customer: fc.nat(CUSTOMERS - 1),
  anonymous: fc.boolean(),
  invalid: fc.nat(INVALID.length - 1),
  query: fc.constantFrom(...BENIGN),
  sensitive: fc.constantFrom(...SENSITIVE),
  lat: fc.double({ min: -60, max: 60, noNaN: true }),
  lon: fc.double({ min: -170, max: 170, noNaN: true }),
  minutesAgo: fc.nat(600),
  identify: fc.boolean(),
});

const userId = (i: number) => `usr-${i}-Qx7`;
const anonId = (i: number) => `anon-${i}-Kw3`;
const email = (i: number) => `person${i}@mail.example`;
const phone = (i: number) => `+4477009${String(i).padStart(5, '0')}`;
const ip = (i: number) => `198.51.100.${i + 10}`;

const consentFor = (p: ConsentPolicy) =>
  p === 'none' ? undefined : { categoryPreferences: { personalization: p === 'granted', push: true, webhook: true } };

function build(specs: Spec[], policies: ConsentPolicy[]) {
  const inputs: EnrichInput[] = [];
  const sensitiveIds = new Set<string>();
  const validIds: string[] = [];
  /** Customers with at least one signal that may write a profile (a duplicate with nothing before it is a valid signal). */
  const touched = new Set<string>();
  specs.forEach((s, i) => {
    let value: unknown;
    const id = s.anonymous ? { anonymousId: anonId(s.customer) } : { userId: userId(s.customer) };
    const messageId = `msg-${i}`;
    const base = {
      messageId,
      timestamp: new Date(NOW.getTime() - s.minutesAgo * 60_000).toISOString(),
      ...id,
      context: {
        timezone: 'Europe/London',
        ip: ip(s.customer),
        location: { latitude: s.lat, longitude: s.lon },
        device: { type: 'android' },
        ...(consentFor(policies[s.customer]) ? { consent: consentFor(policies[s.customer]) } : {}),
      },
    };
    if (s.kind === 'invalid') value = INVALID[s.invalid];
    else if (s.kind === 'duplicate' && validIds.length > 0) value = { ...base, messageId: validIds[s.customer % validIds.length], type: 'track', event: 'Product Viewed' };
    else if (s.kind === 'sensitive') {
      value = { ...base, type: 'track', event: 'Products Searched', properties: { query: s.sensitive } };
      sensitiveIds.add(messageId);
    } else if (s.identify) {
      value = { ...base, type: 'identify', traits: { email: email(s.customer), phone: phone(s.customer), name: 'Ada Lovelace', timezone: 'Europe/Paris', location: { latitude: s.lat, longitude: s.lon } } };
      validIds.push(messageId);
      touched.add(s.anonymous ? anonId(s.customer) : userId(s.customer));
    } else {
      value = { ...base, type: 'track', event: 'Products Searched', properties: { query: s.query } };
      validIds.push(messageId);
      touched.add(s.anonymous ? anonId(s.customer) : userId(s.customer));
    }
    inputs.push({ data: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), sequenceNumber: String(1000 + i), stream: 'signals', partitionKey: 'pk' });
  });
  return { inputs, sensitiveIds, touched };
}

const batchArb = fc.tuple(fc.array(specArb, { maxLength: 40 }), policyArb);

async function runBatch(specs: Spec[], policies: ConsentPolicy[]) {
  const store = new InMemoryProfileStore();
  const { inputs, sensitiveIds, touched } = build(specs, policies);
  const result = await enrichBatch(inputs, { config: defaultConfig, pepper: PEPPER, profiles: store, now: NOW });
  return { result, store, inputs, sensitiveIds, touched };
}

describe('enrich properties', () => {
  it('conserves counts: in = enriched + quarantined + dropped, one outcome per record', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async ([specs, policies]) => {
        const { result, inputs } = await runBatch(specs, policies);
        const c = result.counts;
        expect(c.in).toBe(inputs.length);
        expect(c.enriched + c.quarantined + droppedTotal(c)).toBe(c.in);
        expect(result.outcomes.map((o) => o.sequenceNumber)).toEqual(inputs.map((i) => i.sequenceNumber));
        expect(result.outcomes.filter((o) => o.kind === 'enriched')).toHaveLength(c.enriched);
        expect(result.outcomes.filter((o) => o.kind === 'quarantined')).toHaveLength(c.quarantined);
        for (const policy of ['duplicate', 'sensitive', 'no-consent'] as const) {
          expect(result.outcomes.filter((o) => o.kind === 'dropped' && o.policy === policy)).toHaveLength(c.dropped[policy]);
        }
        expect(c.quarantined).toBe(specs.filter((s) => s.kind === 'invalid').length);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a sensitive signal reach the output or a profile write', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async ([specs, policies]) => {
        const { result, store, sensitiveIds, touched } = await runBatch(specs, policies);
        const out = result.outcomes.flatMap((o) => (o.kind === 'enriched' ? [o.signal.messageId] : []));
        for (const id of sensitiveIds) expect(out).not.toContain(id);
        expect(result.counts.dropped.sensitive).toBe(sensitiveIds.size);
        // A customer whose only signals were sensitive has no profile, whatever consent they carried.
        for (const s of specs.filter((x) => x.kind === 'sensitive')) {
          const id = s.anonymous ? anonId(s.customer) : userId(s.customer);
          if (!touched.has(id)) expect(store.profiles.has(key(id))).toBe(false);
        }
        const sensitiveQueries = JSON.stringify([...store.profiles.values()]);
        for (const q of SENSITIVE) expect(sensitiveQueries).not.toContain(q);
      }),
      { numRuns: 150 },
    );
  });

  it('gives no output for a customer without personalization consent', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async ([specs, policies]) => {
        const { result } = await runBatch(specs, policies);
        const unconsented = new Set<string>();
        policies.forEach((p, i) => {
          if (p !== 'granted') {
            unconsented.add(key(userId(i)));
            unconsented.add(key(anonId(i)));
          }
        });
        for (const o of result.outcomes) {
          if (o.kind === 'enriched') {
            expect(unconsented.has(o.signal.customerKey)).toBe(false);
            expect(o.signal.consent.personalization).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('puts no raw identifier in any enriched record, and every record validates', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async ([specs, policies]) => {
        const { result } = await runBatch(specs, policies);
        for (const o of result.outcomes) {
          if (o.kind !== 'enriched') continue;
          expect(validateEnrichedSignal(o.signal).ok).toBe(true);
          const text = JSON.stringify(o.signal);
          for (let i = 0; i < CUSTOMERS; i++) {
            for (const raw of [userId(i), anonId(i), email(i), phone(i), ip(i), 'Ada Lovelace']) expect(text).not.toContain(raw);
          }
          for (const s of specs) {
            for (const v of [s.lat, s.lon]) {
              // Coordinates too round to be told from other numbers are not precise ones.
              if (Math.abs(v) < 1 || Number.isInteger(v * 100)) continue;
              expect(text).not.toContain(String(v));
              expect(text).not.toContain(v.toFixed(4));
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic, and a redelivered batch writes no profile', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, async ([specs, policies]) => {
        const { inputs } = build(specs, policies);
        const deps = () => ({ config: defaultConfig, pepper: PEPPER, profiles: new InMemoryProfileStore(), now: NOW });
        const a = await enrichBatch(inputs, deps());
        const b = await enrichBatch(inputs, deps());
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        const shared = deps();
        await enrichBatch(inputs, shared);
        const again = await enrichBatch(inputs, shared);
        expect(again.profileWrites).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
