/**
 * Step 5: consent, and the PROFILE updates that come with it.
 *
 * Consent is Segment's `context.consent.categoryPreferences`, the customer's full set of choices
 * at the signal's time. Without any recorded choice there is no consent: opt-in, never opt-out.
 *
 * **The latest choice by arrival wins.** Choices are applied in stream order (sequence numbers:
 * the one order a producer cannot forge, and the one a redelivery keeps), each at its time: its
 * timestamp, or its arrival time when it is stamped more than `signalTimeWindow.consentSkewSeconds`
 * after it arrived (a fast device clock). A choice replaces the one in force, unless it was made
 * before it (an offline device sending its backlog, a slow clock): then it can only narrow it, key
 * by key. So a revocation always applies when it arrives, and an old grant arriving late never
 * undoes a newer revocation.
 *
 * A signal is processed under what three choices all allow (`consentFor`): the one in force when
 * it arrived (its own included), the one in force at its own timestamp (a choice made after it
 * does not reach back; a lying timestamp can only narrow), and the latest (a revocation stops every
 * signal not yet processed, the earlier ones of the same batch included). The first two come from
 * `consentHistory`, what was in force after each change with its stream position, and the profile
 * records the position of the last choice applied (`consentSeq`), so a redelivered batch applies
 * nothing twice and is enriched exactly as it was.
 *
 * Signals carrying consent update the profile's consent; `identify` signals, while
 * `personalization` is granted, also the timezone (traits, else context), the home area (a
 * geohash of precision 5 from traits.location or traits.latitude/longitude) and the external id
 * used for delivery (the userId). Without personalization the profile keeps only the consent
 * choice: what is not needed is not kept.
 */
import { CHANNELS, type Channel, type Signal } from '../contracts';
import { CONSENT_KEYS, type ConsentEntry, type Profile } from '../store/profile';
import { geohashEncode } from '../geo/geohash';
import type { Identity } from './pseudonymise';
import { choiceTimeMs, compareSequenceNumbers } from '../stream/arrival';
import { parseIsoMs } from '../time/parse-iso';

export const HOME_AREA_PRECISION = 5;
/** consentUpdatedAt of a profile created before any consent choice was seen. */
export const NO_CONSENT_YET = '1970-01-01T00:00:00.000Z';

const KEPT_KEYS = Object.values(CONSENT_KEYS) as string[];

/** The consent a signal carries (only the keys micro-moments reads), or undefined. */
export function consentOf(signal: Signal): Record<string, boolean> | undefined {
  const prefs = signal.context?.consent?.categoryPreferences;
  if (!prefs || typeof prefs !== 'object') return undefined;
  const out: Record<string, boolean> = {};
  for (const key of KEPT_KEYS) if (typeof prefs[key] === 'boolean') out[key] = prefs[key];
  return out;
}

export interface EffectiveConsent {
  personalization: boolean;
  channels: Channel[];
  locationOffers: boolean;
}

export function effectiveConsent(consent: Record<string, boolean> | undefined): EffectiveConsent {
  const c = consent ?? {};
  return {
    personalization: c.personalization === true,
    channels: CHANNELS.filter((ch) => c[ch] === true),
    locationOffers: c.locationOffers === true,
  };
}

function homeAreaOf(traits: Record<string, unknown> | undefined): string | undefined {
  if (!traits) return undefined;
  const loc = traits.location && typeof traits.location === 'object' ? (traits.location as Record<string, unknown>) : traits;
  const lat = loc.latitude;
  const lon = loc.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number') return undefined;
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return undefined;
  return geohashEncode(lat, lon, HOME_AREA_PRECISION);
}


/**
 * The same choices: only an explicit `true` grants, so a missing key and `false` are the same.
 * Counted without key arrays: it runs several times per signal (test/property/consent-same.property.test.ts).
 */
export function sameConsent(a: Record<string, boolean>, b: Record<string, boolean>): boolean {
  if (a === b) return true;
  let grantsA = 0;
  for (const k in a) {
    if (a[k] !== true) continue;
    if (b[k] !== true) return false;
    grantsA++;
  }
  let grantsB = 0;
  for (const k in b) if (b[k] === true) grantsB++;
  return grantsA === grantsB;
}

/** Granted only where both grant: what an older choice arriving late can do to the one in force. */
export function narrowConsent(a: Record<string, boolean>, b: Record<string, boolean>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = a[k] === true && b[k] === true;
  return out;
}

