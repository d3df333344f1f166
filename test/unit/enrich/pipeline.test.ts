import { enrichBatch, droppedTotal, type EnrichInput, type EnrichOutcome } from '../../../shared/enrich/pipeline';
import { InMemoryProfileStore } from '../../../shared/store/profile-store';
import { validateEnrichedSignal, type EnrichedSignal } from '../../../shared/contracts';
import type { Profile } from '../../../shared/store/profile';
import { CONSENT_HISTORY_MAX, consentAt, effectiveConsent, trimConsentHistory } from '../../../shared/enrich/consent';
import { CONSENT_ALL, NOW, PEPPER, config, digestOf, input, keyOf as key, signal, type Json } from './fixtures';

async function run(values: (Json | string | Uint8Array)[], store = new InMemoryProfileStore(), extra: { now?: Date } = {}) {
  return runInputs(values.map((v) => input(v)), store, extra);
}

/** The same records again (a redelivery keeps their sequence numbers), or records built with `input`. */
async function runInputs(inputs: EnrichInput[], store = new InMemoryProfileStore(), extra: { now?: Date } = {}) {
  const result = await enrichBatch(inputs, { config, pepper: PEPPER, profiles: store, now: extra.now ?? NOW });
  const c = result.counts;
  expect(c.in).toBe(inputs.length);
  expect(c.enriched + c.quarantined + droppedTotal(c)).toBe(c.in);
  expect(result.outcomes).toHaveLength(inputs.length);
  return { ...result, store, inputs };
}

const enrichedOf = (o: EnrichOutcome): EnrichedSignal => {
  if (o.kind !== 'enriched') throw new Error(`expected enriched, got ${JSON.stringify(o)}`);
  return o.signal;
};
const quarantinedOf = (o: EnrichOutcome) => {
  if (o.kind !== 'quarantined') throw new Error(`expected quarantined, got ${o.kind}`);
  return o;
};

describe('enrichBatch: a valid signal', () => {
  it('becomes an enriched record that validates against the contract', async () => {
    const { outcomes } = await run([signal({ messageId: 'm-ok' })]);
    const e = enrichedOf(outcomes[0]);
    expect(validateEnrichedSignal(e)).toEqual({ ok: true, value: e });
    expect(e).toMatchObject({
      version: 1,
      messageId: digestOf('m-ok'),
      customerKey: key('user-42'),
      identity: 'user',
      type: 'track',
      event: 'Products Searched',
      timestamp: '2026-11-23T07:59:00.000Z',
      enrichedAt: NOW.toISOString(),
      // The query reduced to the lexicon phrases scoring reads.
      features: { query: 'near me' },
      consent: { personalization: true, channels: ['push', 'sms', 'webhook'], locationOffers: true },
      consumerInitiated: true,
      configVersion: config.scoring.version,
    });
    expect(e.context).toEqual({
      timezone: 'Europe/London', localTime: '2026-11-23T07:59', localHour: 7, weekday: 1, weekend: false, daypart: 'morning', deviceClass: 'mobile',
    });
  });

  it('keys by userId when both ids are present, else by anonymousId', async () => {
    const { outcomes } = await run([
      signal({ userId: 'u-1', anonymousId: 'a-1' }),
      signal({ userId: undefined, anonymousId: 'a-2' }),
    ]);
    expect(enrichedOf(outcomes[0])).toMatchObject({ customerKey: key('u-1'), identity: 'user' });
    expect(enrichedOf(outcomes[1])).toMatchObject({ customerKey: key('a-2', 'anonymous'), identity: 'anonymous' });
  });

  it('is deterministic given now', async () => {
    const values = [signal(), signal({ type: 'page', name: 'Home', event: undefined }), signal({ event: 'Location Entered' })];
    const inputs = values.map((v) => input(v));
    const deps = () => ({ config, pepper: PEPPER, profiles: new InMemoryProfileStore(), now: NOW });
    const a = await enrichBatch(inputs, deps());
    const b = await enrichBatch(inputs, deps());
    expect(JSON.stringify(a.outcomes)).toBe(JSON.stringify(b.outcomes));
  });
});

