/**
 * The scoring configuration, prepared once per configuration object (it runs on every signal):
 * lexicon phrases normalised for word-boundary matching, weight tables as Maps, the half-life and
 * threshold of each intent at hand.
 */
import { INTENTS, type Daypart, type Intent } from '../contracts/enriched';
import type { IntentWeights, ScoringConfig } from '../config/types';
import { compileBehaviour, type CompiledBehaviour } from './behaviour';

export type WeightList = readonly (readonly [Intent, number])[];

export interface CompiledScoring {
  config: ScoringConfig;
  eventWeights: Map<string, WeightList>;
  /** Keyed by the lower-cased category. */
  contentWeights: Map<string, WeightList>;
  /** Phrases normalised like the text they are looked for in (see normaliseText). */
  lexicon: readonly { phrase: string; padded: string; intent: Intent; weight: number }[];
  mobile: WeightList;
  nearOpenLocation: WeightList;
  nearRadiusMeters: number;
  dayparts: Map<Daypart, WeightList>;
  closers: Map<string, readonly Intent[]>;
  lifeEventTypes: ReadonlySet<string>;
  lifeEventCooldownMs: number;
  halfLife: Record<Intent, number>;
  threshold: Record<Intent, number>;
  cooldownMs: Record<Intent, number>;
  /** How many contributions an intent keeps for its reasons. */
  contributionCap: number;
  /** Undefined when no behaviour feature has a weight (no behaviour state is kept). */
  behaviour: CompiledBehaviour | undefined;
}

const NON_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Lower case, every run of characters that are neither letters nor digits becomes one space, and
 * a space on each side: a phrase then matches on word boundaries with a plain `includes(' p ')`,
 * which is much faster than a regular expression per phrase.
 */
export function normaliseText(text: string): string {
  return ` ${text.toLowerCase().replace(NON_WORD, ' ').trim()} `;
}

function weightList(w: IntentWeights | undefined): WeightList {
  if (!w) return [];
  const out: [Intent, number][] = [];
  // INTENTS order, not key order, so that the contributions come out in the same order whatever
  // order the configuration file lists them in.
  for (const intent of INTENTS) {
    const v = w[intent];
    if (typeof v === 'number' && v !== 0) out.push([intent, v]);
  }
  return out;
}

const cache = new WeakMap<ScoringConfig, CompiledScoring>();

export function compileScoring(config: ScoringConfig): CompiledScoring {
  const hit = cache.get(config);
  if (hit) return hit;
  const compiled: CompiledScoring = {
    config,
    eventWeights: new Map(Object.entries(config.eventWeights).map(([k, v]) => [k, weightList(v)])),
    contentWeights: new Map(Object.entries(config.contentWeights).map(([k, v]) => [k.toLowerCase(), weightList(v)])),
    lexicon: config.lexicon
      .map((e) => {
        const phrase = normaliseText(e.phrase).trim();
        return { phrase: e.phrase, padded: ` ${phrase} `, intent: e.intent, weight: e.weight };
      })
      .filter((e) => e.padded.trim() !== '' && e.weight !== 0),
    mobile: weightList(config.context.mobile),
    nearOpenLocation: weightList(config.context.nearOpenLocation),
    nearRadiusMeters: config.context.nearOpenLocation.radiusMeters,
    dayparts: new Map(Object.entries(config.context.dayparts).map(([k, v]) => [k as Daypart, weightList(v)])),
    closers: new Map(Object.entries(config.closers)),
    lifeEventTypes: new Set(config.lifeEvents.allowedTypes),
    lifeEventCooldownMs: config.lifeEvents.cooldownDays * 86_400_000,
    halfLife: perIntent((i) => config.intents[i].halfLifeMinutes),
    threshold: perIntent((i) => config.intents[i].threshold),
    cooldownMs: perIntent((i) => config.intents[i].cooldownMinutes * 60_000),
    // Contributions of one intent decay at one rate, so their order by strength never changes:
    // the maxReasons strongest now are the strongest at any later detection, and keeping more
    // only made the state item bigger (it must stay under 1 KB, shared/store/state-codec.ts).
    contributionCap: config.maxReasons,
    behaviour: compileBehaviour(config.behaviour),
  };
  cache.set(config, compiled);
  return compiled;
}

function perIntent(f: (i: Intent) => number): Record<Intent, number> {
  return { know: f('know'), go: f('go'), do: f('do'), buy: f('buy') };
}