export const CONSENT_HISTORY_MAX = 20;

/** The recorded choices of a profile, in arrival order (a profile from before the history: its one choice). */
export function consentHistoryOf(p: Profile | undefined): ConsentEntry[] {
  if (!p) return [];
  if (p.consentHistory && p.consentHistory.length > 0) return p.consentHistory;
  return p.consentUpdatedAt === NO_CONSENT_YET ? [] : [{ at: p.consentUpdatedAt, consent: p.consent }];
}

/** An entry without a position was recorded before choices were ordered by arrival: before every record. */
const arrivedBy = (e: ConsentEntry, seq: string): boolean => e.seq === undefined || compareSequenceNumbers(e.seq, seq) <= 0;

/**
 * Keeps what can still matter: at most CONSENT_HISTORY_MAX entries, and none that is superseded
 * for every time inside the signal time window (older signals are quarantined). A signal that
 * finds no entry is not processed: forgetting can only narrow.
 */
export function trimConsentHistory(history: readonly ConsentEntry[], windowStartMs: number): ConsentEntry[] {
  let first = Math.max(0, history.length - CONSENT_HISTORY_MAX);
  // The next entry arrived later, was made no earlier and before the window: this one is never read again.
  while (first < history.length - 1) {
    const next = parseIsoMs(history[first + 1].at);
    if (next <= windowStartMs && next >= parseIsoMs(history[first].at)) first++;
    else break;
  }
  return history.slice(first);
}

/** What was in force when a record arrived: the last entry at or before its stream position. */
export function consentAtArrival(history: readonly ConsentEntry[], seq: string): Record<string, boolean> | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (arrivedBy(history[i], seq)) return history[i].consent;
  return undefined;
}

/** What was in force at a time: the entry made last at or before it (at equal times, the later arrival). */
export function consentAt(history: readonly ConsentEntry[], timeMs: number): Record<string, boolean> | undefined {
  let found: ConsentEntry | undefined;
  let foundMs = Number.NEGATIVE_INFINITY;
  for (const e of history) {
    const t = parseIsoMs(e.at);
    if (t <= timeMs && t >= foundMs) {
      found = e;
      foundMs = t;
    }
  }
  return found?.consent;
}

/** Where a record stands: its stream position and its own timestamp. */
export interface SignalPosition {
  seq: string;
  timestamp: string;
}

const NONE: Record<string, boolean> = {};

/**
 * What a signal may be used for: what the choices in force at its arrival, at its time and now
 * all allow. Read key by key from the three choices, without an EffectiveConsent for each
 * (once per signal; test/property/consent-for.property.test.ts checks it against that).
 */
export function consentFor(profile: Profile | undefined, at: SignalPosition): EffectiveConsent {
  const history = consentHistoryOf(profile);
  const arrived = consentAtArrival(history, at.seq) ?? NONE;
  const then = consentAt(history, parseIsoMs(at.timestamp)) ?? NONE;
  const now = profile?.consent ?? NONE;
  const channels: Channel[] = [];
  for (const ch of CHANNELS) if (allGrant(arrived, then, now, ch)) channels.push(ch);
  return { personalization: allGrant(arrived, then, now, 'personalization'), channels, locationOffers: allGrant(arrived, then, now, 'locationOffers') };
}

function allGrant(a: Record<string, boolean>, b: Record<string, boolean>, c: Record<string, boolean>, key: string): boolean {
  return a[key] === true && b[key] === true && c[key] === true;
}

function sameHistory(a: readonly ConsentEntry[] | undefined, b: readonly ConsentEntry[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((e, i) => e.at === y[i].at && e.seq === y[i].seq && sameConsent(e.consent, y[i].consent));
}

/** Same content, ignoring updatedAt (per record, so field by field rather than by serialising). */
export function sameProfile(a: Profile | undefined, b: Profile | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.customerKey === b.customerKey &&
    a.consentUpdatedAt === b.consentUpdatedAt &&
    a.consentSeq === b.consentSeq &&
    a.timezone === b.timezone &&
    a.homeArea === b.homeArea &&
    a.externalId === b.externalId &&
    sameConsent(a.consent ?? {}, b.consent ?? {}) &&
    sameHistory(a.consentHistory, b.consentHistory)
  );
}