describe('enrichBatch: bad input is quarantined with a reason naming the field and rule', () => {
  it.each([
    ['not JSON', '{"userId": "bob@example.com", oops', 'invalid-json', /^Signal: record is not JSON \(syntax error at position \d+\) \(json\)$/],
    ['a JSON array', '[1,2]', 'schema', /^Signal: must be a JSON object \(type\)$/],
    ['no messageId', { type: 'track', event: 'x', timestamp: '2026-11-23T07:59:00Z', userId: 'u' }, 'schema', /^Signal\.messageId: is required \(required\)$/],
    ['no id at all', { type: 'track', event: 'x', messageId: 'm', timestamp: '2026-11-23T07:59:00Z' }, 'schema', /^Signal\.userId: userId or anonymousId is required/],
    ['a track without event', { type: 'track', messageId: 'm', timestamp: '2026-11-23T07:59:00Z', userId: 'u' }, 'schema', /^Signal\.event: is required \(required\)$/],
    ['an unknown type', { type: 'alias', messageId: 'm', timestamp: '2026-11-23T07:59:00Z', userId: 'u' }, 'schema', /^Signal\.type: must be one of/],
    ['a wrong type', { ...signal(), properties: { query: 42 } }, 'schema', /^Signal\.properties\.query: must be string \(type\)$/],
    ['a far-future timestamp', signal({ timestamp: '2026-11-23T08:11:00Z' }), 'timestamp-out-of-range', /^Signal\.timestamp: more than 10 minutes in the future \(signalTimeWindow\.maxFutureMinutes\)$/],
    ['an old timestamp', signal({ timestamp: '2026-11-15T07:59:00Z' }), 'timestamp-out-of-range', /^Signal\.timestamp: more than 7 days in the past \(signalTimeWindow\.maxPastDays\)$/],
    ['an unknown time zone', signal({ context: { timezone: 'Mars/Olympus', consent: CONSENT_ALL } }), 'invalid-timezone', /^Signal\.context\.timezone: must be an IANA time zone/],
    ['an unknown trait time zone', signal({ type: 'identify', event: undefined, traits: { timezone: 'Nowhere' } }), 'invalid-timezone', /^Signal\.traits\.timezone: must be an IANA time zone/],
  ])('%s → %s', async (_name, value, code, reason) => {
    const { outcomes, inputs } = await run([value as Json | string]);
    const q = quarantinedOf(outcomes[0]);
    expect(q.code).toBe(code);
    expect(q.entry.code).toBe(code);
    expect(q.entry.reason).toMatch(reason);
    expect(q.entry.stage).toBe('enrich');
    expect(q.entry.quarantinedAt).toBe(NOW.toISOString());
    expect(q.entry.source).toEqual({
      stream: 'signals', sequenceNumber: inputs[0].sequenceNumber, shardId: 'shardId-000000000000', partitionKey: 'pk', arrivedAt: NOW.toISOString(),
    });
    // Nothing is lost: the payload is kept as it arrived.
    expect(Buffer.from(q.entry.payloadBase64, 'base64').equals(Buffer.from(inputs[0].data))).toBe(true);
  });

  it('never copies the payload into the reason of a JSON error', async () => {
    const { outcomes } = await run(['{"userId":"bob@example.com" "x"}']);
    expect(quarantinedOf(outcomes[0]).entry.reason).not.toContain('bob');
  });

  it('quarantines oversized, non-UTF-8 and undecodable records', async () => {
    const big = signal({ properties: { blob: 'x'.repeat(33 * 1024) } });
    const { outcomes } = await run([big, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]);
    expect(quarantinedOf(outcomes[0])).toMatchObject({ code: 'too-large' });
    expect(quarantinedOf(outcomes[0]).entry.reason).toMatch(/^Signal: record is \d+ bytes, more than 32768 \(maxRecordBytes\)$/);
    expect(quarantinedOf(outcomes[1])).toMatchObject({ code: 'encoding' });
    const decodeError = 'Record: data is not valid base64 (encoding)';
    const r = await enrichBatch([input('%%%', { decodeError })], { config, pepper: PEPPER, profiles: new InMemoryProfileStore(), now: NOW });
    expect(quarantinedOf(r.outcomes[0]).entry).toMatchObject({ code: 'encoding', reason: decodeError });
  });

  it('reports the messageId of a schema failure when it has one', async () => {
    const { outcomes } = await run([{ type: 'track', messageId: 'm-bad', timestamp: 'yesterday', userId: 'u', event: 'x' }]);
    expect(quarantinedOf(outcomes[0])).toMatchObject({ code: 'schema', messageId: digestOf('m-bad') });
  });
});

describe('enrichBatch: duplicates', () => {
  it('drops a second record with the same messageId in the batch, keeps the first', async () => {
    const s = signal({ messageId: 'dup' });
    const { outcomes, counts } = await run([s, { ...s, properties: { query: 'other' } }, signal()]);
    expect(enrichedOf(outcomes[0]).features.query).toBe('near me');
    expect(outcomes[1]).toMatchObject({ kind: 'dropped', policy: 'duplicate', messageId: digestOf('dup') });
    expect(counts.dropped.duplicate).toBe(1);
    expect(counts.enriched).toBe(2);
  });
});

