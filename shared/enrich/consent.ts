/**
 * Step 5: consent, and the PROFILE updates that come with it.
 *
 * Consent is Segment's `context.consent.categoryPreferences`, the customer's full set of choices
 * at the signal's time: it replaces what was stored when it is at least as recent (the most
 * recent by timestamp wins, so a late, out-of-order signal cannot undo a newer choice). Without
 * any recorded choice there is no consent: opt-in, never opt-out.
 *
 * A signal is processed under the consent in force at its own time AND the latest one known
 * (`consentFor`): a choice made after the signal cannot widen what it allows (it was not given
 * then), and a revocation stops it however old it is. Both come from the profile after the
 * whole batch (the choices are kept with their times in `consentHistory`), so the outcome does not
 * depend on how far the batch got before: a redelivered batch is enriched exactly as it was.
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


function sameConsent(a: Record<string, boolean>, b: Record<string, boolean>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
}

export const CONSENT_HISTORY_MAX = 20;

/** The recorded choices of a profile, oldest first (a profile from before the history: its one choice). */
export function consentHistoryOf(p: Profile | undefined): ConsentEntry[] {
  if (!p) return [];
  if (p.consentHistory && p.consentHistory.length > 0) return p.consentHistory;
  return p.consentUpdatedAt === NO_CONSENT_YET ? [] : [{ at: p.consentUpdatedAt, consent: p.consent }];
}

/** Inserts a choice at its time; at an equal time the one later in the stream wins, as for `consent`. */
function withChoice(history: readonly ConsentEntry[], entry: ConsentEntry): ConsentEntry[] {
  const t = Date.parse(entry.at);
  const out = history.filter((e) => Date.parse(e.at) !== t);
  let i = out.length;
  while (i > 0 && Date.parse(out[i - 1].at) > t) i--;
  out.splice(i, 0, entry);
  return out;
}

/**
 * Keeps what can still matter: the choices inside the signal time window and the one in force at
 * its start (older signals are quarantined), at most CONSENT_HISTORY_MAX. A signal older than the
 * oldest kept choice then finds none, and is not processed: forgetting can only narrow.
 */
export function trimConsentHistory(history: readonly ConsentEntry[], windowStartMs: number): ConsentEntry[] {
  let first = 0;
  for (let i = 0; i < history.length; i++) if (Date.parse(history[i].at) <= windowStartMs) first = i;
  return history.slice(Math.max(first, history.length - CONSENT_HISTORY_MAX));
}

/** The choice in force at a time: the last one made at or before it. */
export function consentAt(history: readonly ConsentEntry[], timeMs: number): Record<string, boolean> | undefined {
  let found: Record<string, boolean> | undefined;
  for (const e of history) {
    if (Date.parse(e.at) <= timeMs) found = e.consent;
    else break;
  }
  return found;
}

/** What a signal may be used for: what the choice at its time and the latest choice both allow. */
export function consentFor(profile: Profile | undefined, signalTime: string): EffectiveConsent {
  const then = effectiveConsent(consentAt(consentHistoryOf(profile), Date.parse(signalTime)));
  const now = effectiveConsent(profile?.consent);
  return {
    personalization: then.personalization && now.personalization,
    channels: then.channels.filter((c) => now.channels.includes(c)),
    locationOffers: then.locationOffers && now.locationOffers,
  };
}

function sameHistory(a: readonly ConsentEntry[] | undefined, b: readonly ConsentEntry[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((e, i) => e.at === y[i].at && sameConsent(e.consent, y[i].consent));
}

/** Same content, ignoring updatedAt (per record, so field by field rather than by serialising). */
export function sameProfile(a: Profile | undefined, b: Profile | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.customerKey === b.customerKey &&
    a.consentUpdatedAt === b.consentUpdatedAt &&
    a.timezone === b.timezone &&
    a.homeArea === b.homeArea &&
    a.externalId === b.externalId &&
    sameConsent(a.consent ?? {}, b.consent ?? {}) &&
    sameHistory(a.consentHistory, b.consentHistory)
  );
}

export interface ProfileUpdate {
  /** The profile after this signal (undefined: none stored and none needed). */
  profile: Profile | undefined;
  changed: boolean;
  consent: EffectiveConsent;
}

/**
 * Applies one signal to the customer's current profile. Pure: the caller keeps the working copy
 * across a batch and writes the changed ones once.
 */
export function applySignal(
  current: Profile | undefined,
  signal: Signal,
  who: { customerKey: string; identity: Identity; id: string },
  nowIso: string,
): ProfileUpdate {
  const carried = consentOf(signal);
  const updatesProfile = signal.type === 'identify' || carried !== undefined;
  if (!updatesProfile) return { profile: current, changed: false, consent: effectiveConsent(current?.consent) };

  let next: Profile | undefined = current ? { ...current, consent: { ...current.consent } } : undefined;
  if (carried) {
    const at = new Date(signal.timestamp).toISOString();
    const t = Date.parse(at);
    const history = consentHistoryOf(next);
    if (!next) {
      next = { customerKey: who.customerKey, consent: carried, consentUpdatedAt: at, consentHistory: [{ at, consent: carried }], updatedAt: nowIso };
    } else if (t >= Date.parse(next.consentUpdatedAt)) {
      // The newest word: `consent` is the choice, `consentUpdatedAt` when it was last confirmed.
      // The history keeps only the changes: signals repeat the same choice on every event.
      const changes = sameConsent(next.consent, carried) ? history : withChoice(history, { at, consent: carried });
      next = { ...next, consent: { ...carried }, consentUpdatedAt: at, consentHistory: changes };
    } else if (!sameConsent(consentAt(history, t) ?? {}, carried) || consentAt(history, t) === undefined) {
      // A late, out-of-order choice: it tells what was in force at its time, never what is now.
      let changes = withChoice(history, { at, consent: carried });
      if (changes[changes.length - 1].at === at) changes = [...changes, { at: next.consentUpdatedAt, consent: { ...next.consent } }];
      next = { ...next, consentHistory: changes };
    }
  }
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
