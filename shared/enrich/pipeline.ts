/**
 * The enrich stage as a pure function of a batch and its ports: validate, drop duplicates,
 * pseudonymise, drop sensitive content, drop what predates its customer's erasure, apply consent
 * (and update profiles), compute context,
 * decide consumer-initiated, pick features. Deterministic given `now`: no clock, no randomness,
 * so replay gives byte-identical output and the handler stays thin.
 *
 * Every record ends in exactly one outcome: in = enriched + quarantined + dropped.
 */
import type { EnrichedFeatures, EnrichedSignal, Signal } from '../contracts';
import type { MicroMomentsConfig } from '../config/types';
import { quarantineEntry, type QuarantineEntry } from '../stream/quarantine';
import type { StreamRecord } from '../stream/record';
import type { DropPolicy } from '../observability/metric-names';
import { DROP_POLICIES } from '../observability/metric-names';
import type { Profile } from '../store/profile';
import type { ProfileStore } from '../store/profile-store';
import { classifySensitive } from '../privacy/sensitive';
import { isBeforeErasure, type RecordTimes, type Tombstone } from '../privacy/tombstone';
import { messageIdOf, validateRecord, type QuarantineCode } from './validate';
import { scrubEnrichedSignal } from '../privacy/scrub';
import { catalogueDigestOf, identityOf, keyer, messageDigestOf, type Identity } from './pseudonymise';
import { identityOfRecord } from './record-identity';
import { applySignal, consentFor, profileNeedsWrite, trimConsentHistory } from './consent';
import { buildContext } from './context';
import { compareSequenceNumbers } from '../stream/arrival';
import { isConsumerInitiated } from './consumer-initiated';
import { extractFeatures, sensitiveInputOf, storedEventName } from './features';
import { eventVocabulary } from './vocabulary';

/** A record of the signals stream. */
export type EnrichInput = StreamRecord;

export interface EnrichDeps {
  config: MicroMomentsConfig;
  pepper: string;
  profiles: ProfileStore;
  now: Date;
}

/** `messageId` of an outcome is the digest (messageDigestOf), never the producer's id: it goes to logs. */
export type EnrichOutcome =
  | { kind: 'enriched'; sequenceNumber: string; signal: EnrichedSignal }
  | { kind: 'quarantined'; sequenceNumber: string; entry: QuarantineEntry; code: QuarantineCode; messageId?: string }
  /** messageId: absent for a record that did not validate (dropped as its erased customer's). */
  | { kind: 'dropped'; sequenceNumber: string; policy: DropPolicy; messageId?: string };

export interface EnrichCounts {
  in: number;
  enriched: number;
  quarantined: number;
  dropped: Record<DropPolicy, number>;
}

export interface EnrichBatchResult {
  /** One per input record, in input order. */
  outcomes: EnrichOutcome[];
  /** Profiles written (in one ProfileStore.putProfiles call), in the order first changed. */
  profileWrites: Profile[];
  counts: EnrichCounts;
}

interface Valid {
  index: number;
  signal: Signal;
  customerKey: string;
  identity: Identity;
  id: string;
  seq: string;
  arrivedAtMs: number;
}

export function emptyCounts(n = 0): EnrichCounts {
  return {
    in: n,
    enriched: 0,
    quarantined: 0,
    dropped: Object.fromEntries(DROP_POLICIES.map((p) => [p, 0])) as Record<DropPolicy, number>,
  };
}

/** Product ids and categories leave enrich as digests (catalogueDigestOf): compared, never read. */
function withCatalogueDigests(f: EnrichedFeatures, pepper: string): EnrichedFeatures {
  if (f.productId !== undefined) f.productId = catalogueDigestOf(pepper, 'product', f.productId);
  if (f.category !== undefined) f.category = catalogueDigestOf(pepper, 'category', f.category);
  return f;
}