describe('enrichBatch: sensitive content', () => {
  it.each([
    ['a pregnancy query', signal({ properties: { query: 'pregnancy test' } })],
    ['a medical search', signal({ properties: { query: 'diabetes symptoms' } })],
    ['a sensitive event name', signal({ event: 'Pregnancy Test Purchased', properties: {} })],
    ['a page in a religious category', signal({ type: 'page', event: undefined, name: 'Services', category: 'Religion', properties: {} })],
    ['a screen named for prenatal care', signal({ type: 'screen', event: undefined, name: 'Prenatal Vitamins', properties: {} })],
    ['a sensitive content category', signal({ type: 'page', event: undefined, properties: { contentCategories: ['how-to', 'mental-health'] } })],
    ['a video title', signal({ event: 'Video Playback Started', properties: { title: 'Quran online recitation' } })],
    ['a product name', signal({ event: 'Product Viewed', properties: { product_id: 'p1', name: 'Maternity jeans' } })],
    ['a product in the cart', signal({ event: 'Cart Viewed', properties: { products: [{ name: 'Socks' }, { name: 'Prenatal vitamins' }] } })],
    ['a sensitive life event', signal({ event: 'Life Event', properties: { type: 'pregnancy' } })],
  ])('drops %s and writes nothing, not even its consent', async (_name, s) => {
    const { outcomes, counts, store, profileWrites } = await run([s]);
    expect(outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'sensitive' });
    expect(counts.dropped.sensitive).toBe(1);
    expect(profileWrites).toEqual([]);
    expect(store.calls).toEqual({ getProfiles: 0, putProfiles: 0 });
  });

  it('lets ordinary content through', async () => {
    const { counts } = await run([
      signal({ properties: { query: 'best running shoes' } }),
      signal({ properties: { query: 'how to fix a leaking tap' } }),
      signal({ event: 'Life Event', properties: { type: 'moved' } }),
    ]);
    expect(counts.enriched).toBe(3);
  });
});

