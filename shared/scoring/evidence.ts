/**
 * What one enriched signal says about each intent: the features it carries, each with its
 * configured weight. Context (mobile, near an open location, daypart) amplifies only an intent the
 * signal already speaks to through its event, words or content: a phone in the morning is not by
 * itself a wish to go somewhere.
 */
import type { EnrichedSignal, Intent } from '../contracts/enriched';
import type { ReasonKind } from '../contracts/events';
import { normaliseText, type CompiledScoring, type WeightList } from './compile';

export interface Feature {
  intent: Intent;
  kind: ReasonKind;
  feature: string;
  weight: number;
}

function addAll(out: Feature[], list: WeightList, kind: ReasonKind, feature: string, only?: ReadonlySet<Intent>): void {
  for (const [intent, weight] of list) {
    if (only && !only.has(intent)) continue;
    out.push({ intent, kind, feature, weight });
  }
}

/** Query and title already looked up, per compiled configuration: enrich keeps only lexicon phrases of them, so they repeat. */
const lexiconSeen = new WeakMap<CompiledScoring, Map<string, readonly Feature[]>>();
const LEXICON_SEEN_MAX_ENTRIES = 10_000;

function lexiconFeaturesOf(c: CompiledScoring, query: string | undefined, title: string | undefined): readonly Feature[] {
  let seen = lexiconSeen.get(c);
  if (!seen) lexiconSeen.set(c, (seen = new Map()));
  // The query's length first: no query and title can be read as another pair.
  const q = query ?? '';
  const key = `${q.length}:${q}${title ?? ''}`;
  let found = seen.get(key);
  if (found) return found;
  // Query and title together: a phrase counts once per signal even if it is in both. Each line
  // is normalised apart and they are joined by a non-space, so no phrase spans two: enrich keeps
  // of a query or title only the lexicon phrases it found, one per line.
  const text = [query, title]
    .flatMap((t) => (t ? t.split('\n') : []))
    .map(normaliseText)
    .join('|');
  const list: Feature[] = [];
  for (const e of c.lexicon) {
    if (text.includes(e.padded)) list.push(Object.freeze({ intent: e.intent, kind: 'lexicon', feature: e.phrase, weight: e.weight }));
  }
  found = Object.freeze(list);
  if (key.length <= 1024) {
    if (seen.size >= LEXICON_SEEN_MAX_ENTRIES) seen.clear();
    seen.set(key, found);
  }
  return found;
}

/** The features of a signal, in a fixed order: event, lexicon, content, then context. */
export function featuresOf(signal: EnrichedSignal, c: CompiledScoring): Feature[] {
  const out: Feature[] = [];
  const eventWeights = c.eventWeights.get(signal.event);
  if (eventWeights) addAll(out, eventWeights, 'event', signal.event);

  const { query, title, contentCategories, contentType } = signal.features;
  if (c.lexicon.length > 0 && (query || title)) for (const f of lexiconFeaturesOf(c, query, title)) out.push(f);

  if (c.contentWeights.size > 0 && (contentCategories || contentType)) {
    const seen = new Set<string>();
    for (const raw of [...(contentCategories ?? []), ...(contentType ? [contentType] : [])]) {
      const category = raw.toLowerCase();
      if (seen.has(category)) continue;
      seen.add(category);
      const list = c.contentWeights.get(category);
      if (list) addAll(out, list, 'content', category);
    }
  }

  // Context applies to the intents that have positive evidence from the signal itself.
  const base = new Map<Intent, number>();
  for (const f of out) base.set(f.intent, (base.get(f.intent) ?? 0) + f.weight);
  const spoken = new Set<Intent>();
  for (const [intent, sum] of base) if (sum > 0) spoken.add(intent);
  if (spoken.size === 0) return out;

  const ctx = signal.context;
  if (ctx.deviceClass === 'mobile') addAll(out, c.mobile, 'context', 'mobile', spoken);
  const near = ctx.nearestLocation;
  if (near && near.open && near.distanceMeters <= c.nearRadiusMeters) {
    addAll(out, c.nearOpenLocation, 'context', 'near-open-location', spoken);
  }
  const daypart = c.dayparts.get(ctx.daypart);
  if (daypart) addAll(out, daypart, 'context', `daypart:${ctx.daypart}`, spoken);
  return out;
}