export async function enrichBatch(records: EnrichInput[], deps: EnrichDeps): Promise<EnrichBatchResult> {
  const { config, now } = deps;
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  const outcomes: (EnrichOutcome | undefined)[] = new Array(records.length);
  const counts = emptyCounts(records.length);
  const digest = (messageId: string) => messageDigestOf(deps.pepper, messageId);
  /** `digested`: the message's digest already, or none (a bad record without a readable id). */
  const drop = (index: number, policy: DropPolicy, messageId: string | { digested: string | undefined }) => {
    const id = typeof messageId === 'string' ? digest(messageId) : messageId.digested;
    outcomes[index] = { kind: 'dropped', sequenceNumber: records[index].sequenceNumber, policy, ...(id !== undefined ? { messageId: id } : {}) };
    counts.dropped[policy]++;
  };
  const vocabulary = eventVocabulary(config);

  // 1-4: validate, dedupe, pseudonymise, sensitive: no I/O yet.
  const seen = new Set<string>();
  const keyOf = keyer(deps.pepper);
  const valid: Valid[] = [];
  /** Bad records naming a customer: quarantined unless that customer was erased since (step 5). */
  const named: { index: number; customerKey: string; times: RecordTimes }[] = [];
  records.forEach((input, index) => {
    const v = validateRecord(input.data, { config, nowMs, decodeError: input.decodeError });
    if (!v.ok) {
      const parsed = v.code === 'schema' || v.code === 'timestamp-out-of-range' || v.code === 'invalid-timezone';
      const rawId = parsed ? messageIdOf(input.data) : undefined;
      const messageId = rawId !== undefined ? digest(rawId) : undefined;
      // The customer it names, if any: an erasure must be able to find it in the quarantine.
      const who = parsed ? identityOfRecord(input.data, keyOf) : undefined;
      // Without a readable timestamp it cannot show it is from after an erasure ('' never parses).
      if (who) named.push({ index, customerKey: who.customerKey, times: { stamped: [who.timestamp ?? ''], arrived: [input.arrivedAtMs ?? nowMs] } });
      const entry = quarantineEntry('enrich', input, v, nowIso);
      outcomes[index] = {
        kind: 'quarantined',
        sequenceNumber: input.sequenceNumber,
        entry: who ? { ...entry, customerKey: who.customerKey } : entry,
        code: v.code,
        ...(messageId !== undefined ? { messageId } : {}),
      };
      counts.quarantined++;
      return;
    }
    const signal = v.signal;
    if (seen.has(signal.messageId)) return drop(index, 'duplicate', signal.messageId);
    seen.add(signal.messageId);
    const { id, identity } = identityOf(signal);
    const customerKey = keyOf(identity, id);
    // Classified before any profile is read or written: a sensitive signal leaves no trace but a count.
    if (classifySensitive(sensitiveInputOf(signal), config.sensitive)) return drop(index, 'sensitive', signal.messageId);
    // A record without an arrival time (replay) arrived at the latest when it is read.
    valid.push({ index, signal, customerKey, identity, id, seq: input.sequenceNumber, arrivedAtMs: input.arrivedAtMs ?? nowMs });
  });

  // 5: erasure and consent, with every profile and tombstone of the batch read at once.
  const keys = [...new Set([...valid.map((v) => v.customerKey), ...named.map((n) => n.customerKey)])];
  const { profiles: stored, tombstones } =
    keys.length > 0 ? await deps.profiles.getCustomerRecords(keys) : { profiles: new Map<string, Profile>(), tombstones: new Map<string, Tombstone>() };
  // A signal from before its customer's erasure (in flight, or a backlog) leaves no trace, not even its consent.
  const current = valid.filter((v) => {
    if (!isBeforeErasure(tombstones.get(v.customerKey), { stamped: [v.signal.timestamp], arrived: [v.arrivedAtMs] }, config)) return true;
    drop(v.index, 'erased', v.signal.messageId);
    return false;
  });
  // Nor does a bad record of theirs: the quarantine would keep its raw payload after the erasure.
  for (const n of named) {
    if (!isBeforeErasure(tombstones.get(n.customerKey), n.times, config)) continue;
    const q = outcomes[n.index] as Extract<EnrichOutcome, { kind: 'quarantined' }>;
    counts.quarantined--;
    drop(n.index, 'erased', { digested: q.messageId });
  }
  const working = new Map(stored);
  const changed = new Set<string>();
  // First every choice of the batch in stream order, then each signal under the consent in force
  // when it arrived, at its time and now (consentFor): the outcome is the same however far an
  // earlier delivery got.
  const skewMs = config.signalTimeWindow.consentSkewSeconds * 1000;
  const inStreamOrder = [...current].sort((a, b) => compareSequenceNumbers(a.seq, b.seq));
  for (const v of inStreamOrder) {
    const update = applySignal(working.get(v.customerKey), v.signal, v, nowIso, { seq: v.seq, arrivedAtMs: v.arrivedAtMs, skewMs });
    if (update.changed && update.profile) {
      working.set(v.customerKey, update.profile);
      changed.add(v.customerKey);
    }
  }
  const windowStartMs = nowMs - config.signalTimeWindow.maxPastDays * 86_400_000;
  for (const key of changed) {
    const p = working.get(key) as Profile;
    if (p.consentHistory) p.consentHistory = trimConsentHistory(p.consentHistory, windowStartMs);
  }
  for (const v of current) {
    const profile = working.get(v.customerKey);
    const consent = consentFor(profile, { seq: v.seq, timestamp: v.signal.timestamp });
    if (!consent.personalization) {
      drop(v.index, 'no-consent', v.signal.messageId);
      continue;
    }

    // 6: context, consumer-initiated, features; then every string through the one scrubber.
    const enriched: EnrichedSignal = scrubEnrichedSignal({
      version: 1,
      messageId: digest(v.signal.messageId),
      customerKey: v.customerKey,
      identity: v.identity,
      type: v.signal.type,
      event: storedEventName(v.signal, vocabulary),
      timestamp: new Date(v.signal.timestamp).toISOString(),
      enrichedAt: nowIso,
      features: withCatalogueDigests(extractFeatures(v.signal, config.scoring), deps.pepper),
      context: buildContext(v.signal, { profileTimezone: profile?.timezone, locations: config.locations }),
      consent: { personalization: true, channels: consent.channels, locationOffers: consent.locationOffers },
      consumerInitiated: isConsumerInitiated(v.signal),
      configVersion: config.scoring.version,
    });
    outcomes[v.index] = { kind: 'enriched', sequenceNumber: records[v.index].sequenceNumber, signal: enriched };
    counts.enriched++;
  }

  // Written only when the batch changed what a reader uses (a redelivery writes nothing; profileNeedsWrite).
  const profileWrites = [...changed].map((k) => working.get(k) as Profile).filter((p) => profileNeedsWrite(stored.get(p.customerKey), p));
  if (profileWrites.length > 0) await deps.profiles.putProfiles(profileWrites);

  return { outcomes: outcomes as EnrichOutcome[], profileWrites, counts };
}

/** Sum of the dropped counts. */
export const droppedTotal = (c: EnrichCounts): number => DROP_POLICIES.reduce((s, p) => s + c.dropped[p], 0);