/**
 * Whether the profile a batch ends with must be written over the stored one: only when something
 * a reader uses changed. `consentSeq` alone does not count: it moves alone only for choices that
 * changed nothing (a restatement made no later than the choice in force), and applying those
 * again on a redelivery changes nothing either. `updatedAt` follows the content.
 *
 * A restatement made later than the choice in force is written, although the consent is the
 * same: it moves `consentUpdatedAt`, and a choice made before it that arrives after it may then
 * only narrow. Without the write, an older grant arriving late would replace the restated choice
 * and widen it (test/unit/enrich/profile-writes.test.ts).
 */
export function profileNeedsWrite(stored: Profile | undefined, next: Profile): boolean {
  if (!stored) return true;
  return !sameProfile(stored, { ...next, consentSeq: stored.consentSeq });
}

export interface ProfileUpdate {
  /** The profile after this signal (undefined: none stored and none needed). */
  profile: Profile | undefined;
  changed: boolean;
  consent: EffectiveConsent;
}

/** Where the signal carrying a choice arrived, and how far ahead of that its clock may run. */
export interface ChoiceArrival {
  seq: string;
  arrivedAtMs: number;
  skewMs: number;
}

/** The profile after one more choice, in arrival order (undefined: already applied, a redelivery). */
function withChoice(current: Profile | undefined, carried: Record<string, boolean>, timestamp: string, arrival: ChoiceArrival, who: { customerKey: string }, nowIso: string): Profile | undefined {
  if (current?.consentSeq !== undefined && compareSequenceNumbers(arrival.seq, current.consentSeq) <= 0) return undefined;
  const atMs = choiceTimeMs(parseIsoMs(timestamp), arrival.arrivedAtMs, arrival.skewMs);
  const at = new Date(atMs).toISOString();
  if (!current || current.consentUpdatedAt === NO_CONSENT_YET) {
    const base = current ?? { customerKey: who.customerKey, updatedAt: nowIso };
    return { ...base, consent: { ...carried }, consentUpdatedAt: at, consentSeq: arrival.seq, consentHistory: [{ at, seq: arrival.seq, consent: { ...carried } }] };
  }
  // Made before the choice in force (a backlog, a slow clock): it was true then, so it can narrow, never widen.
  const older = atMs < parseIsoMs(current.consentUpdatedAt);
  const inForce = older ? narrowConsent(current.consent, carried) : { ...carried };
  const history = consentHistoryOf(current);
  // Recorded when it changes what is in force from its arrival on, or what was in force at its
  // time (an older choice tells what held then). Otherwise not: signals repeat their choice on
  // every event.
  const then = consentAt(history, atMs);
  const needed = !sameConsent(current.consent, inForce) || then === undefined || !sameConsent(then, inForce);
  const changes = needed ? [...history, { at, seq: arrival.seq, consent: inForce }] : history;
  return {
    ...current,
    consent: inForce,
    consentUpdatedAt: older ? current.consentUpdatedAt : at,
    consentSeq: arrival.seq,
    consentHistory: changes,
  };
}

/**
 * Applies one signal to the customer's current profile, in stream order. Pure: the caller keeps
 * the working copy across a batch and writes the changed ones once.
 */
export function applySignal(
  current: Profile | undefined,
  signal: Signal,
  who: { customerKey: string; identity: Identity; id: string },
  nowIso: string,
  arrival: ChoiceArrival,
): ProfileUpdate {
  const carried = consentOf(signal);
  const updatesProfile = signal.type === 'identify' || carried !== undefined;
  if (!updatesProfile) return { profile: current, changed: false, consent: effectiveConsent(current?.consent) };

  let next: Profile | undefined = current ? { ...current, consent: { ...current.consent } } : undefined;
  if (carried) next = withChoice(next, carried, signal.timestamp, arrival, who, nowIso) ?? next;
  const consent = effectiveConsent(next?.consent);
  if (next) {
    if (consent.personalization && signal.type === 'identify') {
      const tz = typeof signal.traits?.timezone === 'string' ? signal.traits.timezone : signal.context?.timezone;
      if (tz) next.timezone = tz;
      const home = homeAreaOf(signal.traits);
      if (home) next.homeArea = home;
      if (who.identity === 'user') next.externalId = who.id;
    } else if (!consent.personalization) {
      delete next.timezone;
      delete next.homeArea;
      delete next.externalId;
    }
  }
  const changed = !sameProfile(current, next);
  if (changed && next) next.updatedAt = nowIso;
  return { profile: changed ? next : current, changed, consent };
}