describe('enrichBatch: consent and profiles', () => {
  const noConsent = (o: Json = {}) => signal({ context: { timezone: 'Europe/London' }, ...o });

  it('drops a signal without any consent on record (opt-in)', async () => {
    const { outcomes, counts, profileWrites } = await run([noConsent()]);
    expect(outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
    expect(counts.dropped['no-consent']).toBe(1);
    expect(profileWrites).toEqual([]);
  });

  it('drops a signal whose consent refuses personalization, and records the refusal', async () => {
    const refuse = { categoryPreferences: { personalization: false, push: true } };
    const { outcomes, profileWrites, inputs } = await run([signal({ context: { consent: refuse } })]);
    expect(outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
    const seq = inputs[0].sequenceNumber;
    expect(profileWrites).toEqual([
      {
        customerKey: key('user-42'),
        consent: { personalization: false, push: true },
        consentUpdatedAt: '2026-11-23T07:59:00.000Z',
        consentSeq: seq,
        consentHistory: [{ at: '2026-11-23T07:59:00.000Z', seq, consent: { personalization: false, push: true } }],
        updatedAt: NOW.toISOString(),
      },
    ]);
  });

  it('uses the stored consent when the signal carries none, reading all profiles in one call', async () => {
    const store = new InMemoryProfileStore();
    for (const id of ['a', 'b']) {
      store.profiles.set(key(id), { customerKey: key(id), consent: { personalization: id === 'a', email: true }, consentUpdatedAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', timezone: 'America/New_York' });
    }
    const { outcomes } = await run([noConsent({ userId: 'a', context: {} }), noConsent({ userId: 'b' }), noConsent({ userId: 'a', context: {} })], store);
    expect(store.calls).toEqual({ getProfiles: 1, putProfiles: 0 });
    const e = enrichedOf(outcomes[0]);
    expect(e.consent).toEqual({ personalization: true, channels: ['email'], locationOffers: false });
    expect(e.context.timezone).toBe('America/New_York'); // from the profile
    expect(e.context.localTime).toBe('2026-11-23T02:59');
    expect(outcomes[1]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
  });

  it('lets a choice made earlier than the one in force, arriving later, narrow it but never widen it', async () => {
    const store = new InMemoryProfileStore();
    const k = key('user-42');
    store.profiles.set(k, { customerKey: k, consent: { personalization: false }, consentUpdatedAt: '2026-11-23T07:58:30.000Z', updatedAt: 'x' });
    // A grant made before the stored refusal, arriving after it (a device's backlog): the refusal stays.
    const { outcomes, profileWrites } = await run([signal({ timestamp: '2026-11-23T07:58:00.000Z' })], store);
    expect(outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
    expect(profileWrites).toHaveLength(1);
    expect(profileWrites[0]).toMatchObject({ consent: { personalization: false }, consentUpdatedAt: '2026-11-23T07:58:30.000Z' });
    // Recorded at its time as what it could be: refused (nothing was in force before 07:58:30).
    expect(profileWrites[0].consentHistory?.map((e) => [e.at, e.consent.personalization])).toEqual([
      ['2026-11-23T07:58:30.000Z', false],
      ['2026-11-23T07:58:00.000Z', false],
    ]);
    // Made later: granted, and applies to the rest of the batch.
    const later = await run([signal({ timestamp: '2026-11-23T07:59:00.000Z' }), noConsent()], store);
    expect(later.counts.enriched).toBe(2);
    expect(store.profiles.get(k)?.consent.personalization).toBe(true);
  });

  it('lets a revocation win by arrival, although its device stamped it before a grant stamped in the future', async () => {
    const grant = { categoryPreferences: { personalization: true, push: true } };
    const refuse = { categoryPreferences: { personalization: false } };
    const arrived = NOW.getTime();
    // The grant's clock runs 5 minutes fast: taken at its arrival (07:59:30), not at 08:04:30.
    const fast = input(signal({ timestamp: '2026-11-23T08:04:30.000Z', context: { timezone: 'Europe/London', consent: grant } }), { arrivedAtMs: arrived - 30_000 });
    const revocation = input(signal({ timestamp: '2026-11-23T07:59:40.000Z', context: { timezone: 'Europe/London', consent: refuse } }), { arrivedAtMs: arrived - 20_000 });
    const after = input(noConsent({ timestamp: '2026-11-23T08:04:40.000Z' }), { arrivedAtMs: arrived - 10_000 });
    const first = await runInputs([fast]);
    expect(first.outcomes[0].kind).toBe('enriched');
    expect(first.profileWrites[0].consentUpdatedAt).toBe('2026-11-23T07:59:30.000Z');
    const next = await runInputs([revocation, after], first.store);
    expect(next.outcomes.map((o) => (o.kind === 'dropped' ? o.policy : o.kind))).toEqual(['no-consent', 'no-consent']);
    expect(first.store.profiles.get(key('user-42'))?.consent).toEqual({ personalization: false });
    // Even stamped before the grant's (clamped) time, a revocation arriving after it narrows it.
    const early = input(signal({ timestamp: '2026-11-23T07:59:10.000Z', context: { timezone: 'Europe/London', consent: refuse } }), { arrivedAtMs: arrived - 20_000 });
    const again = await runInputs([fast, early, input(noConsent(), { arrivedAtMs: arrived - 10_000 })]);
    expect(again.outcomes.map((o) => (o.kind === 'dropped' ? o.policy : o.kind))).toEqual(['no-consent', 'no-consent', 'no-consent']);
  });

  it('lets a revocation stop every signal of the batch, the earlier ones too: the latest choice always applies', async () => {
    const revoke = { categoryPreferences: { personalization: false } };
    const { outcomes } = await run([signal(), signal({ timestamp: '2026-11-23T07:59:30.000Z', context: { consent: revoke } }), noConsent()]);
    expect(outcomes.map((o) => (o.kind === 'dropped' ? o.policy : o.kind))).toEqual(['no-consent', 'no-consent', 'no-consent']);
  });

  it('does not let a choice made after a signal widen what the signal may be used for', async () => {
    const noWebhook = { categoryPreferences: { personalization: true, push: true, webhook: false } };
    const withWebhook = { categoryPreferences: { personalization: true, push: true, webhook: true } };
    const { outcomes } = await run([
      noConsent({ messageId: 'a', timestamp: '2026-11-23T07:50:00.000Z' }), // before any choice
      signal({ messageId: 'b', timestamp: '2026-11-23T07:51:00.000Z', context: { timezone: 'Europe/London', consent: noWebhook } }),
      noConsent({ messageId: 'c', timestamp: '2026-11-23T07:52:00.000Z' }),
      signal({ messageId: 'd', timestamp: '2026-11-23T07:53:00.000Z', context: { timezone: 'Europe/London', consent: withWebhook } }),
    ]);
    expect(outcomes.map((o) => (o.kind === 'enriched' ? o.signal.consent.channels.join('+') : o.kind === 'dropped' ? o.policy : o.kind))).toEqual([
      'no-consent',
      'push',
      'push',
      'push+webhook',
    ]);
  });

  it('enriches a redelivered batch exactly as the first delivery, although its profile writes went through', async () => {
    const noWebhook = { categoryPreferences: { personalization: true, push: true, sms: true, webhook: false } };
    const withWebhook = { categoryPreferences: { personalization: true, push: true, sms: true, webhook: true } };
    const revoke = { categoryPreferences: { personalization: false } };
    const batch = [
      noConsent({ messageId: 'a', timestamp: '2026-11-23T07:50:00.000Z' }),
      signal({ messageId: 'b', type: 'identify', event: undefined, timestamp: '2026-11-23T07:51:00.000Z', traits: {}, context: { timezone: 'Europe/London', consent: noWebhook } }),
      noConsent({ messageId: 'c', timestamp: '2026-11-23T07:52:00.000Z', userId: 'user-42' }),
      signal({ messageId: 'd', type: 'identify', event: undefined, timestamp: '2026-11-23T07:53:00.000Z', traits: {}, context: { timezone: 'Europe/London', consent: withWebhook } }),
      signal({ messageId: 'e', userId: 'user-7', timestamp: '2026-11-23T07:54:00.000Z' }),
      signal({ messageId: 'f', userId: 'user-7', timestamp: '2026-11-23T07:55:00.000Z', context: { timezone: 'Europe/London', consent: revoke } }),
    ];
    const summary = (o: EnrichOutcome[]) => o.map((x) => (x.kind === 'enriched' ? `enriched ${x.signal.consent.channels.join('+')}` : x.kind === 'dropped' ? x.policy : x.kind));
    const first = await run(batch);
    const again = await runInputs(first.inputs, first.store);
    expect(summary(again.outcomes)).toEqual(summary(first.outcomes));
    expect(summary(first.outcomes)).toEqual(['no-consent', 'enriched push+sms', 'enriched push+sms', 'enriched push+sms+webhook', 'no-consent', 'no-consent']);
    expect(again.profileWrites).toEqual([]);
  });

  it('applies a revocation made before the choice in force when it arrives: narrowed, never ignored', async () => {
    const grant = { categoryPreferences: { personalization: true, push: true } };
    const refuse = { categoryPreferences: { personalization: false } };
    const store = new InMemoryProfileStore();
    await run([signal({ timestamp: '2026-11-23T07:00:00.000Z', context: { timezone: 'Europe/London', consent: grant } })], store);
    // The same grant again at 07:50 (a repeat), then a refusal from 07:30 that arrives late.
    await run([signal({ timestamp: '2026-11-23T07:50:00.000Z', context: { timezone: 'Europe/London', consent: grant } })], store);
    const late = await run([signal({ timestamp: '2026-11-23T07:30:00.000Z', context: { timezone: 'Europe/London', consent: refuse } })], store);
    const profile = store.profiles.get(key('user-42'));
    expect(effectiveConsent(profile?.consent)).toEqual({ personalization: false, channels: [], locationOffers: false });
    expect(profile?.consentUpdatedAt).toBe('2026-11-23T07:50:00.000Z');
    expect(profile?.consentHistory?.map((e) => [e.at.slice(11, 16), e.consent.personalization])).toEqual([
      ['07:00', true],
      ['07:30', false],
    ]);
    expect(late.outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
    // A grant made before 07:50 cannot widen it again; one made after can.
    const stale = await run([signal({ timestamp: '2026-11-23T07:40:00.000Z', context: { timezone: 'Europe/London', consent: grant } })], store);
    expect(stale.outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
    const fresh = await run([signal({ timestamp: '2026-11-23T07:55:00.000Z', context: { timezone: 'Europe/London', consent: grant } })], store);
    expect(fresh.outcomes[0].kind).toBe('enriched');
    // A signal from 07:40 without consent of its own, arriving now: refused at its time, so not processed.
    const between = await run([noConsent({ timestamp: '2026-11-23T07:40:00.000Z' })], store);
    expect(between.outcomes[0]).toMatchObject({ kind: 'dropped', policy: 'no-consent' });
  });

  it('keeps the consent history to the signal time window and the choice in force at its start', () => {
    const day = 86_400_000;
    const now = Date.parse('2026-11-23T08:00:00.000Z');
    const history = [40, 20, 10, 3, 1].map((d) => ({ at: new Date(now - d * day).toISOString(), consent: { personalization: d % 2 === 1 } }));
    const kept = trimConsentHistory(history, now - 7 * day);
    expect(kept.map((e) => e.at)).toEqual(history.slice(2).map((e) => e.at)); // 10 days ago is in force at the window's start
    const many = Array.from({ length: 30 }, (_, i) => ({ at: new Date(now - (30 - i) * 60_000).toISOString(), consent: { personalization: true } }));
    expect(trimConsentHistory(many, now - 7 * day)).toHaveLength(CONSENT_HISTORY_MAX);
    expect(consentAt(kept, now - 15 * day)).toBeUndefined(); // before the oldest kept choice: none, so not processed
    expect(consentAt(kept, now - 2 * day)).toEqual({ personalization: true });
  });

  it('updates the profile from identify: timezone, home area, external id; only when something changed', async () => {
    const identify = signal({
      type: 'identify', event: undefined, properties: undefined,
      traits: { email: 'bob@example.com', phone: '+44 7700 900123', timezone: 'Europe/Paris', location: { latitude: 48.8575, longitude: 2.358 } },
      context: { consent: CONSENT_ALL, timezone: 'Europe/London', ip: '203.0.113.9' },
    });
    const first = await run([identify]);
    const seq = first.inputs[0].sequenceNumber;
    expect(first.profileWrites).toEqual([
      {
        customerKey: key('user-42'),
        consent: CONSENT_ALL.categoryPreferences,
        consentUpdatedAt: '2026-11-23T07:59:00.000Z',
        consentSeq: seq,
        consentHistory: [{ at: '2026-11-23T07:59:00.000Z', seq, consent: CONSENT_ALL.categoryPreferences }],
        updatedAt: NOW.toISOString(),
        timezone: 'Europe/Paris',
        homeArea: 'u09tv',
        externalId: 'user-42',
      },
    ]);
    expect(enrichedOf(first.outcomes[0]).event).toBe('Identify');
    // Redelivered: nothing changed, nothing written.
    const again = await runInputs(first.inputs, first.store);
    expect(again.profileWrites).toEqual([]);
    expect(again.store.calls.putProfiles).toBe(1);
  });

  it('keeps no external id for an anonymous customer, and only consent when personalization is refused', async () => {
    const anon = await run([signal({ type: 'identify', event: undefined, userId: undefined, anonymousId: 'anon-1', traits: { timezone: 'Europe/Paris' } })]);
    expect(anon.profileWrites[0]).not.toHaveProperty('externalId');
    expect(anon.profileWrites[0].timezone).toBe('Europe/Paris');
    const store = new InMemoryProfileStore();
    const k = key('user-42');
    const profile: Profile = { customerKey: k, consent: { personalization: true }, consentUpdatedAt: '2026-11-01T00:00:00.000Z', updatedAt: 'x', timezone: 'Europe/Paris', homeArea: 'u09tv', externalId: 'user-42' };
    store.profiles.set(k, profile);
    const revoked = await run([signal({ context: { consent: { categoryPreferences: { personalization: false } } } })], store);
    const seq = revoked.inputs[0].sequenceNumber;
    expect(revoked.profileWrites).toEqual([
      {
        customerKey: k,
        consent: { personalization: false },
        consentUpdatedAt: '2026-11-23T07:59:00.000Z',
        consentSeq: seq,
        // The profile from before the history: its one choice becomes the first entry, arrived before any record.
        consentHistory: [
          { at: '2026-11-01T00:00:00.000Z', consent: { personalization: true } },
          { at: '2026-11-23T07:59:00.000Z', seq, consent: { personalization: false } },
        ],
        updatedAt: NOW.toISOString(),
      },
    ]);
  });

  it('writes all changed profiles of a batch in one call', async () => {
    const store = new InMemoryProfileStore();
    const { profileWrites } = await run([signal({ userId: 'a' }), signal({ userId: 'b' }), signal({ userId: 'a' })], store);
    expect(profileWrites.map((p) => p.customerKey).sort()).toEqual([key('a'), key('b')].sort());
    expect(store.calls).toEqual({ getProfiles: 1, putProfiles: 1 });
  });
});

describe('enrichBatch: erased customers', () => {
  const erasedAt = '2026-11-23T07:50:00.000Z';
  const cutoffMs = Date.parse(erasedAt) + config.signalTimeWindow.maxFutureMinutes * 60_000;
  const erasedStore = () => {
    const store = new InMemoryProfileStore();
    store.tombstones.set(key('user-42'), { customerKey: key('user-42'), erasedAt });
    return store;
  };
  const summary = (o: EnrichOutcome[]) => o.map((x) => (x.kind === 'dropped' ? x.policy : x.kind));

  it('drops a signal stamped before the erasure, or arrived before it however it is stamped, and records not even its consent', async () => {
    const store = erasedStore();
    const { outcomes, profileWrites, counts } = await runInputs(
      [
        input(signal({ timestamp: '2026-11-23T07:49:00.000Z' }), { arrivedAtMs: cutoffMs + 30_000 }), // a backlog: stamped before
        input(signal({ timestamp: new Date(cutoffMs + 30_000).toISOString() }), { arrivedAtMs: Date.parse(erasedAt) - 1000 }), // in flight: arrived before, stamped after
        input(signal({ timestamp: new Date(cutoffMs).toISOString() }), { arrivedAtMs: cutoffMs + 30_000 }), // a clock ahead by the accepted skew
      ],
      store,
      { now: new Date(cutoffMs + 60_000) },
    );
    expect(summary(outcomes)).toEqual(['erased', 'erased', 'erased']);
    expect(counts.dropped.erased).toBe(3);
    expect(profileWrites).toEqual([]);
    expect(store.profiles.size).toBe(0);
  });

  it('processes what the customer does after the erasure (stamped and arrived after it), from a fresh consent', async () => {
    const store = erasedStore();
    const after = new Date(cutoffMs + 1000).toISOString();
    const { outcomes, profileWrites } = await runInputs([input(signal({ timestamp: after }), { arrivedAtMs: cutoffMs + 2000 })], store, { now: new Date(cutoffMs + 60_000) });
    expect(summary(outcomes)).toEqual(['enriched']);
    expect(profileWrites[0].consentHistory).toEqual([{ at: after, seq: expect.any(String), consent: CONSENT_ALL.categoryPreferences }]);
  });

  it('drops a bad record naming the erased customer instead of keeping its payload in the quarantine; another customer\'s is quarantined with its key', async () => {
    const store = erasedStore();
    const bad = (userId: string) => ({ ...signal({ userId }), timestamp: 42 }); // a schema error, but ids that parse
    const { outcomes, counts } = await runInputs([input(bad('user-42'), { arrivedAtMs: NOW.getTime() }), input(bad('user-7'), { arrivedAtMs: NOW.getTime() })], store);
    expect(summary(outcomes)).toEqual(['erased', 'quarantined']);
    expect(counts).toMatchObject({ quarantined: 1, dropped: { erased: 1 } });
    expect(quarantinedOf(outcomes[1]).entry.customerKey).toBe(key('user-7'));
  });
});

describe('enrichBatch: context', () => {
  it('computes proximity to the nearest location, then keeps only a coarse area', async () => {
    // 200 m or so from the Soho store, Monday 12:00 London: open.
    const s = signal({ timestamp: '2026-11-23T07:59:00Z', context: { consent: CONSENT_ALL, timezone: 'Europe/London', location: { latitude: 51.5145, longitude: -0.1340 }, device: { type: 'android' } } });
    const { outcomes } = await run([s]);
    const e = enrichedOf(outcomes[0]);
    expect(e.context.nearestLocation).toMatchObject({ id: 'lon-soho', name: 'Soho store', open: false }); // 07:59: opens at 08:00
    expect(e.context.nearestLocation?.distanceMeters).toBeGreaterThan(150);
    expect(e.context.nearestLocation?.distanceMeters).toBeLessThan(250);
    expect((e.context.nearestLocation?.distanceMeters ?? 1) % 10).toBe(0);
    expect(e.context.area).toBe('gcpvhc');
    expect(JSON.stringify(e)).not.toMatch(/51\.514|0\.134/);
    const open = await run([{ ...s, messageId: 'later', timestamp: '2026-11-23T08:05:00Z' }], undefined, { now: new Date('2026-11-23T08:06:00Z') });
    expect(enrichedOf(open.outcomes[0]).context.nearestLocation?.open).toBe(true);
  });

  it('falls back to the nearest location zone, then UTC', async () => {
    const ctx = { consent: CONSENT_ALL, location: { latitude: 40.75, longitude: -73.99 } };
    const { outcomes } = await run([signal({ context: ctx }), signal({ context: { consent: CONSENT_ALL } })]);
    expect(enrichedOf(outcomes[0]).context.timezone).toBe('America/New_York');
    expect(enrichedOf(outcomes[1]).context).toMatchObject({ timezone: 'UTC', localTime: '2026-11-23T07:59', deviceClass: 'unknown' });
  });

  it('knows the weekend and the daypart', async () => {
    const sat = signal({ timestamp: '2026-11-21T19:30:00Z', context: { consent: CONSENT_ALL, timezone: 'Europe/London' } });
    const { outcomes } = await run([sat]);
    expect(enrichedOf(outcomes[0]).context).toMatchObject({ weekday: 6, weekend: true, daypart: 'evening', localHour: 19 });
  });

  it.each([
    [{ device: { type: 'ios', model: 'iPad13,1' } }, 'tablet'],
    [{ device: { type: 'android' } }, 'mobile'],
    [{ device: { type: 'ios', model: 'iPhone15,2' } }, 'mobile'],
    [{ device: { type: 'tvos' } }, 'tv'],
    [{ os: { name: 'Windows' } }, 'desktop'],
    [{ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148' }, 'mobile'],
    [{ userAgent: 'Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 Safari/537.36' }, 'tablet'],
    [{ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15' }, 'desktop'],
    [{}, 'unknown'],
  ])('device %j → %s', async (ctx, deviceClass) => {
    const { outcomes } = await run([signal({ context: { consent: CONSENT_ALL, ...ctx } })]);
    expect(enrichedOf(outcomes[0]).context.deviceClass).toBe(deviceClass);
  });
});

describe('enrichBatch: consumer-initiated', () => {
  it.each([
    [{ event: 'Products Searched' }, true],
    [{ event: 'Directions Requested' }, true],
    [{ event: 'Video Playback Started' }, true],
    [{ type: 'page', event: undefined, name: 'Home' }, true],
    [{ type: 'screen', event: undefined, name: 'Cart' }, true],
    [{ event: 'Location Entered' }, false],
    [{ event: 'Product Viewed', context: { consent: CONSENT_ALL, background: true } }, false],
    [{ type: 'screen', event: undefined, context: { consent: CONSENT_ALL, background: true } }, false],
    [{ event: 'Push Received' }, false],
    [{ type: 'identify', event: undefined }, false],
  ])('%j → %s', async (overrides, expected) => {
    const { outcomes } = await run([signal(overrides)]);
    expect(enrichedOf(outcomes[0]).consumerInitiated).toBe(expected);
  });
});

describe('enrichBatch: features', () => {
  it('keeps an allowlist of properties, trimmed, never traits or unknown properties', async () => {
    const s = signal({
      event: 'Product Viewed',
      properties: {
        product_id: 507, category: ' Footwear ', price: 89.5, currency: 'GBP', value: 120, title: '  Trail runner  ',
        content_type: 'product', email: 'bob@example.com', secret: 'x',
      },
      traits: { email: 'bob@example.com' },
    });
    const e = enrichedOf((await run([s])).outcomes[0]);
    // A title with no lexicon phrase in it is not kept: scoring reads nothing else of it. Product
    // id and category leave as digests (the behaviour features only compare them).
    const hex32 = expect.stringMatching(/^[0-9a-f]{32}$/);
    expect(e.features).toEqual({ productId: hex32, category: hex32, price: 89.5, currency: 'GBP', cartValue: 120, contentType: 'product' });
    const again = enrichedOf((await run([signal({ event: 'Product Added', properties: { product_id: '507', category: 'Footwear' } })])).outcomes[0]);
    expect([again.features.productId, again.features.category]).toEqual([e.features.productId, e.features.category]);
    const other = enrichedOf((await run([signal({ event: 'Product Viewed', properties: { product_id: 2268318 } })])).outcomes[0]);
    // Seven digits would be masked as a possible phone number: as a digest it stays comparable.
    expect(other.features.productId).toMatch(/^[0-9a-f]{32}$/);
    expect(other.features.productId).not.toBe(e.features.productId);
  });

  it('reduces a query and a title to the lexicon phrases found in them, one per line', async () => {
    const e = enrichedOf((await run([signal({ properties: { query: 'Mr John Smith, 221B Baker Street: coffee NEAR me, open-now?', title: 'How to fix it (bob@example.com)' } })])).outcomes[0]);
    expect(e.features.query).toBe('near me\nopen now');
    expect(e.features.title).toBe('how to\nfix');
    const e2 = enrichedOf((await run([signal({ properties: { query: 'order for bob@example.com call +44 7700 900123' } })])).outcomes[0]);
    expect(e2.features.query).toBeUndefined();
  });

  it('keeps content type and categories of the vocabulary only; product id and category leave as digests', async () => {
    const e = enrichedOf(
      (
        await run([
          signal({
            event: 'Product Viewed',
            properties: {
              product_id: 'gift-for-bob@example.com', category: 'Call +33 6 12 34 56 78', content_type: 'iban DE89 3704 0044 0532 0130 00',
              contentCategories: ['12 rue de Rivoli', 'from 203.0.113.77'], currency: 'bob@x.io',
            },
            context: { ...signal().context as Json, locale: 'en-x-4477009001' },
          }),
        ])
      ).outcomes[0],
    );
    expect(e.features).toEqual({
      productId: expect.stringMatching(/^[0-9a-f]{32}$/),
      category: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    // A name needs no title or number to be one: free text outside the vocabulary is not kept at all.
    const named = enrichedOf((await run([signal({ properties: { content_type: 'Reviews', contentCategories: ['John Smith', 'How To', 'deals'] } })])).outcomes[0]);
    expect(named.features).toEqual({ contentType: 'reviews', contentCategories: ['how-to', 'deals'] });
    expect(e.context.locale).toBeUndefined();
    expect(validateEnrichedSignal(e).ok).toBe(true);
  });

  it('stores an event name outside the vocabulary as `custom`', async () => {
    const { outcomes } = await run([signal({ event: 'Email bob@example.com Clicked' }), signal({ event: 'Order Refunded' }), signal({ event: 'Directions Requested' })]);
    expect(outcomes.map((o) => enrichedOf(o).event)).toEqual(['custom', 'Order Refunded', 'Directions Requested']);
  });

  it('cuts long text to the schema limits and normalises content categories', async () => {
    const s = signal({
      type: 'page', event: undefined, name: `${'how to '.repeat(100)}x`, category: 'How To',
      properties: { contentCategories: ['DIY', 'how-to', 'Store_info', 'Step_by step', 'x'.repeat(300)], query: 'q'.repeat(512) },
    });
    const e = enrichedOf((await run([s])).outcomes[0]);
    expect(e.features.title).toBe('how to');
    expect(e.features.query).toBeUndefined();
    expect(e.features.contentCategories).toEqual(['how-to', 'diy', 'store-info']);
    expect(validateEnrichedSignal(e).ok).toBe(true);
  });

  it('carries an allowed life event type only, and marks videos', async () => {
    const { outcomes } = await run([
      signal({ event: 'Life Event', properties: { type: 'New Home' } }),
      signal({ event: 'Life Event', properties: { type: 'Moved to 12 rue de Rivoli' } }),
      signal({ event: 'Video Playback Started', properties: { title: 'How to fix a leaking tap' } }),
    ]);
    expect(enrichedOf(outcomes[0]).features).toEqual({ lifeEventType: 'new-home' });
    expect(enrichedOf(outcomes[1]).features).toEqual({});
    expect(enrichedOf(outcomes[2]).features).toEqual({ contentType: 'video', title: 'how to\nfix' });
  });
});
