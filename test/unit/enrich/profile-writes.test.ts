/**
 * Issue 12: enrich writes a PROFILE only when something a reader uses changed, and still writes
 * the one restatement whose skipping would let a late, older grant widen consent.
 */
import { enrichBatch } from '../../../shared/enrich/pipeline';
import { InMemoryProfileStore } from '../../../shared/store/profile-store';
import { config, input, keyOf, NOW, PEPPER, signal } from './fixtures';

const ONLY = { categoryPreferences: { personalization: true, push: true } };
const WIDER = { categoryPreferences: { personalization: true, push: true, email: true } };
const at = (minutesBefore: number) => new Date(NOW.getTime() - minutesBefore * 60_000).toISOString();
const run = (store: InMemoryProfileStore, ...records: ReturnType<typeof input>[]) => enrichBatch(records, { config, pepper: PEPPER, profiles: store, now: NOW });
const withConsent = (consent: unknown, minutesBefore: number, extra: Record<string, unknown> = {}) =>
  signal({ timestamp: at(minutesBefore), context: { timezone: 'Europe/London', consent: consent }, ...extra });

describe('PROFILE writes', () => {
  it('a restatement made no later than the choice in force writes nothing, and a redelivery of it changes nothing', async () => {
    const store = new InMemoryProfileStore();
    await run(store, input(withConsent(ONLY, 9)), input(withConsent(ONLY, 5)));
    const stored = store.profiles.get(keyOf('user-42'));
    // Same choice, stamped between the two (a slow clock): only consentSeq would move.
    const late = input(withConsent(ONLY, 7));
    const first = await run(store, late);
    expect(first.profileWrites).toEqual([]);
    expect(store.calls.putProfiles).toBe(1);
    expect(store.profiles.get(keyOf('user-42'))).toEqual(stored);
    const again = await run(store, late);
    expect(again.profileWrites).toEqual([]);
    expect(again.outcomes.map((o) => o.kind)).toEqual(first.outcomes.map((o) => o.kind));
  });

  it('a restatement made later is written: a grant made before it and arriving after it then only narrows', async () => {
    const store = new InMemoryProfileStore();
    await run(store, input(withConsent(ONLY, 9)));
    const restated = await run(store, input(withConsent(ONLY, 3)));
    expect(restated.profileWrites).toHaveLength(1);
    expect(store.profiles.get(keyOf('user-42'))?.consentUpdatedAt).toBe(at(3));
    // An offline device's grant of email, made between the two, arrives now.
    const wider = await run(store, input(withConsent(WIDER, 6)));
    const out = wider.outcomes[0];
    expect(out.kind).toBe('enriched');
    if (out.kind === 'enriched') expect(out.signal.consent.channels).toEqual(['push']);
    expect(store.profiles.get(keyOf('user-42'))?.consent.email).not.toBe(true);
  });

  it('a restatement of a choice that grants everything is written too: a narrower then a wider late choice made before it only narrow', async () => {
    const ALL = { categoryPreferences: { personalization: true, push: true, email: true, sms: true, webhook: true, locationOffers: true } };
    const store = new InMemoryProfileStore();
    await run(store, input(withConsent(ALL, 9)));
    await run(store, input(withConsent(ALL, 2)));
    // Made after the first statement and before the restatement, arriving after both (an offline device).
    await run(store, input(withConsent(ONLY, 7)));
    const wider = await run(store, input(withConsent(WIDER, 5)));
    const out = wider.outcomes[0];
    expect(out.kind).toBe('enriched');
    if (out.kind === 'enriched') expect(out.signal.consent.channels).toEqual(['push']);
    expect(store.profiles.get(keyOf('user-42'))?.consent.email).not.toBe(true);
  });

  it('a new customer whose signals state no consent gets no PROFILE (an identify included)', async () => {
    const store = new InMemoryProfileStore();
    const { profileWrites, outcomes } = await run(
      store,
      input(signal({ userId: 'quiet', context: { timezone: 'Europe/London' } })),
      input(signal({ type: 'identify', event: undefined, userId: 'quiet', traits: { timezone: 'Europe/Paris' }, context: { timezone: 'Europe/London' } })),
    );
    expect(profileWrites).toEqual([]);
    expect(store.profiles.size).toBe(0);
    expect(outcomes.every((o) => o.kind === 'dropped')).toBe(true);
  });

  it('several signals of one customer in a batch write its profile once', async () => {
    const store = new InMemoryProfileStore();
    const { profileWrites } = await run(store, input(withConsent(ONLY, 9)), input(withConsent(WIDER, 7)), input(withConsent(ONLY, 5)));
    expect(profileWrites).toHaveLength(1);
    expect(store.calls.putProfiles).toBe(1);
  });
});
